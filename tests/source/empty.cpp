// Tests of include/rill/source/empty.hpp: empty<T>().
#include <rill/source/empty.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/stage/map.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <type_traits>

static_assert(std::is_same_v<rill::value_t<decltype(rill::empty<int>())>, int>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::empty<std::string>())>, std::string>);
static_assert(rill::replayable_stream<decltype(rill::empty<rill_test::move_only>())>);
static_assert(rill::replayable_stream<decltype(rill::empty<rill_test::no_default>())>);

TEST_CASE("empty<T>() has no items") {
    const auto s = rill::empty<int>();
    CHECK(rill::collect(s).empty());
    CHECK(rill::count(s) == 0u);
    CHECK(s.begin() == s.end());
    CHECK(rill_test::show(rill::empty<std::string>()) == "");
}

TEST_CASE("a cursor of empty<T>() stays at its end") {
    auto c = rill::empty<int>().open();
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
}

TEST_CASE("empty<T>() replays: every run and every copy is empty") {
    const auto s = rill::empty<double>();
    const auto copy = s;
    CHECK(rill::count(s) == 0u);
    CHECK(rill::count(s) == 0u);
    CHECK(rill::count(copy) == 0u);
}

TEST_CASE("a stage over empty<T>() calls no user function") {
    auto calls = std::make_shared<int>(0);
    const auto f = rill_test::counted([](int x) { return x + 1; }, calls);
    CHECK(rill::count(rill::empty<int>() | rill::map(f)) == 0u);
    CHECK(rill::count(rill::map(rill::empty<int>(), f)) == 0u);
    CHECK(*calls == 0);
}

TEST_CASE("empty<T>() works for move-only types and types without a default constructor") {
    CHECK(rill::collect(rill::empty<rill_test::move_only>()).empty());
    CHECK(rill::collect(rill::empty<rill_test::no_default>()).empty());
    int n = 0;
    for (auto&& r : rill::empty<rill_test::move_only>()) {
        (void)r;
        ++n;
    }
    CHECK(n == 0);
}
