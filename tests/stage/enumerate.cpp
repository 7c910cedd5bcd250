// Tests of include/rill/stage/enumerate.hpp
#include <rill/stage/enumerate.hpp>

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

#include <cstddef>
#include <string>
#include <utility>

using namespace rill_test;

namespace {
// Renders a run of an enumerated stream of ints, consumed `how`: "0:5 !E1 2:7".
template <class S>
std::string show_indexed(via how, const S& s) {
    return show_via(how, s | rill::map([](const std::pair<std::size_t, int>& p) {
                             return std::to_string(p.first) + ":" + std::to_string(p.second);
                         }));
}
// The same for a run drained and a run pulled, which must agree.
template <class S>
std::string shown_indexed(const S& s) {
    auto a = show_indexed(via::drain, s);
    auto b = show_indexed(via::next, s);
    return a == b ? a : "drain: [" + a + "] next: [" + b + "]";
}
} // namespace

TEST_CASE("enumerate pairs each Ok item with its position") {
    auto s = rill::of(5, 6, 7) | rill::enumerate();
    static_assert(std::is_same_v<rill::value_t<decltype(s)>, std::pair<std::size_t, int>>);
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, s);
        REQUIRE(v.size() == 3);
        CHECK(v[0].value() == std::pair<std::size_t, int>{0, 5});
        CHECK(v[2].value() == std::pair<std::size_t, int>{2, 7});
    }
    CHECK(shown_indexed(s) == "0:5 1:6 2:7");
}

TEST_CASE("enumerate counts Err items as positions and passes them in place") {
    CHECK(shown_indexed(rill::from(items({-1, 5, 6})) | rill::enumerate()) == "!E1 1:5 2:6");
    CHECK(shown_indexed(rill::from(items({5, -2, 6})) | rill::enumerate()) == "0:5 !E2 2:6");
    CHECK(shown_indexed(rill::from(items({5, 6, -3})) | rill::enumerate()) == "0:5 1:6 !E3");
    CHECK(shown_indexed(rill::from(items({-4})) | rill::enumerate()) == "!E4");
    CHECK(shown_indexed(rill::from(items({-1, -2, 9})) | rill::enumerate()) == "!E1 !E2 2:9");
}

TEST_CASE("enumerate leaves an Err item unchanged, provenance included") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({5, -2})) | rill::enumerate());
        REQUIRE(v.size() == 2);
        CHECK(text(v[1].error()) == "E2: error 2 [at from #1]");
    }
}

TEST_CASE("enumerate over the empty stream gives no items") {
    CHECK(shown_indexed(rill::empty<int>() | rill::enumerate()) == "");
}

TEST_CASE("enumerate pulls only as many upstream items as the consumer asks for") {
    for (via how : every_way) {
        CAPTURE(how);
        auto pulls = counter();
        auto s = count_pulls(rill::iota(10), pulls) | rill::enumerate();
        CHECK(show_indexed(how, s | rill::take(2)) == "0:10 1:11");
        CHECK(*pulls == 2);
    }
}

TEST_CASE("enumerate stopped early releases the upstream resource") {
    auto log = new_log();
    {
        auto c = (resource_over(log, "r", rill::iota(0, 5)) | rill::enumerate()).open();
        CHECK(c.next()->value().first == 0);
    }
    CHECK(events_of(log) == "open r | close r stopped_early");
    log->events.clear();
    CHECK(show_indexed(via::drain, resource_over(log, "r", rill::iota(0, 5)) | rill::enumerate() | rill::take(1)) == "0:0");
    CHECK(events_of(log) == "open r | close r stopped_early");
}

TEST_CASE("an exception from upstream propagates through enumerate and the resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::map(counted([](int x) { return x; }, calls, k)) |
                 rill::enumerate();
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("enumerate works with move-only and non-default-constructible items") {
    auto mo = rill::iota(7, 9) | rill::map([](int i) { return move_only(i); }) | rill::enumerate();
    auto v = collect_via(via::next, mo);
    REQUIRE(v.size() == 2);
    CHECK(v[0].value().first == 0);
    CHECK(v[0].value().second.get() == 7);
    CHECK(v[1].value().first == 1);
    CHECK(v[1].value().second.get() == 8);

    auto nd = collect_via(via::drain, rill::iota(3, 4) | rill::map([](int i) { return no_default(i); }) | rill::enumerate());
    REQUIRE(nd.size() == 1);
    CHECK(nd[0].value().second == no_default(3));
}

TEST_CASE("enumerate has the same items in the call form and the pipe form") {
    auto src = rill::from(items({4, -2, 6}));
    CHECK(shown_indexed(rill::enumerate(src)) == "0:4 !E2 2:6");
    CHECK(rill::collect(rill::enumerate(src)) == rill::collect(src | rill::enumerate()));
}

TEST_CASE("enumerate restarts at 0 on every run") {
    auto pulls = counter();
    auto s = count_pulls(rill::from(items({4, -2, 6})), pulls) | rill::enumerate();
    CHECK(*pulls == 0);
    CHECK(shown_indexed(s) == "0:4 !E2 2:6");
    CHECK(shown_indexed(s) == "0:4 !E2 2:6");
}
