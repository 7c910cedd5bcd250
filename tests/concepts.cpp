// Tests of include/rill/concepts.hpp: cursor, any_stream, replayable_stream,
// stream_of, value_t and cursor_t, and the pull path (next() and a range-for
// through a pipeline's drain).
#include <rill/concepts.hpp>
#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/generate.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/source/single.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/stream.hpp>

#include "support/archetypes.hpp"
#include "support/items.hpp"
#include "support/sources.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace {

// A hand-written cursor over 1, 2, 3, not built on anything of rill's.
struct three_cursor {
    using value_type = int;
    int i = 0;
    std::optional<rill::result<int>> next() {
        if (i == 3) return std::nullopt;
        return rill::result<int>(++i);
    }
};

// A hand-written stream: a value_type and an open() through const&, nothing else.
struct three_stream {
    using value_type = int;
    three_cursor open() const { return {}; }
};

// A stream that can be opened only once, as an rvalue.
struct rvalue_only_stream {
    using value_type = int;
    std::unique_ptr<int> state = std::make_unique<int>(0);
    three_cursor open() && { return {}; }
};

// A copyable stream that declares itself one-shot (as a channel would).
struct declared_one_shot_stream {
    using value_type = int;
    static constexpr bool one_shot = true;
    three_cursor open() const { return {}; }
};

// A stream declaring one_shot = false is replayable.
struct declared_replayable_stream {
    using value_type = int;
    static constexpr bool one_shot = false;
    three_cursor open() const { return {}; }
};

// Not cursors.
struct no_value_type_cursor {
    std::optional<rill::result<int>> next() { return std::nullopt; }
};
struct wrong_next_cursor {
    using value_type = int;
    std::optional<int> next() { return std::nullopt; }
};
struct mismatched_value_type_cursor {
    using value_type = long;
    std::optional<rill::result<int>> next() { return std::nullopt; }
};
struct immovable_cursor {
    using value_type = int;
    immovable_cursor() = default;
    immovable_cursor(immovable_cursor&&) = delete;
    std::optional<rill::result<int>> next() { return std::nullopt; }
};

// Not streams.
struct no_value_type_stream {
    three_cursor open() const { return {}; }
};
struct open_returns_int_stream {
    using value_type = int;
    int open() const { return 0; }
};

const auto twice = [](int x) { return 2 * x; };

rill::generator<int> count_to(int n) {
    for (int i = 0; i < n; ++i) co_yield i;
}

using iota_s = decltype(rill::iota(0, 3));
using of_s = decltype(rill::of(1, 2, 3));
using vec_lvalue_s = decltype(rill::from(std::declval<std::vector<int>&>()));
using vec_rvalue_s = decltype(rill::from(std::declval<std::vector<int>>()));
using input_lvalue_s = decltype(rill::from(std::declval<rill_test::input_numbers&>()));
using input_rvalue_s = decltype(rill::from(std::declval<rill_test::input_numbers>()));
using input_map_s = decltype(rill::from(std::declval<rill_test::input_numbers&>()) | rill::map(twice));
using generate_s = decltype(rill::generate([] { return count_to(3); }));
using map_filter_s = decltype(rill::iota(0, 3) | rill::map(twice) | rill::filter([](int) { return true; }));
using move_only_of_s = decltype(rill::of(rill_test::move_only(1), rill_test::move_only(2)));
using move_only_pure_s = decltype(rill::pure(rill_test::move_only(1)));

} // namespace

// cursor
static_assert(rill::cursor<three_cursor>);
static_assert(rill::cursor<rill::cursor_t<const iota_s&>>);
static_assert(rill::cursor<rill::cursor_t<const map_filter_s&>>);
static_assert(rill::cursor<rill::stream<int>::cursor>);
static_assert(!rill::cursor<no_value_type_cursor>);
static_assert(!rill::cursor<wrong_next_cursor>);
static_assert(!rill::cursor<mismatched_value_type_cursor>);
static_assert(!rill::cursor<immovable_cursor>);
static_assert(!rill::cursor<int>);

