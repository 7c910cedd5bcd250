// Tests of include/rill/stage/take.hpp
#include <rill/stage/take.hpp>

#include <rill/sink/collect.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rill_test;

TEST_CASE("take(n) gives the first n items") {
    CHECK(shown(rill::iota(0, 10) | rill::take(3)) == "0 1 2");
    CHECK(shown(rill::iota(0) | rill::take(4)) == "0 1 2 3");
    CHECK(shown(rill::iota(5, 7) | rill::take(2)) == "5 6");
}

TEST_CASE("take counts Ok and Err items alike, as positions") {
    CHECK(shown(rill::from(items({-1, 2, 3, 4})) | rill::take(2)) == "!E1 2");
    CHECK(shown(rill::from(items({1, -2, 3, 4})) | rill::take(3)) == "1 !E2 3");
    CHECK(shown(rill::from(items({1, 2, -3, 4})) | rill::take(3)) == "1 2 !E3");
    CHECK(shown(rill::from(items({-4, 5})) | rill::take(1)) == "!E4");
    CHECK(shown(rill::from(items({-1, -2, -3, -4})) | rill::take(2)) == "!E1 !E2");
}

TEST_CASE("take passes Err items unchanged, provenance included") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({1, -2})) | rill::take(5));
        REQUIRE(v.size() == 2);
        CHECK(text(v[1].error()) == "E2: error 2 [at from #1]");
    }
}

TEST_CASE("take(n) of a shorter stream gives all its items") {
    CHECK(shown(rill::iota(0, 3) | rill::take(10)) == "0 1 2");
    CHECK(shown(rill::iota(0, 3) | rill::take(3)) == "0 1 2");
    CHECK(shown(rill::empty<int>() | rill::take(2)) == "");
}

TEST_CASE("take(0) and a negative take give no items") {
    CHECK(shown(rill::iota(0, 3) | rill::take(0)) == "");
    CHECK(shown(rill::iota(0, 3) | rill::take(-2)) == "");
}

TEST_CASE("take(n) pulls at most n items upstream") {
    for (via how : every_way) {
        CAPTURE(how);
        auto pulls = counter();
        CHECK(show_via(how, count_pulls(rill::iota(0), pulls) | rill::take(3)) == "0 1 2");
        CHECK(*pulls == 3);
        *pulls = 0;
        CHECK(show_via(how, count_pulls(rill::from(items({-1, 2, -3, 4, 5})), pulls) | rill::take(3)) == "!E1 2 !E3");
        CHECK(*pulls == 3);
        *pulls = 0;
        CHECK(show_via(how, count_pulls(rill::iota(0), pulls) | rill::take(0)) == "");
        CHECK(*pulls == 0);
    }
    auto pulls = counter();
    SUBCASE("the consumer pulling past the end does not pull upstream again") {
        auto c = (count_pulls(rill::iota(0), pulls) | rill::take(2)).open();
        CHECK(c.next()->value() == 0);
        CHECK(c.next()->value() == 1);
        CHECK_FALSE(c.next().has_value());
        CHECK_FALSE(c.next().has_value());
        CHECK(*pulls == 2);
    }
    SUBCASE("from a shorter stream, pulled: its items and the end") {
        CHECK(show_via(via::next, count_pulls(rill::iota(0, 2), pulls) | rill::take(5)) == "0 1");
        CHECK(*pulls == 3);
    }
}

TEST_CASE("take(0) never acquires an upstream resource") {
    auto log = new_log();
    auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::take(0);
    CHECK(shown(s) == "");
    {
        auto c = s.open();
        CHECK_FALSE(c.next().has_value());
    }
    CHECK(log->events.empty());
}

