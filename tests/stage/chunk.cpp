// Tests of include/rill/stage/chunk.hpp
#include <rill/stage/chunk.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace rill_test;

namespace {
// Renders a run of chunks of ints, consumed `how`: "[1 2] !E1 [3]".
template <class S>
std::string show_chunks(via how, const S& s) {
    return show_via(how, s | rill::map([](const std::vector<int>& v) {
                             std::string out = "[";
                             for (std::size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + std::to_string(v[i]);
                             return out + "]";
                         }));
}
// The same for a run drained and a run pulled, which must agree.
template <class S>
std::string shown_chunks(const S& s) {
    auto a = show_chunks(via::drain, s);
    auto b = show_chunks(via::next, s);
    return a == b ? a : "drain: [" + a + "] next: [" + b + "]";
}
} // namespace

TEST_CASE("chunk groups consecutive Ok items into vectors of n, the last one shorter") {
    auto s = rill::iota(1, 8) | rill::chunk(3);
    static_assert(std::is_same_v<rill::value_t<decltype(s)>, std::vector<int>>);
    CHECK(shown_chunks(s) == "[1 2 3] [4 5 6] [7]");
    CHECK(shown_chunks(rill::iota(1, 7) | rill::chunk(3)) == "[1 2 3] [4 5 6]");
    CHECK(shown_chunks(rill::iota(1, 3) | rill::chunk(5)) == "[1 2]");
    CHECK(shown_chunks(rill::iota(1, 4) | rill::chunk(1)) == "[1] [2] [3]");
}

TEST_CASE("an Err item closes the chunk in progress and then passes on its own") {
    CHECK(shown_chunks(rill::from(items({1, 2, -1, 3})) | rill::chunk(3)) == "[1 2] !E1 [3]");
}

TEST_CASE("chunk keeps Err items in position wherever they are") {
    CHECK(shown_chunks(rill::from(items({-1, 1, 2, 3})) | rill::chunk(2)) == "!E1 [1 2] [3]");
    CHECK(shown_chunks(rill::from(items({1, 2, -1, 3})) | rill::chunk(2)) == "[1 2] !E1 [3]");
    CHECK(shown_chunks(rill::from(items({1, -1, 2, 3})) | rill::chunk(2)) == "[1] !E1 [2 3]");
    CHECK(shown_chunks(rill::from(items({1, 2, 3, -1})) | rill::chunk(2)) == "[1 2] [3] !E1");
    CHECK(shown_chunks(rill::from(items({1, 2, -1})) | rill::chunk(2)) == "[1 2] !E1");
    CHECK(shown_chunks(rill::from(items({-4})) | rill::chunk(3)) == "!E4");
    CHECK(shown_chunks(rill::from(items({1, -1, -2, 2})) | rill::chunk(3)) == "[1] !E1 !E2 [2]");
}

TEST_CASE("chunk leaves an Err item unchanged, provenance included") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({1, -2})) | rill::chunk(4));
        REQUIRE(v.size() == 2);
        REQUIRE_FALSE(v[1].has_value());
        CHECK(text(v[1].error()) == "E2: error 2 [at from #1]");
    }
}

TEST_CASE("chunk(0) throws std::invalid_argument, in both call forms") {
    CHECK_THROWS_AS(rill::chunk(0), std::invalid_argument);
    CHECK_THROWS_AS(rill::chunk(rill::iota(0, 3), 0), std::invalid_argument);
    CHECK_THROWS_AS(rill::chunk(-1), std::invalid_argument);
}

TEST_CASE("chunk over the empty stream gives no items, not an empty chunk") {
    CHECK(shown_chunks(rill::empty<int>() | rill::chunk(2)) == "");
}

TEST_CASE("chunk pulls the items of the chunks the consumer asks for and no more") {
    auto pulls = counter();
    SUBCASE("take, drained") {
        CHECK(show_chunks(via::drain, count_pulls(rill::iota(0), pulls) | rill::chunk(3) | rill::take(2)) == "[0 1 2] [3 4 5]");
        CHECK(*pulls == 6);
    }
    SUBCASE("take, pulled") {
        CHECK(show_chunks(via::next, count_pulls(rill::iota(0), pulls) | rill::chunk(3) | rill::take(2)) == "[0 1 2] [3 4 5]");
        CHECK(*pulls == 6);
    }
    SUBCASE("destroying the cursor") {
        {
            auto c = (count_pulls(rill::iota(0), pulls) | rill::chunk(2)).open();
            CHECK(*pulls == 0);
            CHECK(c.next()->value() == std::vector<int>{0, 1});
        }
        CHECK(*pulls == 2);
    }
    SUBCASE("an Err item ends the chunk without looking further") {
        auto c = (count_pulls(rill::from(items({1, -1, 2, 3})), pulls) | rill::chunk(3)).open();
        CHECK(c.next()->value() == std::vector<int>{1});
        CHECK(*pulls == 2);
        CHECK(c.next()->error().code == "E1");
        CHECK(*pulls == 2);
    }
}

TEST_CASE("chunk releases the upstream resource at its end or when stopped early") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        CHECK(show_chunks(how, resource_over(log, "r", rill::iota(0, 3)) | rill::chunk(2)) == "[0 1] [2]");
        CHECK(events_of(log) == "open r | close r completed"); // ends with a partial chunk
        log->events.clear();
        CHECK(show_chunks(how, resource_over(log, "r", rill::iota(0, 9)) | rill::chunk(2) | rill::take(1)) == "[0 1]");
        CHECK(events_of(log) == "open r | close r stopped_early");
    }
}

TEST_CASE("an exception from upstream in the middle of a chunk propagates and the resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::map(counted([](int x) { return x; }, calls, k)) |
                 rill::chunk(2);
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("chunk works with move-only and non-default-constructible items") {
    auto mo = collect_via(via::next, rill::iota(0, 3) | rill::map([](int i) { return move_only(i); }) | rill::chunk(2));
    REQUIRE(mo.size() == 2);
    REQUIRE(mo[0].value().size() == 2);
    CHECK(mo[0].value()[1].get() == 1);
    REQUIRE(mo[1].value().size() == 1);
    CHECK(mo[1].value()[0].get() == 2);

    auto nd = collect_via(via::drain, rill::iota(0, 3) | rill::map([](int i) { return no_default(i); }) | rill::chunk(3));
    REQUIRE(nd.size() == 1);
    CHECK(nd[0].value() == std::vector<no_default>{no_default(0), no_default(1), no_default(2)});
}

TEST_CASE("chunk has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, 2, 3, -1, 4}));
    CHECK(shown_chunks(rill::chunk(src, 2)) == "[1 2] [3] !E1 [4]");
    CHECK(rill::collect(rill::chunk(src, 2)) == rill::collect(src | rill::chunk(2)));
}

TEST_CASE("building a chunk pipeline pulls nothing, and runs replay") {
    auto pulls = counter();
    auto s = count_pulls(rill::from(items({1, 2, -1, 3})), pulls) | rill::chunk(2);
    CHECK(*pulls == 0);
    CHECK(shown_chunks(s) == "[1 2] !E1 [3]");
    CHECK(shown_chunks(s) == "[1 2] !E1 [3]");
}
