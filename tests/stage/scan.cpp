// Tests of include/rill/stage/scan.hpp
#include <rill/stage/scan.hpp>

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

#include <string>

using namespace rill_test;

namespace {
auto plus = [](int acc, int x) { return acc + x; };
}

TEST_CASE("scan emits the running accumulator after each Ok item, not the initial value") {
    CHECK(shown(rill::of(1, 2, 3) | rill::scan(0, plus)) == "1 3 6");
    CHECK(shown(rill::of(1, 2, 3) | rill::scan(100, plus)) == "101 103 106");
    CHECK(shown(rill::of(5) | rill::scan(1, [](int acc, int x) { return acc * x; })) == "5");
}

TEST_CASE("scan may use an accumulator of another type") {
    auto s = rill::of(1, 2, 3) | rill::scan(std::string(">"), [](const std::string& acc, int x) { return acc + std::to_string(x); });
    static_assert(std::is_same_v<rill::value_t<decltype(s)>, std::string>);
    CHECK(shown(s) == ">1 >12 >123");
}

TEST_CASE("scan passes Err items in position and leaves the accumulator unchanged") {
    CHECK(shown(rill::from(items({-1, 2, 3})) | rill::scan(0, plus)) == "!E1 2 5");
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::scan(0, plus)) == "1 !E2 4");
    CHECK(shown(rill::from(items({1, 2, -3})) | rill::scan(0, plus)) == "1 3 !E3");
    CHECK(shown(rill::from(items({-4})) | rill::scan(0, plus)) == "!E4");
    CHECK(shown(rill::from(items({1, -2, -3, 10})) | rill::scan(0, plus)) == "1 !E2 !E3 11");
}

TEST_CASE("scan does not call f for Err items and leaves them unchanged") {
    for (via how : every_way) {
        CAPTURE(how);
        auto calls = counter();
        auto v = collect_via(how, rill::from(items({1, -2, 3})) | rill::scan(0, counted(plus, calls)));
        CHECK(*calls == 2);
        REQUIRE(v.size() == 3);
        CHECK(text(v[1].error()) == "E2: error 2 [at from #1]");
    }
}

TEST_CASE("scan over the empty stream gives no items, not even the initial value") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::scan(7, counted(plus, calls))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("scan pulls only as many upstream items as the consumer asks for") {
    for (via how : every_way) {
        CAPTURE(how);
        auto pulls = counter();
        auto calls = counter();
        auto s = count_pulls(rill::iota(1), pulls) | rill::scan(0, counted(plus, calls));
        CHECK(show_via(how, s | rill::take(3)) == "1 3 6");
        CHECK(*pulls == 3);
        CHECK(*calls == 3);
    }
}

TEST_CASE("scan stopped early releases the upstream resource") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        CHECK(show_via(how, resource_over(log, "r", rill::iota(1, 10)) | rill::scan(0, plus) | rill::take(2)) == "1 3");
        CHECK(events_of(log) == "open r | close r stopped_early");
    }
}

TEST_CASE("an exception thrown by f propagates and the upstream resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::scan(0, counted(plus, calls, k));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("scan works with move-only items and a non-default-constructible accumulator") {
    auto mo = rill::iota(1, 4) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo | rill::scan(0, [](int acc, move_only m) { return acc + m.get(); })) == "1 3 6");

    auto nd = rill::of(2, 3) | rill::scan(no_default(1), [](const no_default& acc, int x) { return no_default(acc.value * x); });
    CHECK(shown(nd) == "no_default(2) no_default(6)");
}

TEST_CASE("scan has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, -2, 3}));
    CHECK(shown(rill::scan(src, 10, plus)) == "11 !E2 14");
    CHECK(rill::collect(rill::scan(src, 10, plus)) == rill::collect(src | rill::scan(10, plus)));
}

TEST_CASE("building a scan pipeline calls no user function, and every run starts again from init") {
    auto calls = counter();
    auto s = rill::of(1, 2, 3) | rill::scan(0, counted(plus, calls));
    CHECK(*calls == 0);
    CHECK(shown(s) == "1 3 6");
    CHECK(shown(s) == "1 3 6");
    CHECK(*calls == 18);
}
