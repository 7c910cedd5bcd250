// Tests of include/rill/stage/try_map.hpp
#include <rill/stage/try_map.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/lift.hpp>
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
// Fails on multiples of 3, as "PARSE: bad <x>"; Ok(x * 10) otherwise.
auto parse = [](int x) -> rill::result<int> {
    if (x % 3 == 0) return rill::err("PARSE", "bad " + std::to_string(x));
    return x * 10;
};
auto ok10 = [](int x) -> rill::result<int> { return x * 10; };
} // namespace

TEST_CASE("try_map gives Ok(f(x)) for every Ok item when f succeeds") {
    CHECK(shown(rill::iota(1, 4) | rill::try_map(ok10)) == "10 20 30");
}

TEST_CASE("try_map may change the item type") {
    auto s = rill::of(1, 2) | rill::try_map([](int x) -> rill::result<std::string> { return std::string(x, 'a'); });
    static_assert(std::is_same_v<rill::value_t<decltype(s)>, std::string>);
    CHECK(shown(s) == "a aa");
}

TEST_CASE("an Err returned by f becomes an Err item in its position and the run goes on") {
    CHECK(shown(rill::of(3, 1, 2) | rill::try_map(parse)) == "!PARSE 10 20");
    CHECK(shown(rill::of(1, 3, 2) | rill::try_map(parse)) == "10 !PARSE 20");
    CHECK(shown(rill::of(1, 2, 3) | rill::try_map(parse)) == "10 20 !PARSE");
    CHECK(shown(rill::of(6) | rill::try_map(parse)) == "!PARSE");
}

TEST_CASE("an Err returned by f is stamped with op try_map and the item's index") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::of(1, 3, 4, 6) | rill::try_map(parse));
        REQUIRE(v.size() == 4);
        REQUIRE_FALSE(v[1].has_value());
        CHECK(v[1].error() == rill::err_info{"PARSE", "bad 3", {}});
        REQUIRE(v[1].error().trace.size() == 1);
        CHECK(v[1].error().trace[0] == rill::err_frame{"try_map", "", 1});
        REQUIRE_FALSE(v[3].has_value());
        CHECK(text(v[3].error()) == "PARSE: bad 6 [at try_map #3]");
    }
}

TEST_CASE("try_map counts upstream Err items in the index it stamps") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({-1, 1, -2, 3})) | rill::try_map(parse));
        REQUIRE(v.size() == 4);
        REQUIRE_FALSE(v[3].has_value());
        CHECK(text(v[3].error()) == "PARSE: bad 3 [at try_map #3]");
    }
}

TEST_CASE("try_map passes upstream Err items unchanged and does not call f for them") {
    auto calls = counter();
    auto f = counted(ok10, calls);
    CHECK(shown(rill::from(items({-1, 1, 2})) | rill::try_map(f)) == "!E1 10 20");
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::try_map(f)) == "10 !E2 30");
    CHECK(shown(rill::from(items({1, 2, -3})) | rill::try_map(f)) == "10 20 !E3");
    CHECK(shown(rill::from(items({-4})) | rill::try_map(f)) == "!E4");
    CHECK(*calls == 3 * 6);

    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({1, -2})) | rill::try_map(ok10));
        REQUIRE(v.size() == 2);
        REQUIRE_FALSE(v[1].has_value());
        CHECK(text(v[1].error()) == "E2: error 2 [at from #1]"); // no try_map frame
    }
}

TEST_CASE("try_map has the same items as and_then(lift(f))") {
    auto src = rill::from(items({3, -1, 1, 2, 6, -2, 4}));
    CHECK(shown(src | rill::try_map(parse)) == "!PARSE !E1 10 20 !PARSE !E2 40");
    CHECK(shown(src | rill::and_then(rill::lift(parse))) == "!PARSE !E1 10 20 !PARSE !E2 40");
    for (via how : every_way) {
        CAPTURE(how);
        CHECK(collect_via(how, src | rill::try_map(parse)) == collect_via(how, src | rill::and_then(rill::lift(parse))));
    }
    CHECK(shown(rill::empty<int>() | rill::try_map(parse)) == shown(rill::empty<int>() | rill::and_then(rill::lift(parse))));
}

TEST_CASE("try_map over the empty stream gives no items and never calls f") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::try_map(counted(ok10, calls))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("try_map pulls only as many upstream items as the consumer asks for") {
    auto pulls = counter();
    auto calls = counter();
    auto s = count_pulls(rill::iota(0), pulls) | rill::try_map(counted(parse, calls));
    SUBCASE("take, drained") {
        CHECK(show_via(via::drain, s | rill::take(2)) == "!PARSE 10");
        CHECK(*pulls == 2);
        CHECK(*calls == 2);
    }
    SUBCASE("take, pulled") {
        CHECK(show_via(via::next, s | rill::take(2)) == "!PARSE 10");
        CHECK(*pulls == 2);
        CHECK(*calls == 2);
    }
    SUBCASE("destroying the cursor") {
        {
            auto c = s.open();
            CHECK_FALSE(c.next()->has_value());
        }
        CHECK(*pulls == 1);
        CHECK(*calls == 1);
    }
    SUBCASE("break from range-for") {
        int seen = 0;
        for (auto&& r : s) {
            (void)r;
            if (++seen == 3) break;
        }
        CHECK(*pulls == 3);
    }
}

TEST_CASE("try_map stopped early releases the upstream resource") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        CHECK(show_via(how, resource_over(log, "r", rill::iota(0, 10)) | rill::try_map(parse) | rill::take(2)) == "!PARSE 10");
        CHECK(events_of(log) == "open r | close r stopped_early");
    }
}

TEST_CASE("an exception thrown by f propagates and the upstream resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::try_map(counted(parse, calls, k));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("try_map works with move-only and non-default-constructible items") {
    auto mo = rill::iota(1, 4) | rill::map([](int i) { return move_only(i); });
    auto f = [](move_only m) -> rill::result<move_only> {
        if (m.get() == 2) return rill::err("TWO", "two");
        return move_only(m.get() * 10);
    };
    CHECK(shown(mo | rill::try_map(f)) == "move_only(10) !TWO move_only(30)");

    auto g = [](int i) -> rill::result<no_default> { return no_default(i); };
    CHECK(shown(rill::of(4, 5) | rill::try_map(g)) == "no_default(4) no_default(5)");
}

TEST_CASE("try_map has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, -2, 3}));
    CHECK(shown(rill::try_map(src, parse)) == "10 !E2 !PARSE");
    CHECK(rill::collect(rill::try_map(src, parse)) == rill::collect(src | rill::try_map(parse)));
}

TEST_CASE("building a try_map pipeline calls no user function") {
    auto calls = counter();
    auto s = rill::iota(0, 3) | rill::try_map(counted(parse, calls));
    CHECK(*calls == 0);
    CHECK(shown(s) == "!PARSE 10 20");
    CHECK(*calls == 9);
}

TEST_CASE("try_map replays: two runs give the same items and the same provenance") {
    auto s = rill::of(1, 3) | rill::try_map(parse);
    auto a = collect_via(via::drain, s);
    auto b = collect_via(via::next, s);
    CHECK(a == b);
    REQUIRE(a.size() == 2);
    REQUIRE(b.size() == 2);
    CHECK(text(a[1].error()) == "PARSE: bad 3 [at try_map #1]");
    CHECK(text(b[1].error()) == "PARSE: bad 3 [at try_map #1]");
}
