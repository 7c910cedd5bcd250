// Tests of include/rill/stage/recover.hpp
#include <rill/stage/recover.hpp>

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
// "E<n>" -> n * 100: every error is recovered.
auto to_value = [](const rill::err_info& e) { return std::stoi(e.code.substr(1)) * 100; };
// Recovers "E1" as 0; any other error stays an Err, as it was.
auto only_e1 = [](rill::err_info e) -> rill::result<int> {
    if (e.code == "E1") return 0;
    return rill::err(std::move(e));
};
// Recovers nothing: every error becomes a new one.
auto rewrap = [](const rill::err_info& e) -> rill::result<int> { return rill::err("R", "from " + e.code); };
} // namespace

TEST_CASE("recover returning T replaces each Err item by a value in its position") {
    CHECK(shown(rill::from(items({-1, 2, 3})) | rill::recover(to_value)) == "100 2 3");
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::recover(to_value)) == "1 200 3");
    CHECK(shown(rill::from(items({1, 2, -3})) | rill::recover(to_value)) == "1 2 300");
    CHECK(shown(rill::from(items({-4})) | rill::recover(to_value)) == "400");
    CHECK(shown(rill::from(items({-1, -2, 7, -3})) | rill::recover(to_value)) == "100 200 7 300");
}

TEST_CASE("recover returning result<T> recovers some errors and keeps others as Err items") {
    CHECK(shown(rill::from(items({-1, 2, -3, -1})) | rill::recover(only_e1)) == "0 2 !E3 0");
    CHECK(shown(rill::from(items({5, -2})) | rill::recover(rewrap)) == "5 !R");
}

TEST_CASE("an Err returned by recover is stamped with op recover and the item's index") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({-1, 2, -3})) | rill::recover(only_e1));
        REQUIRE(v.size() == 3);
        REQUIRE_FALSE(v[2].has_value());
        // The error given back keeps its provenance and gains a recover frame.
        CHECK(text(v[2].error()) == "E3: error 3 [at from #2, via recover #2]");

        auto w = collect_via(how, rill::from(items({5, -2})) | rill::recover(rewrap));
        REQUIRE(w.size() == 2);
        CHECK(w[1].error() == rill::err_info{"R", "from E2", {}});
        CHECK(text(w[1].error()) == "R: from E2 [at recover #1]");
    }
}

TEST_CASE("recover passes Ok items unchanged and does not call f for them") {
    auto calls = counter();
    CHECK(shown(rill::iota(0, 3) | rill::recover(counted(to_value, calls))) == "0 1 2");
    CHECK(*calls == 0);
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::recover(counted(to_value, calls))) == "1 200 3");
    CHECK(*calls == 3); // once in each of the three runs
}

TEST_CASE("recover over the empty stream gives no items") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::recover(counted(to_value, calls))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("recover pulls only as many upstream items as the consumer asks for") {
    auto pulls = counter();
    auto s = count_pulls(rill::from(items({-1, 2, -3, 4, 5})), pulls) | rill::recover(to_value);
    SUBCASE("take, drained") {
        CHECK(show_via(via::drain, s | rill::take(3)) == "100 2 300");
        CHECK(*pulls == 3);
    }
    SUBCASE("take, pulled") {
        CHECK(show_via(via::next, s | rill::take(3)) == "100 2 300");
        CHECK(*pulls == 3);
    }
    SUBCASE("destroying the cursor") {
        {
            auto c = s.open();
            CHECK(c.next()->value() == 100);
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
        auto s = resource_over(log, "r", rill::from(items({-1, 1, -2, -3}))) | rill::recover(counted(to_value, calls, k));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("recover works with move-only and non-default-constructible items") {
    auto mo = rill::of(1, 2, 3) | rill::try_map([](int i) -> rill::result<move_only> {
                  if (i == 2) return rill::err("TWO", "two");
                  return move_only(i);
              });
    CHECK(shown(mo | rill::recover([](rill::err_info) { return move_only(-1); })) == "move_only(1) move_only(-1) move_only(3)");
    CHECK(shown(mo | rill::recover([](rill::err_info e) -> rill::result<move_only> { return rill::err(std::move(e)); })) ==
          "move_only(1) !TWO move_only(3)");

    auto nd = rill::of(1, 2) | rill::try_map([](int i) -> rill::result<no_default> {
                  if (i == 1) return rill::err("ONE", "one");
                  return no_default(i);
              });
    CHECK(shown(nd | rill::recover([](const rill::err_info&) { return no_default(0); })) == "no_default(0) no_default(2)");
}

TEST_CASE("recover has the same items in the call form and the pipe form") {
    auto src = rill::from(items({1, -2, -1}));
    CHECK(shown(rill::recover(src, only_e1)) == "1 !E2 0");
    CHECK(rill::collect(rill::recover(src, only_e1)) == rill::collect(src | rill::recover(only_e1)));
}

TEST_CASE("building a recover pipeline calls no user function, and runs replay") {
    auto calls = counter();
    auto s = rill::from(items({-1, 2, -3})) | rill::recover(counted(to_value, calls));
    CHECK(*calls == 0);
    CHECK(shown(s) == "100 2 300");
    CHECK(shown(s) == "100 2 300");
    CHECK(*calls == 12);
}
