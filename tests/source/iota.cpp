// Tests of include/rill/source/iota.hpp: iota(a, b) and iota(a).
#include <rill/source/iota.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/sources.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

static_assert(std::is_same_v<rill::value_t<decltype(rill::iota(0, 3))>, int>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::iota(0L, 3))>, long>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::iota(std::size_t{0}, 3))>, std::size_t>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::iota(0))>, int>);
static_assert(rill::replayable_stream<decltype(rill::iota(0, 3))>);
static_assert(rill::replayable_stream<decltype(rill::iota(0))>);

TEST_CASE("iota(a, b) gives Ok(a) ... Ok(b-1)") {
    CHECK(rill_test::show(rill::iota(0, 5)) == "0 1 2 3 4");
    CHECK(rill_test::show(rill::iota(-2, 2)) == "-2 -1 0 1");
    CHECK(rill_test::show(rill::iota(7, 8)) == "7");
    CHECK(rill_test::show(rill::iota(std::size_t{3}, 5)) == "3 4");
    CHECK(rill_test::show(rill::iota('a', 'd')) == "a b c");
    CHECK(rill::count(rill::iota(0, 1000)) == 1000u);
    CHECK(rill_test::show_pulled(rill::iota(0, 5)) == "0 1 2 3 4");
    CHECK(rill_test::show_pulled(rill::iota(-2, 2)) == "-2 -1 0 1");
}

TEST_CASE("iota(a, b) is empty when b <= a") {
    CHECK(rill_test::show(rill::iota(3, 3)) == "");
    CHECK(rill_test::show(rill::iota(5, 2)) == "");
    CHECK(rill::count(rill::iota(0, -1)) == 0u);
    CHECK(rill_test::show_pulled(rill::iota(3, 3)) == "");
    CHECK(rill_test::show_pulled(rill::iota(5, 2)) == "");
}

TEST_CASE("iota(a) counts without end until stopped") {
    CHECK(rill_test::show(rill::iota(10) | rill::take(4)) == "10 11 12 13");
    CHECK(rill_test::show(rill::take(rill::iota(-1), 3)) == "-1 0 1");
    int sum = 0;
    for (auto&& r : rill::iota(1)) {
        sum += *r;
        if (*r == 100) break;
    }
    CHECK(sum == 5050);
}

TEST_CASE("iota is lazy: take pulls no more than needed") {
    auto calls = std::make_shared<int>(0);
    const auto s = rill::iota(0) | rill::map(rill_test::counted([](int x) { return x * 2; }, calls)) | rill::take(3);
    CHECK(*calls == 0);
    CHECK(rill_test::show(s) == "0 2 4");
    CHECK(*calls == 3);
    CHECK(rill_test::show_pulled(s) == "0 2 4");
    CHECK(*calls == 6);
}

TEST_CASE("iota replays from its start: every run and every copy") {
    const auto s = rill::iota(1, 4);
    CHECK(rill_test::show(s) == "1 2 3");
    CHECK(rill_test::show(s) == "1 2 3");
    const auto copy = s;
    CHECK(rill_test::show(copy) == "1 2 3");

    auto c = s.open();
    CHECK(**c.next() == 1);
    CHECK(rill_test::show(s) == "1 2 3"); // a run in progress does not affect another
    CHECK(**c.next() == 2);
    CHECK(**c.next() == 3);
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
}

TEST_CASE("iota feeds move-only and non-default-constructible items through map") {
    CHECK(rill_test::show(rill::iota(0, 3) | rill::map([](int x) { return rill_test::move_only(x); })) ==
          "move_only(0) move_only(1) move_only(2)");
    CHECK(rill_test::show(rill::iota(1, 3) | rill::map([](int x) { return rill_test::no_default(x); })) ==
          "no_default(1) no_default(2)");
}

TEST_CASE("a drain stopped by a throwing sink leaves iota's run after the item it threw on") {
    // The position lives in a local for the drain loop: every exit, an
    // exception included, writes it back.
    struct throws_at {
        int at;
        std::vector<int> seen;
        bool ok(int&& x) {
            seen.push_back(x);
            if (x == at) throw std::runtime_error("sink");
            return true;
        }
        bool err(rill::err_info&&) { return true; }
    };
    auto c = rill::iota(0, 10).open();
    throws_at k{3, {}};
    CHECK_THROWS_AS(rill::detail::drain(c, k), std::runtime_error);
    CHECK(k.seen == std::vector<int>{0, 1, 2, 3});
    auto r = c.next();
    REQUIRE(r);
    CHECK(**r == 4);
    k.at = 7;
    CHECK_THROWS_AS(rill::detail::drain(c, k), std::runtime_error);
    CHECK(k.seen == std::vector<int>{0, 1, 2, 3, 5, 6, 7});
    throws_at rest{-1, {}};
    CHECK(rill::detail::drain(c, rest));
    CHECK(rest.seen == std::vector<int>{8, 9});
    auto endless = rill::iota(100).open();
    throws_at once{101, {}};
    CHECK_THROWS_AS(rill::detail::drain(endless, once), std::runtime_error);
    CHECK(**endless.next() == 102);
}
