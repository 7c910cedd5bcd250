// Tests of include/rill/stage/map_err.hpp
#include <rill/stage/map_err.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
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
// "E1" / "error 1" -> "X-E1" / "wrapped: error 1"
auto wrap = [](rill::err_info e) {
    return rill::err_info{"X-" + e.code, "wrapped: " + e.message, {}};
};
} // namespace

TEST_CASE("map_err rewrites every Err item with f and keeps it in position") {
    CHECK(shown(rill::from(items({-1, 2, 3})) | rill::map_err(wrap)) == "!X-E1 2 3");
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::map_err(wrap)) == "1 !X-E2 3");
    CHECK(shown(rill::from(items({1, 2, -3})) | rill::map_err(wrap)) == "1 2 !X-E3");
    CHECK(shown(rill::from(items({-4})) | rill::map_err(wrap)) == "!X-E4");
    CHECK(shown(rill::from(items({-1, -2, 5, -3})) | rill::map_err(wrap)) == "!X-E1 !X-E2 5 !X-E3");

    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({-1})) | rill::map_err(wrap));
        REQUIRE(v.size() == 1);
        CHECK(v[0].error() == rill::err_info{"X-E1", "wrapped: error 1", {}});
    }
}

TEST_CASE("map_err passes Ok items unchanged and does not call f for them") {
    auto calls = counter();
    CHECK(shown(rill::iota(0, 4) | rill::map_err(counted(wrap, calls))) == "0 1 2 3");
    CHECK(*calls == 0);
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::map_err(counted(wrap, calls))) == "1 !X-E2 3");
    CHECK(*calls == 3); // once in each of the three runs
}

TEST_CASE("f sees the original error's code and message") {
    std::string seen;
    auto s = rill::from(items({-7})) | rill::map_err([&seen](rill::err_info e) {
                 seen += e.code + "/" + e.message + ";";
                 return e;
             });
    CHECK(shown(s) == "!E7");
    CHECK(seen == "E7/error 7;E7/error 7;E7/error 7;");
}

TEST_CASE("map_err keeps the error's provenance and adds a map_err frame with the item's index") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({1, -2, 3, -4})) | rill::map_err(wrap));
        REQUIRE(v.size() == 4);
        CHECK(text(v[1].error()) == "X-E2: wrapped: error 2 [at from #1, via map_err #1]");
        CHECK(text(v[3].error()) == "X-E4: wrapped: error 4 [at from #3, via map_err #3]");
        REQUIRE(v[3].error().trace.size() == 2);
        CHECK(v[3].error().trace[1] == rill::err_frame{"map_err", "", 3});
    }
}

TEST_CASE("map_err keeps provenance through a chain of stages") {
    auto parse = [](int x) -> rill::result<int> {
        if (x == 2) return rill::err("PARSE", "bad");
        return x;
    };
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::of(1, 2) | rill::try_map(parse) | rill::map_err(wrap) | rill::map_err(wrap));
        REQUIRE(v.size() == 2);
        CHECK(text(v[1].error()) == "X-X-PARSE: wrapped: wrapped: bad [at try_map #1, via map_err #1, via map_err #1]");
    }
}

TEST_CASE("map_err over the empty stream gives no items") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::map_err(counted(wrap, calls))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("map_err pulls only as many upstream items as the consumer asks for") {
    auto pulls = counter();
    auto s = count_pulls(rill::from(items({-1, 2, -3, 4, 5})), pulls) | rill::map_err(wrap);
    SUBCASE("take, drained") {
        CHECK(show_via(via::drain, s | rill::take(3)) == "!X-E1 2 !X-E3");
        CHECK(*pulls == 3);
    }
    SUBCASE("take, pulled") {
        CHECK(show_via(via::next, s | rill::take(3)) == "!X-E1 2 !X-E3");
        CHECK(*pulls == 3);
    }
    SUBCASE("destroying the cursor") {
        {
            auto c = s.open();
            CHECK(c.next()->error().code == "X-E1");
        }
        CHECK(*pulls == 1);
    }
}

TEST_CASE("an exception thrown by f propagates and the upstream resource is released") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = resource_over(log, "r", rill::from(items({-1, 1, -2, -3}))) | rill::map_err(counted(wrap, calls, k));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("map_err works with move-only and non-default-constructible items") {
    auto mo = rill::of(1, 2) | rill::try_map([](int i) -> rill::result<move_only> {
                  if (i == 2) return rill::err("TWO", "two");
                  return move_only(i);
              });
    CHECK(shown(mo | rill::map_err(wrap)) == "move_only(1) !X-TWO");

    auto nd = rill::iota(0, 2) | rill::map([](int i) { return no_default(i); });
    CHECK(shown(nd | rill::map_err(wrap)) == "no_default(0) no_default(1)");
}

TEST_CASE("map_err has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, -2}));
    CHECK(shown(rill::map_err(src, wrap)) == "1 !X-E2");
    CHECK(rill::collect(rill::map_err(src, wrap)) == rill::collect(src | rill::map_err(wrap)));
}

TEST_CASE("building a map_err pipeline calls no user function, and runs replay") {
    auto calls = counter();
    auto s = rill::from(items({-1, 2, -3})) | rill::map_err(counted(wrap, calls));
    CHECK(*calls == 0);
    CHECK(shown(s) == "!X-E1 2 !X-E3");
    CHECK(shown(s) == "!X-E1 2 !X-E3");
    CHECK(*calls == 12);
}
