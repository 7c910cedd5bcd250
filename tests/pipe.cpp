// Tests of include/rill/pipe.hpp: `s | op(args...)`, and closures composed
// with `|` into reusable pipeline fragments.
#include <rill/pipe.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/sources.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

const auto square = [](int x) { return x * x; };
const auto is_odd = [](int x) { return x % 2 != 0; };

} // namespace

TEST_CASE("a composed closure gives the same items as applying its stages one by one") {
    const auto p = rill::map(square) | rill::filter(is_odd);
    const auto s = rill::iota(0, 8);
    CHECK(rill_test::show(s | p) == "1 9 25 49");
    CHECK(rill_test::show(s | rill::map(square) | rill::filter(is_odd)) == "1 9 25 49");
    CHECK(rill_test::show(rill::filter(rill::map(s, square), is_odd)) == "1 9 25 49");
}

TEST_CASE("a composed closure passes Err items through in their positions") {
    const auto p = rill::map(square) | rill::filter(is_odd);
    CHECK(rill_test::show(rill::from(rill_test::items({-1, 1, 2, 3})) | p) == "!E1 1 9");
    CHECK(rill_test::show(rill::from(rill_test::items({1, -2, 3, 4})) | p) == "1 !E2 9");
    CHECK(rill_test::show(rill::from(rill_test::items({1, 2, 3, -3})) | p) == "1 9 !E3");
    CHECK(rill_test::show(rill::from(rill_test::items({-4})) | p) == "!E4");
    CHECK(rill_test::show(rill::from(std::vector<int>{}) | p) == "");
}

TEST_CASE("a closure is reusable: it applies to several streams and to the same stream twice") {
    const auto p = rill::map(square) | rill::take(2);
    CHECK(rill_test::show(rill::iota(3, 10) | p) == "9 16");
    CHECK(rill_test::show(rill::of(5, 6, 7) | p) == "25 36");
    const auto s = rill::of(1, 2, 3) | p;
    CHECK(rill_test::show(s) == "1 4");
    CHECK(rill_test::show(s) == "1 4");
}

TEST_CASE("closure composition is associative") {
    const auto a = rill::map([](int x) { return x + 1; });
    const auto b = rill::filter(is_odd);
    const auto c = rill::map([](int x) { return x * 10; });
    const auto s = rill::iota(0, 6);
    CHECK(rill_test::show(s | ((a | b) | c)) == "10 30 50");
    CHECK(rill_test::show(s | (a | (b | c))) == "10 30 50");
    CHECK(rill_test::show(s | a | b | c) == "10 30 50");
}

TEST_CASE("building and composing closures calls no user function until a run") {
    auto calls = std::make_shared<int>(0);
    const auto p = rill::map(rill_test::counted(square, calls)) | rill::filter(rill_test::counted(is_odd, calls));
    const auto s = rill::iota(0, 4) | p;
    CHECK(*calls == 0);
    CHECK(rill_test::show(s) == "1 9");
    CHECK(*calls == 8);
}

TEST_CASE("a closure ending in a sink's pipe form runs the stream") {
    const auto s = rill::iota(0, 6);
    CHECK((s | rill::count()) == 6u);
    CHECK((s | (rill::filter(is_odd) | rill::count())) == 3u);
    const auto items = s | (rill::map(square) | rill::take(3) | rill::collect());
    REQUIRE(items.size() == 3);
    CHECK(*items[0] == 0);
    CHECK(*items[1] == 1);
    CHECK(*items[2] == 4);
}

TEST_CASE("a composed closure stops early: take pulls no more than needed upstream") {
    auto calls = std::make_shared<int>(0);
    const auto p = rill::map(rill_test::counted(square, calls)) | rill::take(2);
    CHECK(rill_test::show(rill::iota(0) | p) == "0 1");
    CHECK(*calls == 2);
}

TEST_CASE("a composed closure carries move-only and non-default-constructible items") {
    const auto p = rill::map([](int x) { return rill_test::move_only(x); }) |
                   rill::filter([](const rill_test::move_only& m) { return m.get() != 1; }) |
                   rill::map([](rill_test::move_only m) { return rill_test::no_default(m.get() * 2); }) |
                   rill::map([](rill_test::no_default n) { return n.value; });
    CHECK(rill_test::show(rill::iota(0, 4) | p) == "0 4 6");
}

TEST_CASE("an exception from a function inside a composed closure propagates and releases upstream resources") {
    for (int throw_at : {1, 2, 3}) {
        for (bool pull : {false, true}) {
            CAPTURE(throw_at);
            CAPTURE(pull);
            auto log = std::make_shared<rill_test::event_log>();
            auto calls = std::make_shared<int>(0);
            const auto p = rill::map(rill_test::counted(square, calls, throw_at)) | rill::filter(is_odd);
            const auto s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                                [](rill_test::logging_handle&) { return rill::iota(0, 3); }) |
                           p;
            CHECK_THROWS_AS(pull ? rill_test::pulled(s) : rill::collect(s), rill_test::boom);
            CHECK(*calls == throw_at);
            CHECK(log->events == std::vector<std::string>{"open r", "close r failed"});
        }
    }
}

TEST_CASE("piping an lvalue stream leaves it usable; piping an rvalue stream works the same") {
    auto s = rill::of(std::string("a"), std::string("bb"));
    const auto p = rill::map([](std::string x) { return x.size(); });
    CHECK(rill_test::show(s | p) == "1 2");
    CHECK(rill_test::show(s | p) == "1 2");
    CHECK(rill_test::show(std::move(s) | p) == "1 2");
}
