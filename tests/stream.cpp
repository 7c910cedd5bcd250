// Tests of include/rill/stream.hpp: the type-erased stream<T>.
#include <rill/stream.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/generate.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/source/single.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace {

// A function object that counts how many times it is copied.
struct copy_counting_square {
    std::shared_ptr<int> copies;
    copy_counting_square(std::shared_ptr<int> c) : copies(std::move(c)) {}
    copy_counting_square(const copy_counting_square& o) : copies(o.copies) { ++*copies; }
    copy_counting_square& operator=(const copy_counting_square&) = default;
    int operator()(int x) const { return x * x; }
};

rill::generator<int> up_to(int n) {
    for (int i = 0; i < n; ++i) co_yield i;
}

} // namespace

static_assert(rill::replayable_stream<rill::stream<int>>);
static_assert(std::is_default_constructible_v<rill::stream<int>>);
static_assert(std::is_copy_constructible_v<rill::stream<int>> && std::is_copy_assignable_v<rill::stream<int>>);
static_assert(std::is_nothrow_move_constructible_v<rill::stream<int>>);
static_assert(std::is_convertible_v<decltype(rill::iota(0, 3)), rill::stream<int>>);
static_assert(!std::is_convertible_v<decltype(rill::iota(0, 3)), rill::stream<long>>);
static_assert(!std::is_convertible_v<decltype(rill::iota(0, 3)), rill::stream<std::string>>);
static_assert(!std::is_convertible_v<std::vector<int>, rill::stream<int>>);
static_assert(std::is_same_v<rill::value_t<rill::stream<std::string>>, std::string>);

TEST_CASE("a default-constructed stream<T> has no items") {
    const rill::stream<int> s;
    CHECK(rill_test::show(s) == "");
    CHECK(rill::count(s) == 0u);
    CHECK(s.begin() == s.end());
    auto c = s.open();
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
    const rill::stream<rill_test::move_only> m;
    CHECK(rill::collect(m).empty());
}

TEST_CASE("stream<T> converts from any replayable stream and gives the same items") {
    std::vector<int> v{4, 5, 6};
    const rill::stream<int> from_iota = rill::iota(0, 3);
    const rill::stream<int> from_of = rill::of(7, 8);
    const rill::stream<int> from_pure = rill::pure(9);
    const rill::stream<int> from_empty = rill::empty<int>();
    const rill::stream<int> from_vector = rill::from(v);
    const rill::stream<int> from_generate = rill::generate([] { return up_to(3); });
    const rill::stream<int> from_pipeline = rill::iota(0, 6) | rill::filter([](int x) { return x % 2 == 0; }) |
                                            rill::map([](int x) { return x * 10; });
    const rill::stream<int> from_erased = from_pipeline | rill::take(2);
    CHECK(rill_test::show(from_iota) == "0 1 2");
    CHECK(rill_test::show(from_of) == "7 8");
    CHECK(rill_test::show(from_pure) == "9");
    CHECK(rill_test::show(from_empty) == "");
    CHECK(rill_test::show(from_vector) == "4 5 6");
    CHECK(rill_test::show(from_generate) == "0 1 2");
    CHECK(rill_test::show(from_pipeline) == "0 20 40");
    CHECK(rill_test::show(from_erased) == "0 20");
}

TEST_CASE("stream<T> keeps Err items in every position, with their provenance") {
    const rill::stream<int> first = rill::from(rill_test::items({-1, 2, 3}));
    const rill::stream<int> middle = rill::from(rill_test::items({1, -2, 3}));
    const rill::stream<int> last = rill::from(rill_test::items({1, 2, -3}));
    const rill::stream<int> only = rill::from(rill_test::items({-4}));
    CHECK(rill_test::show(first) == "!E1 2 3");
    CHECK(rill_test::show(middle) == "1 !E2 3");
    CHECK(rill_test::show(last) == "1 2 !E3");
    CHECK(rill_test::show(only) == "!E4");
    const auto items = rill::collect(middle);
    REQUIRE(items.size() == 3);
    REQUIRE_FALSE(items[1].has_value());
    CHECK(items[1].error() == rill::err_info{"E2", "error 2"});
    REQUIRE(items[1].error().trace.size() == 1);
    CHECK(items[1].error().trace[0] == rill::err_frame{"from", "", 1});
}

TEST_CASE("copies of a stream<T> share its description and each replays it") {
    auto copies = std::make_shared<int>(0);
    const rill::stream<int> s = rill::iota(1, 4) | rill::map(copy_counting_square(copies));
    const int after_erasure = *copies;
    rill::stream<int> a = s;
    rill::stream<int> b = a;
    CHECK(*copies == after_erasure); // the function was not copied: the description is shared
    CHECK(rill_test::show(s) == "1 4 9");
    CHECK(rill_test::show(a) == "1 4 9");
    CHECK(rill_test::show(b) == "1 4 9");
    CHECK(rill_test::show(b) == "1 4 9");
}

