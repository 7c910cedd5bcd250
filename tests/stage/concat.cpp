// Tests of include/rill/stage/concat.hpp
#include <rill/stage/concat.hpp>

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

TEST_CASE("concat gives the items of each part in turn") {
    CHECK(shown(rill::concat(rill::of(1, 2), rill::of(3), rill::iota(4, 6))) == "1 2 3 4 5");
    CHECK(shown(rill::concat(rill::iota(0, 2))) == "0 1");
    CHECK(shown(rill::concat(rill::of(9), rill::from(items({8, 7})))) == "9 8 7");
}

TEST_CASE("concat skips empty parts wherever they are") {
    auto e = rill::empty<int>();
    CHECK(shown(rill::concat(e, rill::of(1), e, e, rill::of(2), e)) == "1 2");
    CHECK(shown(rill::concat(e, e)) == "");
    CHECK(shown(rill::concat(e)) == "");
}

TEST_CASE("concat keeps Err items in position, in every part") {
    CHECK(shown(rill::concat(rill::from(items({-1, 1})), rill::from(items({2, -2, 3})), rill::from(items({-3})))) ==
          "!E1 1 2 !E2 3 !E3");
    CHECK(shown(rill::concat(rill::of(1), rill::from(items({-4})))) == "1 !E4");
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::concat(rill::of(1), rill::from(items({5, -4}))));
        REQUIRE(v.size() == 3);
        CHECK(text(v[2].error()) == "E4: error 4 [at from #1]");
    }
}

TEST_CASE("concat of a stream with itself runs it twice") {
    auto s = rill::from(items({1, -2}));
    CHECK(shown(rill::concat(s, s)) == "1 !E2 1 !E2");

    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto r = resource_over(log, "r", rill::iota(0, 2));
        CHECK(show_via(how, rill::concat(r, r)) == "0 1 0 1");
        CHECK(events_of(log) == "open r | close r completed | open r | close r completed");
    }
}

TEST_CASE("the first part's resource is released before the second part's is acquired") {
    auto log = new_log();
    auto s = rill::concat(resource_over(log, "a", rill::iota(0, 2)), resource_over(log, "b", rill::iota(5, 6)),
                          resource_over(log, "c", rill::iota(7, 8)));
    auto c = s.open();
    CHECK(log->events.empty());
    CHECK(c.next()->value() == 0);
    CHECK(c.next()->value() == 1);
    CHECK(events_of(log) == "open a");
    CHECK(c.next()->value() == 5);
    CHECK(events_of(log) == "open a | close a completed | open b");
    CHECK(c.next()->value() == 7);
    CHECK_FALSE(c.next().has_value());
    CHECK(events_of(log) == "open a | close a completed | open b | close b completed | open c | close c completed");
}

TEST_CASE("the parts' resources are released one after the other when the run is drained") {
    auto log = new_log();
    auto s = rill::concat(resource_over(log, "a", rill::iota(0, 2)), resource_over(log, "b", rill::iota(5, 6)));
    CHECK(rill::for_each(s, [log](int x) { log->add("got " + std::to_string(x)); }).empty());
    CHECK(events_of(log) == "open a | got 0 | got 1 | close a completed | open b | got 5 | close b completed");
}

TEST_CASE("a part whose run holds a resource until its cursor goes is closed before the next part opens") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto s = rill::concat(held(rill::iota(0, 1), log, "a"), held(rill::iota(1, 2), log, "b"));
        CHECK(show_via(how, s) == "0 1");
        CHECK(events_of(log) == "open a | close a | open b | close b");
    }
}

TEST_CASE("concat does not open a later part before the consumer reaches it") {
    auto log = new_log();
    auto pulls_b = counter();
    auto s = rill::concat(resource_over(log, "a", rill::iota(0, 2)), count_pulls(resource_over(log, "b", rill::iota(5, 9)), pulls_b));
    for (via how : every_way) {
        CAPTURE(how);
        log->events.clear();
        *pulls_b = 0;
        CHECK(show_via(how, s | rill::take(2)) == "0 1"); // within the first part
        CHECK(*pulls_b == 0);
        CHECK(events_of(log) == "open a | close a stopped_early");
        log->events.clear();
        CHECK(show_via(how, s | rill::take(3)) == "0 1 5"); // into the second part
        CHECK(*pulls_b == 1);
        CHECK(events_of(log) == "open a | close a completed | open b | close b stopped_early");
    }
    SUBCASE("destroying the cursor in the second part") {
        log->events.clear();
        *pulls_b = 0;
        {
            auto c = s.open();
            for (int i = 0; i < 4; ++i) c.next();
        }
        CHECK(*pulls_b == 2);
        CHECK(events_of(log) == "open a | close a completed | open b | close b stopped_early");
    }
}

TEST_CASE("an exception from a part propagates; earlier parts completed, the failing part is released as failed") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = rill::concat(resource_over(log, "a", rill::iota(0, 2)),
                              resource_over(log, "b", rill::iota(0, 3)) | rill::map(counted([](int x) { return x; }, calls, k)),
                              resource_over(log, "c", rill::iota(0, 2)));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open a | close a completed | open b | close b failed");
    }
}

TEST_CASE("concat works with move-only and non-default-constructible items") {
    auto make = [](int i) { return move_only(i); };
    CHECK(shown(rill::concat(rill::iota(0, 2) | rill::map(make), rill::iota(5, 6) | rill::map(make))) ==
          "move_only(0) move_only(1) move_only(5)");
    auto nd = [](int i) { return no_default(i); };
    CHECK(shown(rill::concat(rill::iota(0, 1) | rill::map(nd), rill::of(no_default(9)))) == "no_default(0) no_default(9)");
}

TEST_CASE("building a concat calls no user function, and runs replay") {
    auto calls = counter();
    auto f = counted([](int x) { return x * 2; }, calls);
    auto s = rill::concat(rill::of(1) | rill::map(f), rill::from(items({-1, 2})) | rill::map(f));
    CHECK(*calls == 0);
    CHECK(shown(s) == "2 !E1 4");
    CHECK(shown(s) == "2 !E1 4");
    CHECK(*calls == 12);
}