// Cursors move but need not be assignable: a map over a capturing lambda still is one.
namespace {
const int offset = 3;
using capturing_map_cursor = rill::cursor_t<decltype(rill::iota(0, 3) | rill::map([k = offset](int x) { return x + k; }))>;
} // namespace
static_assert(rill::cursor<capturing_map_cursor>);
static_assert(!std::is_copy_assignable_v<capturing_map_cursor>);

// any_stream
static_assert(rill::any_stream<three_stream>);
static_assert(rill::any_stream<const three_stream&>);
static_assert(rill::any_stream<rvalue_only_stream>);
static_assert(rill::any_stream<declared_one_shot_stream>);
static_assert(rill::any_stream<iota_s>);
static_assert(rill::any_stream<of_s>);
static_assert(rill::any_stream<vec_lvalue_s>);
static_assert(rill::any_stream<input_lvalue_s>);
static_assert(rill::any_stream<generate_s>);
static_assert(rill::any_stream<map_filter_s>);
static_assert(rill::any_stream<move_only_of_s>);
static_assert(rill::any_stream<rill::stream<int>>);
static_assert(rill::any_stream<decltype(rill::empty<int>())>);
static_assert(!rill::any_stream<int>);
static_assert(!rill::any_stream<std::vector<int>>);
static_assert(!rill::any_stream<no_value_type_stream>);
static_assert(!rill::any_stream<open_returns_int_stream>);

// replayable_stream
static_assert(rill::replayable_stream<three_stream>);
static_assert(rill::replayable_stream<three_stream&>);
static_assert(rill::replayable_stream<const three_stream&>);
static_assert(rill::replayable_stream<declared_replayable_stream>);
static_assert(rill::replayable_stream<iota_s>);
static_assert(rill::replayable_stream<of_s>);
static_assert(rill::replayable_stream<vec_lvalue_s>);
static_assert(rill::replayable_stream<vec_rvalue_s>);
static_assert(rill::replayable_stream<generate_s>);
static_assert(rill::replayable_stream<map_filter_s>);
static_assert(rill::replayable_stream<rill::stream<int>>);
static_assert(rill::replayable_stream<decltype(rill::pure(1))>);
static_assert(rill::replayable_stream<decltype(rill::empty<int>())>);
static_assert(!rill::replayable_stream<rvalue_only_stream>);
static_assert(!rill::replayable_stream<declared_one_shot_stream>);
static_assert(!rill::replayable_stream<input_lvalue_s>);
static_assert(!rill::replayable_stream<input_rvalue_s>);
static_assert(!rill::replayable_stream<input_map_s>); // one-shot upstream: one-shot stage
static_assert(!rill::replayable_stream<move_only_of_s>);
static_assert(!rill::replayable_stream<move_only_pure_s>);
static_assert(!rill::replayable_stream<int>);

// stream_of, value_t, cursor_t
static_assert(rill::stream_of<iota_s, int>);
static_assert(!rill::stream_of<iota_s, long>);
static_assert(rill::stream_of<decltype(rill::iota(0, 3) | rill::map([](int x) { return std::to_string(x); })), std::string>);
static_assert(rill::stream_of<const rill::stream<double>&, double>);
static_assert(!rill::stream_of<std::vector<int>, int>);
static_assert(std::is_same_v<rill::value_t<of_s>, int>);
static_assert(std::is_same_v<rill::value_t<const generate_s&>, int>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::from(std::declval<std::vector<rill::result<short>>&>()))>, short>);
static_assert(std::is_same_v<rill::cursor_t<three_stream>, three_cursor>);
static_assert(std::is_same_v<rill::cursor_t<const iota_s&>, decltype(std::declval<const iota_s&>().open())>);

TEST_CASE("a hand-written stream satisfying any_stream works with rill's stages and sinks") {
    const three_stream s;
    CHECK(rill_test::show(s) == "1 2 3");
    CHECK(rill_test::show(s | rill::map(twice)) == "2 4 6");
    CHECK(rill_test::show(rill::map(s, twice)) == "2 4 6");
    CHECK(rill_test::show(rvalue_only_stream{} | rill::map(twice)) == "2 4 6");
}

