// Tests of include/rill/sink/count.hpp: the number of items of a run, Ok and Err alike.
#include <rill/sink/count.hpp>

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

#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

namespace {

std::string trail(const rill_test::event_log& log) {
    std::string out;
    for (const auto& e : log.events) out += (out.empty() ? "" : ", ") + e;
    return out;
}

int identity(int x) { return x; }

} // namespace

TEST_CASE("count counts every item, Ok and Err, in both call forms") {
    auto s = rill::from(rill_test::items({1, -2, 3, -4, 5}));
    auto a = rill::count(s);
    auto b = s | rill::count();
    static_assert(std::is_same_v<decltype(a), std::size_t>);
    CHECK(a == 5);
    CHECK(b == 5);
}

TEST_CASE("count counts Err items in every position") {
    CHECK(rill::count(rill::from(rill_test::items({-1, 2, 3}))) == 3);
    CHECK(rill::count(rill::from(rill_test::items({1, 2, -3}))) == 3);
    CHECK((rill::from(rill_test::items({-1})) | rill::count()) == 1);
    CHECK((rill::from(rill_test::items({-1, -2})) | rill::count()) == 2);
}

TEST_CASE("count of an empty stream is zero") {
    CHECK(rill::count(rill::empty<int>()) == 0);
    CHECK((rill::iota(4, 4) | rill::count()) == 0);
    CHECK((rill::iota(0, 10) | rill::filter([](int) { return false; }) | rill::count()) == 0);
}

TEST_CASE("count pulls the whole run once and starts a fresh run each time") {
    auto calls = std::make_shared<int>(0);
    auto s = rill::iota(0, 7) | rill::map(rill_test::counted(identity, calls));
    CHECK(*calls == 0);
    CHECK(rill::count(s) == 7);
    CHECK(*calls == 7);
    CHECK((s | rill::count()) == 7);
    CHECK(*calls == 14);
}

TEST_CASE("count sees what the stages above it keep") {
    CHECK(rill::count(rill::iota(0, 10) | rill::filter([](int x) { return x % 3 == 0; })) == 4);
    CHECK((rill::iota(0) | rill::take(6) | rill::count()) == 6);
}

TEST_CASE("count runs to the end, so an upstream resource is released as completed") {
    auto log = std::make_shared<rill_test::event_log>();
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [](rill_test::logging_handle&) { return rill::from(rill_test::items({1, -2, 3})); });
    CHECK(rill::count(s) == 3);
    CHECK(trail(*log) == "open a, close a completed");
}

TEST_CASE("count lets an exception propagate and the run releases its resource") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        auto calls = std::make_shared<int>(0);
        auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                      [](rill_test::logging_handle&) { return rill::iota(0, 3); }) |
                 rill::map(rill_test::counted(identity, calls, throw_at));
        CHECK_THROWS_AS((void)(s | rill::count()), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(trail(*log) == "open a, close a failed");
    }
}

TEST_CASE("count works on move-only and non-default-constructible items and on erased streams") {
    CHECK(rill::count(rill::iota(0, 4) | rill::map([](int x) { return rill_test::move_only(x); })) == 4);
    CHECK(rill::count(rill::of(rill_test::no_default(1), rill_test::no_default(2))) == 2);
    rill::stream<int> e = rill::from(rill_test::items({1, -2}));
    CHECK(rill::count(e) == 2);
    CHECK((e | rill::count()) == 2);
    CHECK(rill::count(rill::stream<int>{}) == 0);
}