TEST_CASE("take releases the upstream resource right after the n-th item, before the consumer pulls again") {
    auto log = new_log();
    auto s = resource_over(log, "r", rill::iota(0, 10)) | rill::take(2);
    auto c = s.open();
    CHECK(log->events.empty());
    CHECK(c.next()->value() == 0);
    CHECK(events_of(log) == "open r");
    CHECK(c.next()->value() == 1);
    CHECK(events_of(log) == "open r | close r stopped_early");
    CHECK_FALSE(c.next().has_value());
    CHECK(events_of(log) == "open r | close r stopped_early");
}

TEST_CASE("take releases the upstream resource once it has n items, when drained") {
    auto log = new_log();
    auto s = resource_over(log, "r", rill::iota(0, 10)) | rill::take(2);
    CHECK(rill::for_each(s, [log](int x) { log->add("got " + std::to_string(x)); }).empty());
    CHECK(events_of(log) == "open r | got 0 | got 1 | close r stopped_early");
}

TEST_CASE("a drained take has released its upstream when drain returns, before its cursor goes") {
    // The push protocol (rill::detail::drain, what the sinks use) on a cursor the test keeps.
    auto log = new_log();
    auto c = (resource_over(log, "r", rill::iota(0, 10)) | rill::take(2)).open();
    struct sink {
        std::shared_ptr<event_log> log;
        bool ok(int x) {
            log->add("got " + std::to_string(x));
            return true;
        }
        bool err(rill::err_info&&) { return true; }
    } k{log};
    CHECK(rill::detail::drain(c, k)); // the run is over
    CHECK(events_of(log) == "open r | got 0 | got 1 | close r stopped_early");
    CHECK_FALSE(c.next().has_value());
}

TEST_CASE("take of exactly the upstream's length still releases it after the n-th item") {
    auto log = new_log();
    auto c = (resource_over(log, "r", rill::iota(0, 2)) | rill::take(2)).open();
    c.next();
    c.next();
    CHECK(events_of(log) == "open r | close r stopped_early");
}

TEST_CASE("take of a shorter upstream lets it complete") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        CHECK(show_via(how, resource_over(log, "r", rill::iota(0, 2)) | rill::take(5)) == "0 1");
        CHECK(events_of(log) == "open r | close r completed");
    }
}

TEST_CASE("stopping before the n-th item releases the upstream resource") {
    auto log = new_log();
    auto s = resource_over(log, "r", rill::iota(0, 10)) | rill::take(5);
    SUBCASE("destroying the cursor") {
        {
            auto c = s.open();
            c.next();
        }
    }
    SUBCASE("break from range-for") {
        for (auto&& r : s) {
            CHECK(r.value() == 0);
            break;
        }
    }
    CHECK(events_of(log) == "open r | close r stopped_early");
}

TEST_CASE("an exception from upstream propagates through take and the resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 5)) | rill::map(counted([](int x) { return x; }, calls, k)) |
                 rill::take(3);
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("take works with move-only and non-default-constructible items") {
    auto mo = rill::iota(0) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo | rill::take(2)) == "move_only(0) move_only(1)");
    auto nd = rill::iota(0) | rill::map([](int i) { return no_default(i); });
    CHECK(shown(nd | rill::take(1)) == "no_default(0)");
}

TEST_CASE("take has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, -2, 3, 4}));
    CHECK(shown(rill::take(src, 3)) == "1 !E2 3");
    CHECK(rill::collect(rill::take(src, 3)) == rill::collect(src | rill::take(3)));
}

TEST_CASE("take twice keeps the smaller count") {
    CHECK(shown(rill::iota(0) | rill::take(5) | rill::take(2)) == "0 1");
    CHECK(shown(rill::iota(0) | rill::take(2) | rill::take(5)) == "0 1");
}

TEST_CASE("building a take pipeline pulls nothing, and runs replay") {
    auto pulls = counter();
    auto s = count_pulls(rill::from(items({1, -2, 3})), pulls) | rill::take(2);
    CHECK(*pulls == 0);
    CHECK(shown(s) == "1 !E2");
    CHECK(shown(s) == "1 !E2");
    CHECK(*pulls == 12);
}
