// Tests of include/rill/source/from.hpp: from(range).
#include <rill/source/from.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/sources.hpp"

#include <range/v3/view/iota.hpp>
#include <range/v3/view/transform.hpp>

#include <doctest/doctest.h>

#include <array>
#include <list>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace {

auto counted_items_stream(std::shared_ptr<long> live) {
    std::vector<rill_test::counted_item> v;
    v.reserve(3);
    for (int i = 1; i <= 3; ++i) v.emplace_back(i, live);
    return rill::from(std::move(v)); // the local vector dies here: the stream owns its elements
}

std::string values(const std::vector<rill::result<rill_test::counted_item>>& items) {
    std::string out;
    for (const auto& r : items) out += std::to_string(r->value);
    return out;
}

} // namespace

static_assert(std::is_same_v<rill::value_t<decltype(rill::from(std::declval<std::vector<int>&>()))>, int>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::from(std::declval<const std::vector<std::string>&>()))>,
                             std::string>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::from(std::declval<std::vector<rill::result<long>>>()))>, long>);
static_assert(rill::replayable_stream<decltype(rill::from(std::declval<std::vector<int>&>()))>);
static_assert(rill::replayable_stream<decltype(rill::from(std::declval<std::vector<int>>()))>);
static_assert(!rill::replayable_stream<decltype(rill::from(std::declval<rill_test::input_numbers&>()))>);
static_assert(!rill::replayable_stream<decltype(rill::from(std::declval<rill_test::input_numbers>()))>);

TEST_CASE("from gives the elements of a range as Ok items, in order") {
    const std::vector<int> v{3, 1, 2};
    CHECK(rill_test::show(rill::from(v)) == "3 1 2");
    const std::list<std::string> l{"x", "yz"};
    CHECK(rill_test::show(rill::from(l)) == "x yz");
    const std::array<double, 2> a{0.5, 1.5};
    CHECK(rill_test::show(rill::from(a)) == "0.5 1.5");
    CHECK(rill_test::show(rill::from(std::string("abc"))) == "a b c");
    CHECK(rill_test::show_pulled(rill::from(v)) == "3 1 2");
    CHECK(rill_test::show_pulled(rill::from(l)) == "x yz");
    CHECK(rill_test::show_pulled(rill::from(std::string("abc"))) == "a b c");
}

TEST_CASE("from over an empty range has no items") {
    const std::vector<int> v;
    CHECK(rill_test::show(rill::from(v)) == "");
    CHECK(rill::count(rill::from(std::vector<rill::result<int>>{})) == 0u);
    CHECK(rill_test::show_pulled(rill::from(v)) == "");
}

TEST_CASE("from refers to an lvalue range: changes to it are seen by the next run") {
    std::vector<int> v{1, 2};
    const auto s = rill::from(v);
    CHECK(rill_test::show(s) == "1 2");
    v.push_back(3);
    CHECK(rill_test::show(s) == "1 2 3");
    v[0] = 9;
    const auto copy = s;
    CHECK(rill_test::show(copy) == "9 2 3");
    v.push_back(4);
    CHECK(rill_test::show_pulled(s) == "9 2 3 4");
    v.clear();
    CHECK(rill_test::show(s) == "");
}

TEST_CASE("from owns an rvalue range, and copies of the stream share it") {
    auto live = std::make_shared<long>(0);
    {
        const auto s = counted_items_stream(live);
        CHECK(*live == 3);
        const auto a = s;
        const auto b = a;
        CHECK(*live == 3); // copies share the elements, nothing is copied
        CHECK(values(rill::collect(s)) == "123");
        CHECK(values(rill::collect(a)) == "123");
        CHECK(values(rill::collect(b)) == "123");
        CHECK(values(rill_test::pulled(b)) == "123");
        CHECK(*live == 3); // the runs' items are gone, the shared elements stay
    }
    CHECK(*live == 0);
}

TEST_CASE("from takes result elements as they are, keeping Err items in every position") {
    CHECK(rill_test::show(rill::from(rill_test::items({-1, 2, 3}))) == "!E1 2 3");
    CHECK(rill_test::show(rill::from(rill_test::items({1, -2, 3}))) == "1 !E2 3");
    CHECK(rill_test::show(rill::from(rill_test::items({1, 2, -3}))) == "1 2 !E3");
    CHECK(rill_test::show(rill::from(rill_test::items({-4}))) == "!E4");
    CHECK(rill_test::show(rill::from(rill_test::items({-5, -6}))) == "!E5 !E6");
    CHECK(rill_test::show_pulled(rill::from(rill_test::items({-1, 2, 3}))) == "!E1 2 3");
    CHECK(rill_test::show_pulled(rill::from(rill_test::items({1, -2, 3}))) == "1 !E2 3");
    CHECK(rill_test::show_pulled(rill::from(rill_test::items({1, 2, -3}))) == "1 2 !E3");
    CHECK(rill_test::show_pulled(rill::from(rill_test::items({-4}))) == "!E4");
}

