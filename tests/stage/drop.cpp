// Tests of include/rill/stage/drop.hpp
#include <rill/stage/drop.hpp>

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

TEST_CASE("drop(n) gives all but the first n items") {
    CHECK(shown(rill::iota(0, 5) | rill::drop(2)) == "2 3 4");
    CHECK(shown(rill::iota(0, 5) | rill::drop(4)) == "4");
}

TEST_CASE("drop counts Ok and Err items alike, as positions") {
    CHECK(shown(rill::from(items({-1, 2, 3})) | rill::drop(1)) == "2 3");
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::drop(1)) == "!E2 3");
    CHECK(shown(rill::from(items({-1, -2, 3, 4})) | rill::drop(2)) == "3 4");
}

TEST_CASE("drop keeps the Err items after the first n in position") {
    CHECK(shown(rill::from(items({0, -1, 2, 3})) | rill::drop(1)) == "!E1 2 3");
    CHECK(shown(rill::from(items({0, 1, -2, 3})) | rill::drop(1)) == "1 !E2 3");
    CHECK(shown(rill::from(items({0, 1, 2, -3})) | rill::drop(1)) == "1 2 !E3");
    CHECK(shown(rill::from(items({0, -4})) | rill::drop(1)) == "!E4");

    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({0, -4})) | rill::drop(1));
        REQUIRE(v.size() == 1);
        CHECK(text(v[0].error()) == "E4: error 4 [at from #1]");
    }
}

TEST_CASE("drop(0) and a negative drop give every item") {
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::drop(0)) == "1 !E2 3");
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::drop(-3)) == "1 !E2 3");
}

TEST_CASE("drop of n or more items gives nothing") {
    CHECK(shown(rill::iota(0, 3) | rill::drop(3)) == "");
    CHECK(shown(rill::iota(0, 3) | rill::drop(10)) == "");
    CHECK(shown(rill::empty<int>() | rill::drop(1)) == "");
}

TEST_CASE("drop pulls upstream only when the consumer pulls") {
    auto pulls = counter();
    auto s = count_pulls(rill::iota(0), pulls) | rill::drop(2);
    SUBCASE("opening pulls nothing") {
        auto c = s.open();
        CHECK(*pulls == 0);
        CHECK(c.next()->value() == 2);
        CHECK(*pulls == 3);
    }
    SUBCASE("take, drained") {
        CHECK(show_via(via::drain, s | rill::take(2)) == "2 3");
        CHECK(*pulls == 4);
    }
    SUBCASE("take, pulled") {
        CHECK(show_via(via::next, s | rill::take(2)) == "2 3");
        CHECK(*pulls == 4);
    }
}

TEST_CASE("drop past the end lets the upstream complete; stopping early releases it") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        CHECK(show_via(how, resource_over(log, "r", rill::iota(0, 2)) | rill::drop(5)) == "");
        CHECK(events_of(log) == "open r | close r completed");
        log->events.clear();
        CHECK(show_via(how, resource_over(log, "r", rill::iota(0, 9)) | rill::drop(1) | rill::take(1)) == "1");
        CHECK(events_of(log) == "open r | close r stopped_early");
    }
}

TEST_CASE("an exception from upstream propagates through drop, in the dropped part too") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::map(counted([](int x) { return x; }, calls, k)) |
                 rill::drop(1);
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("drop works with move-only and non-default-constructible items") {
    auto mo = rill::iota(0, 3) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo | rill::drop(1)) == "move_only(1) move_only(2)");
    auto nd = rill::iota(0, 3) | rill::map([](int i) { return no_default(i); });
    CHECK(shown(nd | rill::drop(2)) == "no_default(2)");
}

TEST_CASE("drop has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, -2, 3, 4}));
    CHECK(shown(rill::drop(src, 1)) == "!E2 3 4");
    CHECK(rill::collect(rill::drop(src, 1)) == rill::collect(src | rill::drop(1)));
}

TEST_CASE("building a drop pipeline pulls nothing, and runs replay") {
    auto pulls = counter();
    auto s = count_pulls(rill::from(items({1, -2, 3})), pulls) | rill::drop(1);
    CHECK(*pulls == 0);
    CHECK(shown(s) == "!E2 3");
    CHECK(shown(s) == "!E2 3");
}
