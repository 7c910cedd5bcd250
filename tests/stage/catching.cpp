// Tests of include/rill/stage/catching.hpp
#include <rill/stage/catching.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/lift.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/try_map.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace rill_test;

namespace {
auto twice = [](int x) { return x * 2; };
// Throws std::out_of_range("too big: <x>") above 10.
auto checked = [](int x) {
    if (x > 10) throw std::out_of_range("too big: " + std::to_string(x));
    return x;
};
// Returns an Err on negatives, throws std::invalid_argument on 0.
auto fallible = [](int x) -> rill::result<std::string> {
    if (x == 0) throw std::invalid_argument("zero");
    if (x < 0) return rill::err("NEG", "negative");
    return std::to_string(x);
};
} // namespace

TEST_CASE("catching(f) returns Ok(f(x)) when f returns a value") {
    auto g = rill::catching(twice);
    static_assert(std::is_same_v<decltype(g(1)), rill::result<int>>);
    auto r = g(21);
    REQUIRE(r.has_value());
    CHECK(*r == 42);
}

TEST_CASE("catching turns a std::exception into the Err exception with what() as message") {
    auto r = rill::catching(checked)(11);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "exception");
    CHECK(r.error().message == "too big: 11");
    CHECK(r.error() == rill::err_info{"exception", "too big: 11", {}});
    CHECK(r.error().trace.empty());
}

TEST_CASE("catching turns an exception not derived from std::exception into the Err unknown exception") {
    auto r = rill::catching([](int x) -> int { throw x; })(3);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == rill::err_info{"exception", "unknown exception", {}});

    struct not_std {};
    auto q = rill::catching([]() -> std::string { throw not_std{}; })();
    REQUIRE_FALSE(q.has_value());
    CHECK(q.error().message == "unknown exception");
}

TEST_CASE("catching flattens a function that returns result<U>") {
    auto g = rill::catching(fallible);
    static_assert(std::is_same_v<decltype(g(1)), rill::result<std::string>>);
    auto ok = g(7);
    REQUIRE(ok.has_value());
    CHECK(*ok == "7");
    auto e = g(-1);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error() == rill::err_info{"NEG", "negative", {}});
    auto x = g(0);
    REQUIRE_FALSE(x.has_value());
    CHECK(x.error() == rill::err_info{"exception", "zero", {}});
}

TEST_CASE("try_map(catching(f)) turns a throw into an Err item in its position and the run goes on") {
    CHECK(shown(rill::of(11, 1, 2) | rill::try_map(rill::catching(checked))) == "!exception 1 2");
    CHECK(shown(rill::of(1, 12, 2) | rill::try_map(rill::catching(checked))) == "1 !exception 2");
    CHECK(shown(rill::of(1, 2, 13) | rill::try_map(rill::catching(checked))) == "1 2 !exception");
    CHECK(shown(rill::of(14) | rill::try_map(rill::catching(checked))) == "!exception");
    CHECK(shown(rill::from(items({-1, 20, 3})) | rill::try_map(rill::catching(checked))) == "!E1 !exception 3");

    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::of(1, 12, 2) | rill::try_map(rill::catching(checked)));
        REQUIRE(v.size() == 3);
        CHECK(text(v[1].error()) == "exception: too big: 12 [at try_map #1]");
    }
}

TEST_CASE("try_map(catching(f)) keeps the Err items f returns and reports its throws") {
    CHECK(shown(rill::of(1, -1, 0, 2) | rill::try_map(rill::catching(fallible))) == "1 !NEG !exception 2");
}

TEST_CASE("and_then(lift(catching(f))) gives the same items as try_map(catching(f))") {
    auto src = rill::from(items({1, -1, 11, 3}));
    CHECK(shown(src | rill::and_then(rill::lift(rill::catching(checked)))) == "1 !E1 !exception 3");
    for (via how : every_way) {
        CAPTURE(how);
        CHECK(collect_via(how, src | rill::and_then(rill::lift(rill::catching(checked)))) ==
              collect_via(how, src | rill::try_map(rill::catching(checked))));
    }
}

TEST_CASE("with catching, an exception at any call no longer fails the run: upstream completes") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::try_map(rill::catching(counted(twice, calls, k)));
        auto v = collect_via(how, s);
        CHECK(*calls == 3);
        REQUIRE(v.size() == 3);
        for (int i = 0; i < 3; ++i) {
            CAPTURE(i);
            if (i + 1 == k) CHECK(v[std::size_t(i)].error() == rill::err_info{"exception", "boom", {}});
            else CHECK(v[std::size_t(i)].value() == 2 * i);
        }
        CHECK(events_of(log) == "open r | close r completed");
    }
}

TEST_CASE("without catching, the same exception propagates") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::iota(0, 3)) | rill::map(counted(twice, calls, 2));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("catching(f) calls f only when it is called, once per call") {
    auto calls = counter();
    auto g = rill::catching(counted(twice, calls));
    auto s = rill::iota(0, 4) | rill::try_map(g);
    CHECK(*calls == 0);
    CHECK(show_via(via::drain, s | rill::take(2)) == "0 2");
    CHECK(*calls == 2);
    CHECK(show_via(via::next, s | rill::take(2)) == "0 2");
    CHECK(*calls == 4);
    CHECK(shown(s) == "0 2 4 6");
    CHECK(*calls == 16);
}

TEST_CASE("try_map(catching(f)) over the empty stream gives no items") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::try_map(rill::catching(counted(twice, calls)))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("catching works with move-only and non-default-constructible values") {
    auto g = rill::catching([](move_only m) {
        if (m.get() == 2) throw std::runtime_error("two");
        return move_only(m.get() * 10);
    });
    auto mo = rill::iota(1, 4) | rill::map([](int i) { return move_only(i); });
    CHECK(shown(mo | rill::try_map(g)) == "move_only(10) !exception move_only(30)");

    auto h = rill::catching([](int i) { return no_default(i); });
    CHECK(shown(rill::of(4) | rill::try_map(h)) == "no_default(4)");
}
