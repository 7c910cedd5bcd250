// Tests of include/rill/stage/filter.hpp
#include <rill/stage/filter.hpp>

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

using namespace rill_test;

namespace {
auto even = [](int x) { return x % 2 == 0; };
}

TEST_CASE("filter keeps the Ok items that satisfy the predicate, in order") {
    CHECK(shown(rill::iota(0, 7) | rill::filter(even)) == "0 2 4 6");
    CHECK(shown(rill::of(1, 3, 5) | rill::filter(even)) == "");
    CHECK(shown(rill::of(2, 4) | rill::filter(even)) == "2 4");
}

TEST_CASE("filter passes Err items in position without asking the predicate") {
    auto calls = counter();
    auto p = counted(even, calls);
    CHECK(shown(rill::from(items({-1, 1, 2})) | rill::filter(p)) == "!E1 2");
    CHECK(shown(rill::from(items({2, -2, 3, 4})) | rill::filter(p)) == "2 !E2 4");
    CHECK(shown(rill::from(items({1, 2, -3})) | rill::filter(p)) == "2 !E3");
    CHECK(shown(rill::from(items({-4})) | rill::filter(p)) == "!E4");
    CHECK(shown(rill::from(items({1, -1, 3, -2, 5})) | rill::filter(p)) == "!E1 !E2");
    CHECK(*calls == 3 * (2 + 3 + 2 + 0 + 3)); // three runs each
}

TEST_CASE("filter leaves an Err item unchanged, provenance included") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({1, -2})) | rill::filter(even));
        REQUIRE(v.size() == 1);
        REQUIRE_FALSE(v[0].has_value());
        CHECK(text(v[0].error()) == "E2: error 2 [at from #1]");
    }
}

TEST_CASE("filter over the empty stream gives no items and never calls the predicate") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::filter(counted(even, calls))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("filter pulls only until it finds the items the consumer asks for") {
    auto pulls = counter();
    auto calls = counter();
    auto s = count_pulls(rill::iota(0), pulls) | rill::filter(counted(even, calls));

    SUBCASE("take, drained") {
        CHECK(show_via(via::drain, s | rill::take(2)) == "0 2");
        CHECK(*pulls == 3); // 0, 1, 2
        CHECK(*calls == 3);
    }
    SUBCASE("take, pulled") {
        CHECK(show_via(via::next, s | rill::take(2)) == "0 2");
        CHECK(*pulls == 3);
        CHECK(*calls == 3);
    }
    SUBCASE("destroying the cursor") {
        {
            auto c = s.open();
            CHECK(c.next()->value() == 0);
            CHECK(c.next()->value() == 2);
        }
        CHECK(*pulls == 3);
    }
    SUBCASE("break from range-for") {
        int seen = 0;
        for (auto&& r : s) {
            CHECK(r.value() == seen * 2);
            if (++seen == 3) break;
        }
        CHECK(*pulls == 5); // 0 .. 4
    }
}

TEST_CASE("filter stopped early releases the upstream resource") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto s = resource_over(log, "r", rill::iota(0, 10)) | rill::filter(even) | rill::take(1);
        CHECK(show_via(how, s) == "0");
        CHECK(events_of(log) == "open r | close r stopped_early");
    }
}

TEST_CASE("filter that rejects everything runs its upstream to the end and releases it") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto s = resource_over(log, "r", rill::iota(0, 4)) | rill::filter([](int) { return false; });
        CHECK(show_via(how, s) == "");
        CHECK(events_of(log) == "open r | close r completed");
    }
}

TEST_CASE("an exception thrown by the predicate propagates and the upstream resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::filter(counted(even, calls, k));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("filter works with move-only and non-default-constructible items") {
    auto mo = rill::iota(0, 5) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo | rill::filter([](const move_only& m) { return m.get() % 2 == 1; })) == "move_only(1) move_only(3)");

    auto nd = rill::iota(0, 5) | rill::map([](int i) { return no_default(i); });
    CHECK(shown(nd | rill::filter([](const no_default& n) { return n.value > 2; })) == "no_default(3) no_default(4)");
}

TEST_CASE("filter has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, 2, -3, 4}));
    CHECK(shown(rill::filter(src, even)) == "2 !E3 4");
    CHECK(rill::collect(rill::filter(src, even)) == rill::collect(src | rill::filter(even)));
}

TEST_CASE("building a filter pipeline calls no predicate") {
    auto calls = counter();
    auto s = rill::iota(0, 4) | rill::filter(counted(even, calls));
    CHECK(*calls == 0);
    CHECK(show_via(via::drain, s) == "0 2");
    CHECK(*calls == 4);
    CHECK(show_via(via::next, s) == "0 2");
    CHECK(*calls == 8);
}

TEST_CASE("filter replays: two runs give the same items") {
    auto s = rill::from(items({1, 2, -3, 4})) | rill::filter(even);
    CHECK(shown(s) == "2 !E3 4");
    CHECK(shown(s) == "2 !E3 4");
}
