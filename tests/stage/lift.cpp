// Tests of include/rill/stage/lift.hpp
#include <rill/stage/lift.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/try_map.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rill_test;

namespace {
// Fails on odd numbers, as "ODD: <x>"; Ok(x / 2) otherwise.
auto halve = [](int x) -> rill::result<int> {
    if (x % 2 != 0) return rill::err("ODD", std::to_string(x));
    return x / 2;
};
} // namespace

TEST_CASE("lift(f)(x) is the one-item stream of f(x)") {
    auto ok = rill::lift(halve)(8);
    static_assert(rill::any_stream<decltype(ok)>);
    static_assert(std::is_same_v<rill::value_t<decltype(ok)>, int>);
    CHECK(shown(ok) == "4");

    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::lift(halve)(3));
        REQUIRE(v.size() == 1);
        REQUIRE_FALSE(v[0].has_value());
        CHECK(v[0].error() == rill::err_info{"ODD", "3", {}});
    }
}

TEST_CASE("a lifted stream is replayable") {
    auto s = rill::lift(halve)(10);
    CHECK(shown(s) == "5");
    CHECK(shown(s) == "5");
}

TEST_CASE("lift calls f once when the one-item stream is made, not when it runs") {
    auto calls = counter();
    auto lifted = rill::lift(counted(halve, calls));
    CHECK(*calls == 0);
    auto s = lifted(4);
    CHECK(*calls == 1);
    CHECK(shown(s) == "2");
    CHECK(shown(s) == "2");
    CHECK(*calls == 1);
}

TEST_CASE("and_then(lift(f)) keeps Ok results, Err results and upstream Err items in position") {
    CHECK(shown(rill::of(2, 4, 6) | rill::and_then(rill::lift(halve))) == "1 2 3");
    CHECK(shown(rill::of(1, 4, 6) | rill::and_then(rill::lift(halve))) == "!ODD 2 3");
    CHECK(shown(rill::of(2, 5, 6) | rill::and_then(rill::lift(halve))) == "1 !ODD 3");
    CHECK(shown(rill::of(2, 4, 7) | rill::and_then(rill::lift(halve))) == "1 2 !ODD");
    CHECK(shown(rill::of(9) | rill::and_then(rill::lift(halve))) == "!ODD");
    CHECK(shown(rill::from(items({-1, 2, -2, 3, -3})) | rill::and_then(rill::lift(halve))) == "!E1 1 !E2 !ODD !E3");
}

TEST_CASE("and_then(lift(f)) has the same items as try_map(f)") {
    auto src = rill::from(items({-1, 2, 3, -2, 8, 5}));
    for (via how : every_way) {
        CAPTURE(how);
        CHECK(collect_via(how, src | rill::and_then(rill::lift(halve))) == collect_via(how, src | rill::try_map(halve)));
    }
    CHECK(shown(src | rill::and_then(rill::lift(halve))) == "!E1 1 !ODD !E2 4 !ODD");
}

TEST_CASE("an Err from a lifted f carries the and_then frame of its outer item") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::of(2, 3) | rill::and_then(rill::lift(halve)));
        REQUIRE(v.size() == 2);
        REQUIRE_FALSE(v[1].has_value());
        CHECK(text(v[1].error()) == "ODD: 3 [at and_then #1]");
    }
}

TEST_CASE("and_then(lift(f)) over the empty stream never calls f") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::and_then(rill::lift(counted(halve, calls)))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("and_then(lift(f)) pulls only as many items as the consumer asks for") {
    for (via how : every_way) {
        CAPTURE(how);
        auto pulls = counter();
        auto calls = counter();
        auto s = count_pulls(rill::iota(0), pulls) | rill::and_then(rill::lift(counted(halve, calls)));
        CHECK(show_via(how, s | rill::take(3)) == "0 !ODD 1");
        CHECK(*pulls == 3);
        CHECK(*calls == 3);
    }
}

TEST_CASE("an exception thrown by a lifted f propagates and the upstream resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::and_then(rill::lift(counted(halve, calls, k)));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("lift works with move-only and non-default-constructible values") {
    auto f = [](move_only m) -> rill::result<move_only> { return move_only(m.get() + 1); };
    auto s = rill::lift(f)(move_only(41));
    CHECK(show(std::move(s)) == "move_only(42)"); // a stream of a move-only item runs from an rvalue

    auto mo = rill::iota(0, 2) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo | rill::and_then(rill::lift(f))) == "move_only(1) move_only(2)");

    auto g = [](int i) -> rill::result<no_default> { return no_default(i * 3); };
    CHECK(shown(rill::of(1, 2) | rill::and_then(rill::lift(g))) == "no_default(3) no_default(6)");
}

TEST_CASE("and_then(lift(f)) has the same items in the call form and the pipe form") {
    auto src = rill::from(items({2, -1, 3}));
    CHECK(shown(rill::and_then(src, rill::lift(halve))) == "1 !E1 !ODD");
    CHECK(rill::collect(rill::and_then(src, rill::lift(halve))) == rill::collect(src | rill::and_then(rill::lift(halve))));
}

TEST_CASE("building a pipeline with lift calls no user function, and runs replay") {
    auto calls = counter();
    auto s = rill::of(2, 3) | rill::and_then(rill::lift(counted(halve, calls)));
    CHECK(*calls == 0);
    CHECK(shown(s) == "1 !ODD");
    CHECK(shown(s) == "1 !ODD");
    CHECK(*calls == 12);
}
