// Tests of include/rill/sink/collect.hpp: every item of one run, Ok and Err, in order.
#include <rill/sink/collect.hpp>

#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
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

/// Renders collected items as "1 !E2 3".
std::string render(const std::vector<rill::result<int>>& v) {
    std::string out;
    for (const auto& r : v) {
        if (!out.empty()) out += ' ';
        out += r.has_value() ? std::to_string(*r) : "!" + r.error().code;
    }
    return out;
}

int identity(int x) { return x; }

} // namespace

TEST_CASE("collect returns every item of a run in order, Ok and Err, in both call forms") {
    auto s = rill::from(rill_test::items({1, -2, 3, -4}));
    auto a = rill::collect(s);
    auto b = s | rill::collect();
    static_assert(std::is_same_v<decltype(a), std::vector<rill::result<int>>>);
    static_assert(std::is_same_v<decltype(b), std::vector<rill::result<int>>>);
    REQUIRE(a.size() == 4);
    CHECK(a[0] == rill::result<int>(1));
    CHECK(a[1].error() == rill::err_info{"E2", "error 2"});
    CHECK(a[2] == rill::result<int>(3));
    CHECK(a[3].error() == rill::err_info{"E4", "error 4"});
    CHECK(a == b);
}

TEST_CASE("collect keeps an Err item in every position") {
    CHECK(render(rill::collect(rill::from(rill_test::items({-1, 2, 3})))) == "!E1 2 3");
    CHECK(render(rill::collect(rill::from(rill_test::items({1, -2, 3})))) == "1 !E2 3");
    CHECK(render(rill::collect(rill::from(rill_test::items({1, 2, -3})))) == "1 2 !E3");
    CHECK(render(rill::collect(rill::from(rill_test::items({-5})))) == "!E5");
    CHECK(render(rill::from(rill_test::items({-1, -2})) | rill::collect()) == "!E1 !E2");
}

TEST_CASE("collect keeps the provenance of Err items") {
    auto v = rill::collect(rill::from(rill_test::items({1, -2})));
    REQUIRE(v.size() == 2);
    REQUIRE(v[1].error().trace.size() == 1);
    CHECK(v[1].error().trace[0].op == "from");
    CHECK(v[1].error().trace[0].index == 1);
}

TEST_CASE("collect of an empty stream is an empty vector") {
    CHECK(rill::collect(rill::empty<int>()).empty());
    CHECK((rill::iota(3, 3) | rill::collect()).empty());
    CHECK((rill::iota(0, 5) | rill::filter([](int) { return false; }) | rill::collect()).empty());
}

TEST_CASE("collect pulls every item exactly once and starts a fresh run each time") {
    auto calls = std::make_shared<int>(0);
    auto s = rill::iota(0, 4) | rill::map(rill_test::counted(identity, calls));
    CHECK(*calls == 0);
    CHECK(render(rill::collect(s)) == "0 1 2 3");
    CHECK(*calls == 4);
    CHECK(render(s | rill::collect()) == "0 1 2 3");
    CHECK(*calls == 8);
}

TEST_CASE("collect takes lvalue, const and rvalue streams, and erased ones") {
    const auto s = rill::of(1, 2, 3);
    CHECK(render(rill::collect(s)) == "1 2 3");
    CHECK(render(rill::collect(rill::of(4, 5))) == "4 5");
    rill::stream<int> e = rill::of(6, 7);
    CHECK(render(rill::collect(e)) == "6 7");
    CHECK(render(e | rill::collect()) == "6 7");
    CHECK(rill::collect(rill::stream<int>{}).empty());
}

TEST_CASE("collect gathers move-only and non-default-constructible items") {
    auto m = rill::iota(0, 3) | rill::map([](int x) { return rill_test::move_only(x * 2); });
    auto v = rill::collect(m);
    REQUIRE(v.size() == 3);
    CHECK(v[0]->get() == 0);
    CHECK(v[1]->get() == 2);
    CHECK(v[2]->get() == 4);
    auto w = rill::iota(1, 3) | rill::map([](int x) { return rill_test::no_default(x); }) | rill::collect();
    REQUIRE(w.size() == 2);
    CHECK(w[0]->value == 1);
    CHECK(w[1]->value == 2);
}

TEST_CASE("collect lets an exception thrown upstream propagate and the run releases its resource") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        auto calls = std::make_shared<int>(0);
        auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                      [](rill_test::logging_handle&) { return rill::iota(0, 3); }) |
                 rill::map(rill_test::counted(identity, calls, throw_at));
        CHECK_THROWS_AS((void)rill::collect(s), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(trail(*log) == "open a, close a failed");
    }
}

TEST_CASE("collect runs to the end, so an upstream resource is released as completed") {
    auto log = std::make_shared<rill_test::event_log>();
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [](rill_test::logging_handle&) { return rill::from(rill_test::items({1, -2, 3})); });
    CHECK(render(s | rill::collect()) == "1 !E2 3");
    CHECK(trail(*log) == "open a, close a completed");
}

TEST_CASE("collect of a take over an endless stream stops after n items") {
    auto calls = std::make_shared<int>(0);
    CHECK(render(rill::collect(rill::iota(10) | rill::map(rill_test::counted(identity, calls)) | rill::take(3))) ==
          "10 11 12");
    CHECK(*calls == 3);
}