TEST_CASE("a cursor gives its items in order, then stays empty") {
    auto c = rill::of(7, 8).open();
    auto a = c.next();
    auto b = c.next();
    REQUIRE(a);
    REQUIRE(b);
    CHECK(**a == 7);
    CHECK(**b == 8);
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
}

TEST_CASE("a replayable stream gives the same items on every run") {
    const auto s = rill::iota(0, 4) | rill::map(twice);
    CHECK(rill_test::show(s) == "0 2 4 6");
    CHECK(rill_test::show(s) == "0 2 4 6");
    const auto copy = s;
    CHECK(rill_test::show(copy) == "0 2 4 6");
}

TEST_CASE("a from stream over an input-only range runs once: a second run finds the range consumed") {
    rill_test::input_numbers numbers(0, 3);
    const auto s = rill::from(numbers);
    static_assert(!rill::replayable_stream<decltype(s)>);
    CHECK(rill_test::show(s) == "0 1 2");
    CHECK(rill_test::show(s) == "");
    CHECK(numbers.reads() == 3);
}

TEST_CASE("a stage over a one-shot stream runs once too") {
    rill_test::input_numbers numbers(1, 4);
    auto s = rill::from(numbers) | rill::map(twice);
    static_assert(!rill::replayable_stream<decltype(s)>);
    CHECK(rill_test::show(s) == "2 4 6");
    CHECK(rill_test::show(s) == "");
}

// next() and a range-for take their items through the pipeline's drain (a
// first_slot that holds the Ok value apart from the Err item): every object
// built on the way is destroyed once, at the end, when the consumer stops
// early and when a stage throws.
namespace {
auto counted_pipeline(std::shared_ptr<long> live) {
    return rill::iota(0, 6) | rill::map([live](int i) { return rill_test::counted_item(i, live); }) |
           rill::filter([](const rill_test::counted_item& c) { return c.value != 2; }) |
           rill::try_map([](rill_test::counted_item&& c) -> rill::result<rill_test::counted_item> {
               if (c.value == 3) return tl::unexpected(rill::err_info{"odd", "three is not wanted"});
               return std::move(c);
           });
}
} // namespace

TEST_CASE("next() through a pipeline gives each item once and leaves no object behind") {
    auto live = std::make_shared<long>(0);
    {
        auto c = counted_pipeline(live).open();
        std::string seen;
        while (auto r = c.next()) {
            CHECK(*live == (r->has_value() ? 1 : 0)); // only the item in hand
            seen += *r ? std::to_string((*r)->value) : (*r).error().code;
            seen += ' ';
        }
        CHECK(seen == "0 1 odd 4 5 ");
    }
    CHECK(*live == 0);
    {
        auto c = counted_pipeline(live).open();
        const auto first = c.next(); // stopped early, the run destroyed with its cursor
        REQUIRE(first);
        CHECK((*first)->value == 0);
    }
    CHECK(*live == 0);
}

TEST_CASE("a range-for through a pipeline gives each item once and leaves no object behind") {
    auto live = std::make_shared<long>(0);
    std::string seen;
    for (auto&& r : counted_pipeline(live)) {
        CHECK(*live == (r.has_value() ? 1 : 0)); // only the item in hand
        seen += r ? std::to_string(r->value) : r.error().code;
        seen += ' ';
    }
    CHECK(seen == "0 1 odd 4 5 ");
    CHECK(*live == 0);
    for (auto&& r : counted_pipeline(live)) {
        if (r && r->value == 1) break;
    }
    CHECK(*live == 0);
}

TEST_CASE("an exception from a stage leaves next() with no object behind, and the item before it intact") {
    auto live = std::make_shared<long>(0);
    const auto s = counted_pipeline(live) | rill::map([](rill_test::counted_item&& c) {
                       if (c.value == 4) throw std::runtime_error("four");
                       return std::move(c);
                   });
    {
        auto c = s.open();
        auto a = c.next();
        auto b = c.next();
        auto e = c.next();
        REQUIRE(a);
        REQUIRE(b);
        REQUIRE(e);
        CHECK((*b)->value == 1);
        CHECK_FALSE(e->has_value());
        CHECK_THROWS_WITH_AS(c.next(), "four", std::runtime_error);
        CHECK(*live == 2); // a and b
    }
    CHECK(*live == 0);
}
