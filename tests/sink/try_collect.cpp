// Tests of include/rill/sink/try_collect.hpp: all the Ok values, or the first Err
// (where the run stops).
#include <rill/sink/try_collect.hpp>

#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

std::string trail(const rill_test::event_log& log) {
    std::string out;
    for (const auto& e : log.events) out += (out.empty() ? "" : ", ") + e;
    return out;
}

int identity(int x) { return x; }

/// iota(0, n) through a counted try_map that turns `bad` into Err("BAD").
auto failing_at(int n, int bad, std::shared_ptr<int> calls) {
    return rill::iota(0, n) | rill::try_map(rill_test::counted(
                                  [bad](int x) -> rill::result<int> {
                                      if (x == bad) return rill::err("BAD", "bad " + std::to_string(x));
                                      return x;
                                  },
                                  calls));
}

} // namespace

TEST_CASE("try_collect returns all the Ok values when there is no Err, in both call forms") {
    auto s = rill::of(3, 1, 2);
    auto a = rill::try_collect(s);
    auto b = s | rill::try_collect();
    static_assert(std::is_same_v<decltype(a), rill::result<std::vector<int>>>);
    static_assert(std::is_same_v<decltype(b), rill::result<std::vector<int>>>);
    REQUIRE(a.has_value());
    CHECK(*a == std::vector<int>{3, 1, 2});
    REQUIRE(b.has_value());
    CHECK(*b == std::vector<int>{3, 1, 2});
}

TEST_CASE("try_collect of an empty stream is an empty vector") {
    auto a = rill::try_collect(rill::empty<int>());
    REQUIRE(a.has_value());
    CHECK(a->empty());
    auto b = rill::iota(0, 0) | rill::try_collect();
    REQUIRE(b.has_value());
    CHECK(b->empty());
}

TEST_CASE("try_collect returns the first Err wherever it is") {
    auto first = rill::try_collect(rill::from(rill_test::items({-1, 2, -3})));
    REQUIRE_FALSE(first.has_value());
    CHECK(first.error() == rill::err_info{"E1", "error 1"});

    auto middle = rill::from(rill_test::items({1, -2, 3, -4})) | rill::try_collect();
    REQUIRE_FALSE(middle.has_value());
    CHECK(middle.error() == rill::err_info{"E2", "error 2"});

    auto last = rill::try_collect(rill::from(rill_test::items({1, 2, -3})));
    REQUIRE_FALSE(last.has_value());
    CHECK(last.error() == rill::err_info{"E3", "error 3"});

    auto only = rill::from(rill_test::items({-7})) | rill::try_collect();
    REQUIRE_FALSE(only.has_value());
    CHECK(only.error() == rill::err_info{"E7", "error 7"});
}

TEST_CASE("try_collect stops pulling at the first Err") {
    for (int bad : {0, 3, 9}) {
        CAPTURE(bad);
        auto calls = std::make_shared<int>(0);
        auto s = failing_at(10, bad, calls);
        auto r = rill::try_collect(s);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == "BAD");
        CHECK(r.error().message == "bad " + std::to_string(bad));
        CHECK(*calls == bad + 1);

        *calls = 0;
        auto p = s | rill::try_collect();
        REQUIRE_FALSE(p.has_value());
        CHECK(*calls == bad + 1);

        *calls = 0;
        rill::stream<int> erased = s; // pulled through next(), not the push protocol
        auto e = rill::try_collect(erased);
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error().message == "bad " + std::to_string(bad));
        CHECK(*calls == bad + 1);
    }
}

TEST_CASE("try_collect keeps the provenance of the Err it returns") {
    auto calls = std::make_shared<int>(0);
    auto r = rill::try_collect(failing_at(10, 4, calls));
    REQUIRE_FALSE(r.has_value());
    REQUIRE(r.error().trace.size() == 1);
    CHECK(r.error().trace[0].op == "try_map");
    CHECK(r.error().trace[0].index == 4);
}

TEST_CASE("try_collect releases a resource upstream when it stops at an Err") {
    auto log = std::make_shared<rill_test::event_log>();
    auto calls = std::make_shared<int>(0);
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [calls](rill_test::logging_handle&) { return failing_at(10, 2, calls); });
    auto r = rill::try_collect(s);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "BAD");
    CHECK(*calls == 3);
    CHECK(trail(*log) == "open a, close a stopped_early");

    auto ok = rill::using_resource(rill_test::acquire_logged(log, "b"), rill_test::release_logged(log),
                                   [](rill_test::logging_handle&) { return rill::of(1, 2); }) |
              rill::try_collect();
    REQUIRE(ok.has_value());
    CHECK(*ok == std::vector<int>{1, 2});
    CHECK(trail(*log) == "open a, close a stopped_early, open b, close b completed");
}

TEST_CASE("try_collect lets an exception propagate and the run releases its resource") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        auto calls = std::make_shared<int>(0);
        auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                      [](rill_test::logging_handle&) { return rill::iota(0, 3); }) |
                 rill::map(rill_test::counted(identity, calls, throw_at));
        CHECK_THROWS_AS((void)rill::try_collect(s), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(trail(*log) == "open a, close a failed");
    }
}

TEST_CASE("try_collect gathers move-only and non-default-constructible values") {
    auto m = rill::try_collect(rill::iota(0, 3) | rill::map([](int x) { return rill_test::move_only(x + 1); }));
    REQUIRE(m.has_value());
    REQUIRE(m->size() == 3);
    CHECK((*m)[0].get() == 1);
    CHECK((*m)[2].get() == 3);
    auto n = rill::iota(5, 7) | rill::map([](int x) { return rill_test::no_default(x); }) | rill::try_collect();
    REQUIRE(n.has_value());
    CHECK(*n == std::vector<rill_test::no_default>{rill_test::no_default(5), rill_test::no_default(6)});
}

TEST_CASE("try_collect starts a fresh run each time and works on erased streams") {
    auto calls = std::make_shared<int>(0);
    rill::stream<int> s = rill::iota(0, 3) | rill::map(rill_test::counted(identity, calls));
    CHECK(*calls == 0);
    CHECK(*rill::try_collect(s) == std::vector<int>{0, 1, 2});
    CHECK(*(s | rill::try_collect()) == std::vector<int>{0, 1, 2});
    CHECK(*calls == 6);
}
