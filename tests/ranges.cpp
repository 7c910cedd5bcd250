// Tests of include/rill/ranges.hpp: rill::ranges::view(s), a range-v3 view of a stream.
#include <rill/ranges.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/sources.hpp"

#include <range/v3/algorithm/count_if.hpp>
#include <range/v3/algorithm/find_if.hpp>
#include <range/v3/numeric/accumulate.hpp>
#include <range/v3/range/concepts.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace {

const auto is_ok = [](const rill::result<int>& r) { return r.has_value(); };
const auto value_or_zero = [](const rill::result<int>& r) { return r.value_or(0); };

using iota_view = decltype(rill::ranges::view(rill::iota(0, 3)));

} // namespace

static_assert(::ranges::input_range<iota_view>);
static_assert(::ranges::view_<decltype(rill::ranges::view(rill::stream<int>()))>);
static_assert(std::is_same_v<::ranges::range_value_t<iota_view>, rill::result<int>>);
static_assert(std::is_invocable_v<decltype(rill::ranges::view), decltype(rill::iota(0, 3))>);
static_assert(!std::is_invocable_v<decltype(rill::ranges::view),
                                   decltype(rill::from(std::declval<rill_test::input_numbers&>()))>);
static_assert(!std::is_invocable_v<decltype(rill::ranges::view), std::vector<int>>);

TEST_CASE("range-v3 algorithms run over a view of a stream, Err items included") {
    const auto s = rill::from(rill_test::items({1, -2, 3, 4, -5}));
    CHECK(::ranges::count_if(rill::ranges::view(s), is_ok) == 3);
    CHECK(::ranges::accumulate(rill::ranges::view(s), 0, std::plus<>{}, value_or_zero) == 8);
    CHECK(::ranges::count_if(rill::ranges::view(rill::iota(0, 10) | rill::map([](int x) { return x * x; })),
                             [](const rill::result<int>& r) { return *r % 2 == 0; }) == 5);
}

TEST_CASE("rill::ranges::view has a pipe form") {
    const auto v = rill::iota(1, 5) | rill::ranges::view();
    CHECK(::ranges::accumulate(v, 0, std::plus<>{}, value_or_zero) == 10);
}

TEST_CASE("each traversal of the view is a fresh run of the stream") {
    auto calls = std::make_shared<int>(0);
    const auto v = rill::ranges::view(rill::iota(0, 4) | rill::map(rill_test::counted([](int x) { return x; }, calls)));
    CHECK(*calls == 0);
    CHECK(::ranges::accumulate(v, 0, std::plus<>{}, value_or_zero) == 6);
    CHECK(*calls == 4);
    CHECK(::ranges::accumulate(v, 0, std::plus<>{}, value_or_zero) == 6);
    CHECK(*calls == 8);
    const auto items = ::ranges::to<std::vector<rill::result<int>>>(v);
    REQUIRE(items.size() == 4);
    CHECK(*items[3] == 3);
}

TEST_CASE("a range-v3 algorithm that stops early pulls no more items and ends the run") {
    auto calls = std::make_shared<int>(0);
    auto log = std::make_shared<rill_test::event_log>();
    const auto s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                        [](rill_test::logging_handle&) { return rill::iota(0); }) |
                   rill::map(rill_test::counted([](int x) { return x; }, calls));
    {
        const auto v = rill::ranges::view(s);
        const auto it = ::ranges::find_if(v, [](const rill::result<int>& r) { return *r == 2; });
        REQUIRE(it != ::ranges::end(v));
        CHECK(**it == 2);
        CHECK(*calls == 3);
        CHECK(log->events == std::vector<std::string>{"open r"});
    }
    CHECK(log->events == std::vector<std::string>{"open r", "close r stopped_early"});
}

TEST_CASE("an exception thrown during a range-v3 algorithm propagates and releases the run's resources") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto calls = std::make_shared<int>(0);
        auto log = std::make_shared<rill_test::event_log>();
        const auto s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                            [](rill_test::logging_handle&) { return rill::iota(0, 3); }) |
                       rill::map(rill_test::counted([](int x) { return x; }, calls, throw_at));
        CHECK_THROWS_AS(::ranges::count_if(rill::ranges::view(s), is_ok), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(log->events == std::vector<std::string>{"open r", "close r failed"});
    }
}

TEST_CASE("a view of a stream<T> and of move-only items works with range-v3 algorithms") {
    const rill::stream<int> erased = rill::of(5, 6, 7);
    CHECK(::ranges::accumulate(rill::ranges::view(erased), 0, std::plus<>{}, value_or_zero) == 18);

    const auto m = rill::iota(0, 4) | rill::map([](int x) { return rill_test::move_only(x); });
    CHECK(::ranges::count_if(rill::ranges::view(m),
                             [](const rill::result<rill_test::move_only>& r) { return r->get() >= 2; }) == 2);
}

TEST_CASE("an empty stream gives an empty view") {
    const auto v = rill::ranges::view(rill::iota(0, 0));
    CHECK(::ranges::begin(v) == ::ranges::end(v));
    CHECK(::ranges::count_if(v, is_ok) == 0);
}

TEST_CASE("a view of any replayable stream is a range-v3 view") {
    CHECK(::ranges::view_<iota_view>);
    CHECK(::ranges::view_<decltype(rill::ranges::view(rill::iota(0, 3) | rill::map([](int x) { return x; })))>);
    CHECK(::ranges::viewable_range<iota_view>);
}

TEST_CASE("a view of a stream composes with range-v3 views") {
    const auto doubled = rill::ranges::view(rill::iota(0, 4)) |
                         ::ranges::views::transform([](const rill::result<int>& r) { return *r * 2; });
    CHECK(::ranges::accumulate(doubled, 0) == 12);
    CHECK(::ranges::accumulate(doubled, 0) == 12);
}
