// Tests of include/rill/stage/take_while.hpp
#include <rill/stage/take_while.hpp>

#include <rill/sink/collect.hpp>
#include <rill/sink/for_each.hpp>
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

#include <string>

using namespace rill_test;

namespace {
auto small = [](int x) { return x < 5; };
}

TEST_CASE("take_while gives the Ok items while the predicate holds and ends at the first that fails it") {
    CHECK(shown(rill::iota(0, 10) | rill::take_while(small)) == "0 1 2 3 4");
    CHECK(shown(rill::of(1, 7, 2, 3) | rill::take_while(small)) == "1");
    CHECK(shown(rill::of(9, 1) | rill::take_while(small)) == "");
    CHECK(shown(rill::of(1, 2) | rill::take_while(small)) == "1 2");
}

TEST_CASE("take_while passes Err items in position without ending the run") {
    CHECK(shown(rill::from(items({-1, 2, 3, 9, 4})) | rill::take_while(small)) == "!E1 2 3");
    CHECK(shown(rill::from(items({1, -2, 3, 9})) | rill::take_while(small)) == "1 !E2 3");
    CHECK(shown(rill::from(items({1, 2, -3})) | rill::take_while(small)) == "1 2 !E3");
    CHECK(shown(rill::from(items({-4})) | rill::take_while(small)) == "!E4");
    CHECK(shown(rill::from(items({-1, -2, 8, -3})) | rill::take_while(small)) == "!E1 !E2");
}

TEST_CASE("take_while drops everything after the first failing item, Err items included") {
    CHECK(shown(rill::from(items({1, 9, -2, 3})) | rill::take_while(small)) == "1");
}

TEST_CASE("take_while asks the predicate about Ok items only and leaves Err items unchanged") {
    auto calls = counter();
    CHECK(shown(rill::from(items({1, -2, -3, 4})) | rill::take_while(counted(small, calls))) == "1 !E2 !E3 4");
    CHECK(*calls == 6); // three runs
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({1, -2})) | rill::take_while(small));
        REQUIRE(v.size() == 2);
        CHECK(text(v[1].error()) == "E2: error 2 [at from #1]");
    }
}

TEST_CASE("take_while over the empty stream gives no items and never calls the predicate") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::take_while(counted(small, calls))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("take_while stops pulling upstream at the first failing item") {
    auto pulls = counter();
    auto calls = counter();
    auto c = (count_pulls(rill::iota(0), pulls) | rill::take_while(counted([](int x) { return x < 3; }, calls))).open();
    CHECK(c.next()->value() == 0);
    CHECK(c.next()->value() == 1);
    CHECK(c.next()->value() == 2);
    CHECK_FALSE(c.next().has_value());
    CHECK_FALSE(c.next().has_value());
    CHECK(*pulls == 4);
    CHECK(*calls == 4);
}

TEST_CASE("take_while pulls only as many items as the consumer asks for") {
    for (via how : every_way) {
        CAPTURE(how);
        auto pulls = counter();
        CHECK(show_via(how, count_pulls(rill::iota(0), pulls) | rill::take_while(small) | rill::take(2)) == "0 1");
        CHECK(*pulls == 2);
        *pulls = 0;
        CHECK(show_via(how, count_pulls(rill::iota(0), pulls) | rill::take_while(small)) == "0 1 2 3 4");
        CHECK(*pulls == 6);
    }
}

TEST_CASE("take_while releases the upstream resource as soon as the predicate fails") {
    auto log = new_log();
    SUBCASE("the predicate fails") {
        auto c = (resource_over(log, "r", rill::iota(0, 10)) | rill::take_while([](int x) { return x < 1; })).open();
        CHECK(c.next()->value() == 0);
        CHECK(events_of(log) == "open r");
        CHECK_FALSE(c.next().has_value());
        CHECK(events_of(log) == "open r | close r stopped_early");
    }
    SUBCASE("the predicate fails, drained") {
        CHECK(rill::for_each(resource_over(log, "r", rill::iota(0, 10)) | rill::take_while([](int x) { return x < 1; }),
                             [log](int x) { log->add("got " + std::to_string(x)); })
                  .empty());
        CHECK(events_of(log) == "open r | got 0 | close r stopped_early");
    }
    for (via how : every_way) {
        CAPTURE(how);
        log->events.clear();
        CHECK(show_via(how, resource_over(log, "r", rill::iota(0, 2)) | rill::take_while(small)) == "0 1");
        CHECK(events_of(log) == "open r | close r completed"); // the upstream ends first
        log->events.clear();
        CHECK(show_via(how, resource_over(log, "r", rill::iota(0, 9)) | rill::take_while(small) | rill::take(1)) == "0");
        CHECK(events_of(log) == "open r | close r stopped_early"); // the consumer stops first
    }
}

TEST_CASE("an exception thrown by the predicate propagates and the upstream resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::take_while(counted(small, calls, k));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("take_while works with move-only and non-default-constructible items") {
    auto mo = rill::iota(0) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo | rill::take_while([](const move_only& m) { return m.get() < 2; })) == "move_only(0) move_only(1)");
    auto nd = rill::iota(0) | rill::map([](int i) { return no_default(i); });
    CHECK(shown(nd | rill::take_while([](const no_default& n) { return n.value < 1; })) == "no_default(0)");
}

TEST_CASE("take_while has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, -2, 9, 3}));
    CHECK(shown(rill::take_while(src, small)) == "1 !E2");
    CHECK(rill::collect(rill::take_while(src, small)) == rill::collect(src | rill::take_while(small)));
}

TEST_CASE("building a take_while pipeline calls no predicate, and runs replay") {
    auto calls = counter();
    auto s = rill::from(items({1, -2, 9, 3})) | rill::take_while(counted(small, calls));
    CHECK(*calls == 0);
    CHECK(shown(s) == "1 !E2");
    CHECK(shown(s) == "1 !E2");
    CHECK(*calls == 12);
}