TEST_CASE("from stamps Err items with provenance op \"from\" and their index, leaving the range untouched") {
    auto v = rill_test::items({1, -2, 3, -4}); // not const: the stream must still not change it
    const auto s = rill::from(v);
    for (int run = 0; run < 2; ++run) {
        for (bool pull : {false, true}) {
            CAPTURE(run);
            CAPTURE(pull);
            const auto items = pull ? rill_test::pulled(s) : rill::collect(s);
            REQUIRE(items.size() == 4);
            CHECK(items[1].error() == rill::err_info{"E2", "error 2"});
            REQUIRE(items[1].error().trace.size() == 1);
            CHECK(items[1].error().trace[0] == rill::err_frame{"from", "", 1});
            REQUIRE(items[3].error().trace.size() == 1);
            CHECK(items[3].error().trace[0] == rill::err_frame{"from", "", 3});
        }
    }
    const auto owned = rill::collect(rill::from(rill_test::items({-1, 2})));
    REQUIRE(owned[0].error().trace.size() == 1);
    CHECK(owned[0].error().trace[0] == rill::err_frame{"from", "", 0});
    CHECK(v[1].error().trace.empty());
    CHECK(v[3].error().trace.empty());
}

TEST_CASE("from accepts a range-v3 range and is lazy over it") {
    auto calls = std::make_shared<int>(0);
    const auto r = ::ranges::views::iota(0, 5) |
                   ::ranges::views::transform(rill_test::counted([](int x) { return x * x; }, calls));
    const auto s = rill::from(r);
    CHECK(*calls == 0);
    CHECK(rill_test::show(s) == "0 1 4 9 16");
    CHECK(*calls == 5);
    CHECK(rill_test::show(s) == "0 1 4 9 16");
    CHECK(*calls == 10);
    CHECK(rill_test::show(s | rill::take(2)) == "0 1");
    CHECK(*calls == 12);
    CHECK(rill_test::show_pulled(s) == "0 1 4 9 16");
    CHECK(*calls == 17);
    CHECK(rill_test::show(rill::from(::ranges::views::iota(2, 4) | ::ranges::views::transform([](int x) {
                                         return x + 100;
                                     }))) == "102 103");
}

TEST_CASE("from over an input-only range makes a one-shot stream") {
    rill_test::input_numbers numbers(0, 4);
    const auto s = rill::from(numbers);
    CHECK(rill_test::show(s | rill::take(2)) == "0 1");
    CHECK(numbers.reads() == 2); // take stopped the run without reading more
    CHECK(rill_test::show(s) == "2 3");
    CHECK(rill_test::show(s) == "");

    rill_test::input_numbers more(0, 4);
    const auto t = rill::from(more);
    CHECK(rill_test::show_pulled(t | rill::take(3)) == "0 1 2");
    CHECK(more.reads() == 3);
    CHECK(rill_test::show_pulled(t) == "3");

    auto owned = rill::from(rill_test::input_numbers(5, 8));
    CHECK(rill_test::show(std::move(owned)) == "5 6 7");
}

TEST_CASE("from stops early without reading further elements") {
    auto calls = std::make_shared<int>(0);
    const std::vector<int> v{1, 2, 3, 4, 5};
    const auto s = rill::from(v) | rill::map(rill_test::counted([](int x) { return x; }, calls));
    CHECK(rill_test::show(s | rill::take(2)) == "1 2");
    CHECK(*calls == 2);
    int n = 0;
    for (auto&& r : s) {
        CHECK(*r == 1);
        ++n;
        break;
    }
    CHECK(n == 1);
    CHECK(*calls == 3);
}

TEST_CASE("an exception thrown while reading the range propagates and releases resources") {
    for (int throw_at : {1, 2, 3}) {
        for (bool pull : {false, true}) {
            CAPTURE(throw_at);
            CAPTURE(pull);
            auto log = std::make_shared<rill_test::event_log>();
            auto calls = std::make_shared<int>(0);
            const auto r = ::ranges::views::iota(0, 3) |
                           ::ranges::views::transform(rill_test::counted([](int x) { return x; }, calls, throw_at));
            const auto s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                                [r](rill_test::logging_handle&) { return rill::from(r); });
            CHECK_THROWS_AS(pull ? rill_test::pulled(s) : rill::collect(s), rill_test::boom);
            CHECK(*calls == throw_at);
            CHECK(log->events == std::vector<std::string>{"open r", "close r failed"});
        }
    }
}

TEST_CASE("from carries move-only elements a range makes on the fly") {
    const auto r = ::ranges::views::iota(0, 3) | ::ranges::views::transform([](int x) { return rill_test::move_only(x); });
    const auto s = rill::from(r);
    static_assert(std::is_same_v<rill::value_t<decltype(s)>, rill_test::move_only>);
    CHECK(rill_test::show(s) == "move_only(0) move_only(1) move_only(2)");
    CHECK(rill_test::show(s) == "move_only(0) move_only(1) move_only(2)");
    CHECK(rill_test::show_pulled(s) == "move_only(0) move_only(1) move_only(2)");
}

TEST_CASE("from works with elements without a default constructor") {
    const std::vector<rill_test::no_default> v{rill_test::no_default(1), rill_test::no_default(2)};
    CHECK(rill_test::show(rill::from(v)) == "no_default(1) no_default(2)");
    std::vector<rill::result<rill_test::no_default>> rv;
    rv.emplace_back(rill_test::no_default(3));
    rv.emplace_back(rill::err("E", "m"));
    CHECK(rill_test::show_pulled(rill::from(rv)) == "no_default(3) !E");
    CHECK(rill_test::show(rill::from(std::move(rv))) == "no_default(3) !E");
}
