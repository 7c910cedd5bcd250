// Tests of include/rill/stage/tap.hpp
#include <rill/stage/tap.hpp>

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
#include <vector>

using namespace rill_test;

TEST_CASE("tap calls f on each Ok item and passes every item unchanged") {
    std::vector<int> seen;
    auto s = rill::of(3, 1, 2) | rill::tap([&seen](const int& x) { seen.push_back(x); });
    CHECK(shown(s) == "3 1 2");
    CHECK(seen == std::vector<int>{3, 1, 2, 3, 1, 2, 3, 1, 2}); // three runs
}

TEST_CASE("tap passes Err items in position and does not call f for them") {
    std::vector<int> seen;
    auto f = [&seen](int x) { seen.push_back(x); };
    for (via how : every_way) {
        CAPTURE(how);
        seen.clear();
        CHECK(show_via(how, rill::from(items({-1, 1, 2})) | rill::tap(f)) == "!E1 1 2");
        CHECK(show_via(how, rill::from(items({1, -2, 3})) | rill::tap(f)) == "1 !E2 3");
        CHECK(show_via(how, rill::from(items({1, 2, -3})) | rill::tap(f)) == "1 2 !E3");
        CHECK(show_via(how, rill::from(items({-4})) | rill::tap(f)) == "!E4");
        CHECK(seen == std::vector<int>{1, 2, 1, 3, 1, 2});

        auto v = collect_via(how, rill::from(items({-5})) | rill::tap(f));
        REQUIRE(v.size() == 1);
        CHECK(text(v[0].error()) == "E5: error 5 [at from #0]");
    }
}

TEST_CASE("tap calls f as each item passes, interleaved with the consumer") {
    auto log = new_log();
    auto s = rill::iota(0, 3) | rill::tap([log](int x) { log->add("tap " + std::to_string(x)); });
    SUBCASE("pulled by range-for") {
        for (auto&& r : s) log->add("got " + std::to_string(r.value()));
    }
    SUBCASE("drained by for_each") {
        CHECK(rill::for_each(s, [log](int x) { log->add("got " + std::to_string(x)); }).empty());
    }
    CHECK(events_of(log) == "tap 0 | got 0 | tap 1 | got 1 | tap 2 | got 2");
}

TEST_CASE("tap over the empty stream gives no items and never calls f") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::tap(counted([](int) {}, calls))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("tap sees only the items the consumer pulls") {
    auto pulls = counter();
    auto calls = counter();
    auto s = count_pulls(rill::iota(0), pulls) | rill::tap(counted([](int) {}, calls));
    SUBCASE("take, drained") {
        CHECK(show_via(via::drain, s | rill::take(3)) == "0 1 2");
        CHECK(*pulls == 3);
        CHECK(*calls == 3);
    }
    SUBCASE("take, pulled") {
        CHECK(show_via(via::next, s | rill::take(3)) == "0 1 2");
        CHECK(*pulls == 3);
        CHECK(*calls == 3);
    }
    SUBCASE("destroying the cursor") {
        {
            auto c = s.open();
            c.next();
        }
        CHECK(*pulls == 1);
        CHECK(*calls == 1);
    }
}

TEST_CASE("an exception thrown by f propagates and the upstream resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::tap(counted([](int) {}, calls, k));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("tap works with move-only and non-default-constructible items, which it does not consume") {
    std::vector<int> seen;
    auto mo = rill::iota(1, 3) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo | rill::tap([&seen](const move_only& m) { seen.push_back(m.get()); })) == "move_only(1) move_only(2)");
    CHECK(seen == std::vector<int>{1, 2, 1, 2, 1, 2});

    auto nd = rill::iota(1, 3) | rill::map([](int i) { return no_default(i); });
    CHECK(shown(nd | rill::tap([&seen](const no_default& n) { seen.push_back(n.value * 10); })) == "no_default(1) no_default(2)");
    CHECK(seen == std::vector<int>{1, 2, 1, 2, 1, 2, 10, 20, 10, 20, 10, 20});
}

TEST_CASE("tap has the same items in the call form and the pipe form") {
    auto calls = counter();
    auto src = rill::from(items({1, -2, 3}));
    CHECK(shown(rill::tap(src, counted([](int) {}, calls))) == "1 !E2 3");
    CHECK(rill::collect(rill::tap(src, counted([](int) {}, calls))) == rill::collect(src | rill::tap(counted([](int) {}, calls))));
    CHECK(*calls == 10);
}

TEST_CASE("building a tap pipeline calls no user function, and every run calls f again") {
    auto calls = counter();
    auto s = rill::from(items({1, -2, 3})) | rill::tap(counted([](int) {}, calls));
    CHECK(*calls == 0);
    CHECK(shown(s) == "1 !E2 3");
    CHECK(shown(s) == "1 !E2 3");
    CHECK(*calls == 12);
}