TEST_CASE("stream<T> is assignable, and moving from it leaves the target with the items") {
    rill::stream<int> s = rill::of(1, 2);
    const rill::stream<int> t = rill::iota(5, 7);
    s = t;
    CHECK(rill_test::show(s) == "5 6");
    s = rill::stream<int>();
    CHECK(rill_test::show(s) == "");
    s = rill::of(3);
    rill::stream<int> moved = std::move(s);
    CHECK(rill_test::show(moved) == "3");
}

TEST_CASE("erasing a stream calls no user function; each run does") {
    auto calls = std::make_shared<int>(0);
    const rill::stream<int> s = rill::iota(0, 3) | rill::map(rill_test::counted([](int x) { return x + 1; }, calls));
    CHECK(*calls == 0);
    CHECK(rill_test::show(s) == "1 2 3");
    CHECK(*calls == 3);
    CHECK(rill_test::show(s) == "1 2 3");
    CHECK(*calls == 6);
}

TEST_CASE("and_then may return stream<T> made from different pipelines") {
    const auto f = [](int x) -> rill::stream<int> {
        switch (x % 4) {
        case 0: return rill::empty<int>();
        case 1: return rill::pure(x);
        case 2: return rill::of(x, x * 10);
        default: return rill::failed<int>(rill::err_info{"ODD3", "x % 4 == 3"});
        }
    };
    const auto s = rill::iota(0, 8) | rill::and_then(f);
    CHECK(rill_test::show(s) == "1 2 20 !ODD3 5 6 60 !ODD3");
    CHECK(rill_test::show(rill::and_then(rill::iota(0, 8), f)) == "1 2 20 !ODD3 5 6 60 !ODD3");
    CHECK(rill_test::show(s) == "1 2 20 !ODD3 5 6 60 !ODD3");
}

TEST_CASE("a range-for over a stream<T> sees each item, and break stops the run") {
    auto calls = std::make_shared<int>(0);
    const rill::stream<int> s = rill::iota(0) | rill::map(rill_test::counted([](int x) { return x; }, calls));
    std::vector<int> seen;
    for (auto&& r : s) {
        REQUIRE(r.has_value());
        seen.push_back(*r);
        if (seen.size() == 3) break;
    }
    CHECK(seen == std::vector<int>{0, 1, 2});
    CHECK(*calls == 3);
}

TEST_CASE("stream<T> carries move-only and non-default-constructible items") {
    const rill::stream<rill_test::move_only> m =
        rill::iota(0, 3) | rill::map([](int x) { return rill_test::move_only(x); });
    CHECK(rill_test::show(m) == "move_only(0) move_only(1) move_only(2)");
    CHECK(rill_test::show(m) == "move_only(0) move_only(1) move_only(2)");
    const rill::stream<rill_test::no_default> n = rill::of(rill_test::no_default(4), rill_test::no_default(5));
    CHECK(rill_test::show(n) == "no_default(4) no_default(5)");
}

TEST_CASE("stopping a stream<T> run early releases what the run acquired") {
    auto log = std::make_shared<rill_test::event_log>();
    const rill::stream<int> s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                                     [](rill_test::logging_handle&) { return rill::iota(0, 5); });
    SUBCASE("take") {
        CHECK(rill_test::show(s | rill::take(2)) == "0 1");
    }
    SUBCASE("destroying the cursor") {
        auto c = s.open();
        CHECK(c.next());
        CHECK(log->events == std::vector<std::string>{"open r"});
    }
    CHECK(log->events == std::vector<std::string>{"open r", "close r stopped_early"});
    CHECK(rill_test::show(s) == "0 1 2 3 4");
    CHECK(log->events ==
          std::vector<std::string>{"open r", "close r stopped_early", "open r", "close r completed"});
}

TEST_CASE("an exception thrown inside a stream<T> propagates and releases what the run acquired") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        auto calls = std::make_shared<int>(0);
        const rill::stream<int> s =
            rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                 [](rill_test::logging_handle&) { return rill::iota(0, 3); }) |
            rill::map(rill_test::counted([](int x) { return x; }, calls, throw_at));
        CHECK_THROWS_AS(rill::collect(s), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(log->events == std::vector<std::string>{"open r", "close r failed"});
    }
}

TEST_CASE("a stream<T> outlives the pipeline it was made from") {
    rill::stream<std::string> s;
    {
        const auto words = rill::of(std::string("alpha"), std::string("beta"));
        s = words | rill::map([suffix = std::string("!")](std::string w) { return w + suffix; });
    }
    CHECK(rill_test::show(s) == "alpha! beta!");
    auto c = s.open();
    s = rill::stream<std::string>();
    auto first = c.next();
    REQUIRE(first);
    CHECK(**first == "alpha!");
}

TEST_CASE("take(n) pulls at most n items through a stream<T>, above it and below it") {
    using namespace rill_test;
    for (via how : every_way) {
        CAPTURE(how);
        auto pulls = counter();
        const rill::stream<int> erased(count_pulls(rill::iota(0), pulls));
        CHECK(show_via(how, erased | rill::take(3)) == "0 1 2");
        CHECK(*pulls == 3);
        *pulls = 0;
        const rill::stream<int> erased_take(count_pulls(rill::iota(0), pulls) | rill::take(2));
        CHECK(show_via(how, erased_take) == "0 1");
        CHECK(*pulls == 2);
    }
}
