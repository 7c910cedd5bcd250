// Tests of include/rill/concurrent/buffer.hpp
#include <rill/concurrent/buffer.hpp>

#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>

#include "concurrency/support.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <thread>

using namespace rill_conc;
using namespace rill_test;

TEST_CASE("buffer(0) is refused at construction") {
    CHECK_THROWS_WITH_AS(rill::buffer(0), "rill::buffer: the look-ahead n must be at least 1", std::invalid_argument);
    CHECK_THROWS_AS(rill::buffer(rill::of(1), 0), std::invalid_argument);
}

TEST_CASE("buffer keeps every item in order, Err items in position, both forms") {
    for (std::size_t n : {1u, 2u, 3u, 64u}) {
        CAPTURE(n);
        CHECK(shown(rill::from(items({-1, 1, 2})) | rill::buffer(n)) == "!E1 1 2");
        CHECK(shown(rill::from(items({1, -2, 3})) | rill::buffer(n)) == "1 !E2 3");
        CHECK(shown(rill::buffer(rill::from(items({1, 2, -3})), n)) == "1 2 !E3");
        CHECK(shown(rill::from(items({})) | rill::buffer(n)) == "");
    }
}

TEST_CASE("buffer hands over a long run intact (stress)") {
    for (std::size_t n : {1u, 7u, 1000u}) {
        CAPTURE(n);
        auto v = rill::collect(rill::iota(0, 100000) | rill::buffer(n));
        REQUIRE(v.size() == 100000);
        bool in_order = true;
        for (int i = 0; i < 100000; ++i) in_order = in_order && v[std::size_t(i)].value() == i;
        CHECK(in_order);
    }
}

TEST_CASE("buffer(n) asks upstream for at most n items beyond the consumer's pulls, and does use the n") {
    for (long n : {1, 3, 16}) {
        CAPTURE(n);
        auto stats = std::make_shared<source_stats>();
        auto s = counted_source(stats, 200) | rill::buffer(std::size_t(n));
        {
            auto c = s.open();
            stats->await_pulls(n); // prefetch reaches n before any pull of ours...
            CHECK(stats->max_ahead.load() == n);
        }
        auto fresh = std::make_shared<source_stats>();
        auto v = pull_all(counted_source(fresh, 200) | rill::buffer(std::size_t(n)), *fresh);
        CHECK(v.size() == 200);
        CHECK(fresh->max_ahead.load() <= n); // ...and never goes beyond
    }
}

TEST_CASE("buffer stopped early releases upstream and joins before the cursor is gone") {
    auto stats = std::make_shared<source_stats>();
    {
        auto c = (counted_source(stats, -1) | rill::buffer(4)).open();
        CHECK(c.next()->value() == 0);
        CHECK(stats->opened == 1);
    }
    CHECK(stats->closed == 1);
    CHECK(show(counted_source(stats, -1) | rill::buffer(4) | rill::take(3)) == "0 1 2");
    CHECK(stats->closed == 2);
}

TEST_CASE("buffer releases upstream as soon as upstream ends") {
    auto log = new_log();
    auto s = rill::using_resource(acquire_logged(log, "r"), release_logged(log),
                                  [](logging_handle&) { return rill::iota(0, 3); }) |
             rill::buffer(8);
    auto c = s.open();
    std::vector<int> got;
    while (got.size() < 3) got.push_back(c.next()->value());
    CHECK_FALSE(c.next().has_value());
    CHECK(events_of(log) == "open r | close r completed"); // before the cursor is destroyed
}

TEST_CASE("an exception from upstream reaches the consumer after the items before it") {
    for (bool pulled : {true, false}) {
        CAPTURE(pulled);
        auto stats = std::make_shared<source_stats>();
        std::vector<int> got;
        auto s = counted_source(stats, 10, -1, 3) | rill::buffer(4);
        if (pulled) {
            auto c = s.open();
            for (int i = 0; i < 3; ++i) got.push_back(c.next()->value());
            CHECK_THROWS_WITH(c.next(), "upstream boom");
        } else {
            CHECK_THROWS_WITH(rill::for_each(s, [&](int x) { got.push_back(x); }), "upstream boom");
        }
        CHECK(got == std::vector<int>{0, 1, 2});
        CHECK(stats->closed == 1);
    }
}

TEST_CASE("an exception from the consumer's own code stops the buffer cleanly") {
    auto stats = std::make_shared<source_stats>();
    auto s = counted_source(stats, -1) | rill::buffer(4) | rill::map([](int x) {
                 if (x == 5) throw std::runtime_error("consumer boom");
                 return x;
             });
    CHECK_THROWS_WITH(rill::count(s), "consumer boom");
    CHECK(stats->closed == 1);
}

TEST_CASE("buffer over a replayable stream is replayable") {
    auto s = rill::iota(0, 5) | rill::buffer(2);
    static_assert(rill::replayable_stream<decltype(s)>);
    CHECK(show(s) == "0 1 2 3 4");
    CHECK(show(s) == "0 1 2 3 4");
}
