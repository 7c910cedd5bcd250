// Tests of include/rill/source/single.hpp: pure(x) and failed<T>(e).
#include <rill/source/single.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <type_traits>

static_assert(std::is_same_v<rill::value_t<decltype(rill::pure(1))>, int>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::pure(std::declval<const std::string&>()))>, std::string>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::failed<double>(rill::err_info{"E", "m"}))>, double>);
static_assert(rill::replayable_stream<decltype(rill::pure(std::string("x")))>);
static_assert(rill::replayable_stream<decltype(rill::failed<int>(rill::err_info{"E", "m"}))>);
static_assert(!rill::replayable_stream<decltype(rill::pure(rill_test::move_only(1)))>);

TEST_CASE("pure(x) is the one-item stream Ok(x)") {
    const auto s = rill::pure(42);
    const auto items = rill::collect(s);
    REQUIRE(items.size() == 1);
    REQUIRE(items[0].has_value());
    CHECK(*items[0] == 42);
    CHECK(rill_test::show(rill::pure(std::string("hello"))) == "hello");
}

TEST_CASE("pure holds a copy of its argument, taken when the stream is made") {
    std::string word = "before";
    const auto s = rill::pure(word);
    word = "after";
    CHECK(rill_test::show(s) == "before");
}

TEST_CASE("pure replays: every run gives its item again, copies too") {
    const auto s = rill::pure(std::string("again"));
    CHECK(rill_test::show(s) == "again");
    CHECK(rill_test::show(s) == "again"); // the first run did not move the item out of the description
    const auto copy = s;
    CHECK(rill_test::show(copy) == "again");
    CHECK(rill::count(s) == 1u);
}

TEST_CASE("a cursor of pure gives its item once, then stays empty") {
    auto c = rill::pure(7).open();
    auto first = c.next();
    REQUIRE(first);
    CHECK(**first == 7);
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
}

TEST_CASE("failed<T>(e) is the one-item stream Err(e)") {
    const auto s = rill::failed<int>(rill::err_info{"NOPE", "it failed"});
    const auto items = rill::collect(s);
    REQUIRE(items.size() == 1);
    REQUIRE_FALSE(items[0].has_value());
    CHECK(items[0].error().code == "NOPE");
    CHECK(items[0].error().message == "it failed");
    CHECK(rill_test::show(s) == "!NOPE"); // replays
}

TEST_CASE("an Err item from failed passes map unchanged and map is not called") {
    auto calls = std::make_shared<int>(0);
    const auto s = rill::failed<int>(rill::err_info{"E", "m"}) |
                   rill::map(rill_test::counted([](int x) { return x + 1; }, calls));
    CHECK(rill_test::show(s) == "!E");
    CHECK(*calls == 0);
}

TEST_CASE("pure carries move-only items through an rvalue run") {
    auto s = rill::pure(rill_test::move_only(5));
    auto items = rill::collect(std::move(s));
    REQUIRE(items.size() == 1);
    REQUIRE(items[0].has_value());
    CHECK(items[0]->get() == 5);

    auto f = rill::failed<rill_test::move_only>(rill::err_info{"E", "m"});
    CHECK(rill_test::show(std::move(f)) == "!E");
}

TEST_CASE("pure and failed work with types without a default constructor") {
    CHECK(rill_test::show(rill::pure(rill_test::no_default(3))) == "no_default(3)");
    CHECK(rill_test::show(rill::failed<rill_test::no_default>(rill::err_info{"X", "y"})) == "!X");
}

TEST_CASE("pure holds its item inline: a run makes copies and leaves none behind") {
    auto live = std::make_shared<long>(0);
    {
        const auto s = rill::pure(rill_test::counted_item(1, live));
        CHECK(*live == 1);
        {
            auto c = s.open(); // stopped before pulling anything
            CHECK(*live == 2);
        }
        CHECK(*live == 1);
        CHECK(rill::count(s) == 1u);
        CHECK(rill::count(s | rill::take(0)) == 0u);
        CHECK(*live == 1);
    }
    CHECK(*live == 0);
}
