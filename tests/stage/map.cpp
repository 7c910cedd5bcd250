// Tests of include/rill/stage/map.hpp
#include <rill/stage/map.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/take.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rill_test;

namespace {
auto times10 = [](int x) { return x * 10; };
}

TEST_CASE("map applies f to every Ok item, in order") {
    CHECK(shown(rill::iota(1, 4) | rill::map(times10)) == "10 20 30");
    CHECK(shown(rill::of(5) | rill::map(times10)) == "50");
}

TEST_CASE("map may change the item type") {
    auto s = rill::of(1, 22, 333) | rill::map([](int x) { return std::to_string(x) + "!"; });
    static_assert(std::is_same_v<rill::value_t<decltype(s)>, std::string>);
    CHECK(shown(s) == "1! 22! 333!");
}

TEST_CASE("map passes Err items in position and the items after them still arrive") {
    auto calls = counter();
    auto f = counted(times10, calls);
    CHECK(shown(rill::from(items({-1, 1, 2})) | rill::map(f)) == "!E1 10 20");
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::map(f)) == "10 !E2 30");
    CHECK(shown(rill::from(items({1, 2, -3})) | rill::map(f)) == "10 20 !E3");
    CHECK(shown(rill::from(items({-4})) | rill::map(f)) == "!E4");
    CHECK(shown(rill::from(items({-1, -2, 3, -4})) | rill::map(f)) == "!E1 !E2 30 !E4");
    CHECK(*calls == 3 * (2 + 2 + 2 + 0 + 1)); // three runs each; f never sees an Err item
}

TEST_CASE("map leaves an Err item unchanged, provenance included") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({1, -2})) | rill::map(times10));
        REQUIRE(v.size() == 2);
        REQUIRE_FALSE(v[1].has_value());
        CHECK(v[1].error().code == "E2");
        CHECK(v[1].error().message == "error 2");
        CHECK(text(v[1].error()) == "E2: error 2 [at from #1]");
    }
}

TEST_CASE("map over the empty stream gives no items and never calls f") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::map(counted(times10, calls))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("map pulls only as many upstream items as the consumer asks for") {
    auto pulls = counter();
    auto calls = counter();
    auto s = count_pulls(rill::iota(0), pulls) | rill::map(counted(times10, calls));

    SUBCASE("take, drained") {
        CHECK(show_via(via::drain, s | rill::take(2)) == "0 10");
        CHECK(*pulls == 2);
        CHECK(*calls == 2);
    }
    SUBCASE("take, pulled") {
        CHECK(show_via(via::next, s | rill::take(2)) == "0 10");
        CHECK(*pulls == 2);
        CHECK(*calls == 2);
    }
    SUBCASE("destroying the cursor") {
        {
            auto c = s.open();
            CHECK(c.next()->value() == 0);
        }
        CHECK(*pulls == 1);
        CHECK(*calls == 1);
    }
    SUBCASE("break from range-for") {
        int seen = 0;
        for (auto&& r : s) {
            CHECK(r.value() == seen * 10);
            if (++seen == 3) break;
        }
        CHECK(*pulls == 3);
        CHECK(*calls == 3);
    }
}

TEST_CASE("map stopped early releases the upstream resource") {
    auto log = new_log();
    auto s = resource_over(log, "r", rill::iota(0, 10)) | rill::map(times10);
    SUBCASE("destroying the cursor") {
        {
            auto c = s.open();
            CHECK(c.next()->value() == 0);
            CHECK(events_of(log) == "open r");
        }
        CHECK(events_of(log) == "open r | close r stopped_early");
    }
    SUBCASE("take, drained") {
        CHECK(show_via(via::drain, s | rill::take(2)) == "0 10");
        CHECK(events_of(log) == "open r | close r stopped_early");
    }
}

TEST_CASE("map run to the end lets the upstream resource complete") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        CHECK(show_via(how, resource_over(log, "r", rill::iota(0, 2)) | rill::map(times10)) == "0 10");
        CHECK(events_of(log) == "open r | close r completed");
    }
}

TEST_CASE("an exception thrown by f propagates and the upstream resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::map(counted(times10, calls, k));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("map works with move-only and non-default-constructible items") {
    auto mo = rill::iota(1, 4) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo) == "move_only(1) move_only(2) move_only(3)");
    CHECK(shown(mo | rill::map([](move_only m) { return move_only(m.get() * 2); })) ==
          "move_only(2) move_only(4) move_only(6)");
    CHECK(shown(mo | rill::map([](move_only&& m) { return m.get() + 100; })) == "101 102 103");

    auto nd = rill::iota(1, 3) | rill::map([](int i) { return no_default(i); });
    CHECK(shown(nd | rill::map([](no_default n) { return no_default(n.value + 1); })) == "no_default(2) no_default(3)");
}

TEST_CASE("map has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, -2, 3}));
    CHECK(shown(rill::map(src, times10)) == "10 !E2 30");
    CHECK(rill::collect(rill::map(src, times10)) == rill::collect(src | rill::map(times10)));
}

TEST_CASE("building a map pipeline calls no user function") {
    auto calls = counter();
    auto s = rill::iota(0, 3) | rill::map(counted(times10, calls)) | rill::map(counted(times10, calls));
    auto t = rill::map(s, counted(times10, calls));
    CHECK(*calls == 0);
    CHECK(shown(t) == "0 1000 2000");
    CHECK(*calls == 27);
}

TEST_CASE("map replays: two runs give the same items") {
    auto calls = counter();
    auto s = rill::from(items({1, -2, 3})) | rill::map(counted(times10, calls));
    CHECK(show_via(via::drain, s) == "10 !E2 30");
    CHECK(show_via(via::drain, s) == "10 !E2 30");
    CHECK(show_via(via::next, s) == "10 !E2 30");
    CHECK(show_via(via::next, s) == "10 !E2 30");
    CHECK(*calls == 8);
}
