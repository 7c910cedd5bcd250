// Tests of include/rill/source/of.hpp: of(a, b, ...).
#include <rill/source/of.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/sources.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace {

rill::result<int> ok(int v) { return rill::result<int>(v); }
rill::result<int> bad(const std::string& code) { return rill::err(code, "bad " + code); }

} // namespace

static_assert(std::is_same_v<rill::value_t<decltype(rill::of(1, 2))>, int>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::of(1, 2L))>, long>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::of(std::string("a"), "b"))>, std::string>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::of(ok(1), bad("E")))>, int>);
static_assert(rill::replayable_stream<decltype(rill::of(1, 2, 3))>);
static_assert(!rill::replayable_stream<decltype(rill::of(rill_test::move_only(1)))>);

TEST_CASE("of gives its values as Ok items, in order") {
    CHECK(rill_test::show(rill::of(3, 1, 2)) == "3 1 2");
    CHECK(rill_test::show_pulled(rill::of(3, 1, 2)) == "3 1 2");
    CHECK(rill_test::show(rill::of(9)) == "9");
    CHECK(rill_test::show(rill::of(std::string("a"), "bc")) == "a bc");
    CHECK(rill_test::show_pulled(rill::of(std::string("a"), "bc")) == "a bc");
    const auto items = rill::collect(rill::of(1, 2L));
    REQUIRE(items.size() == 2);
    CHECK(*items[1] == 2L);
}

TEST_CASE("of takes result values as they are, keeping Err items in every position") {
    CHECK(rill_test::show(rill::of(bad("E1"), ok(2), ok(3))) == "!E1 2 3");
    CHECK(rill_test::show(rill::of(ok(1), bad("E2"), ok(3))) == "1 !E2 3");
    CHECK(rill_test::show(rill::of(ok(1), ok(2), bad("E3"))) == "1 2 !E3");
    CHECK(rill_test::show(rill::of(bad("E4"))) == "!E4");
    CHECK(rill_test::show(rill::of(bad("E5"), bad("E6"))) == "!E5 !E6");
    CHECK(rill_test::show_pulled(rill::of(bad("E1"), ok(2), ok(3))) == "!E1 2 3");
    CHECK(rill_test::show_pulled(rill::of(ok(1), bad("E2"), ok(3))) == "1 !E2 3");
    CHECK(rill_test::show_pulled(rill::of(ok(1), ok(2), bad("E3"))) == "1 2 !E3");
    CHECK(rill_test::show_pulled(rill::of(bad("E4"))) == "!E4");
}

TEST_CASE("of stamps its Err items with provenance op \"of\" and their index") {
    const auto s = rill::of(ok(1), ok(2), bad("E"), ok(4));
    const auto f = rill::of(bad("F"), ok(1));
    for (int run = 0; run < 2; ++run) { // a replay gets one frame, not one more per run
        for (bool pull : {false, true}) {
            CAPTURE(run);
            CAPTURE(pull);
            const auto items = pull ? rill_test::pulled(s) : rill::collect(s);
            REQUIRE(items.size() == 4);
            REQUIRE_FALSE(items[2].has_value());
            CHECK(items[2].error() == rill::err_info{"E", "bad E"});
            REQUIRE(items[2].error().trace.size() == 1);
            CHECK(items[2].error().trace[0] == rill::err_frame{"of", "", 2});

            const auto first = pull ? rill_test::pulled(f) : rill::collect(f);
            REQUIRE(first[0].error().trace.size() == 1);
            CHECK(first[0].error().trace[0] == rill::err_frame{"of", "", 0});
        }
    }
}

TEST_CASE("of replays: a run does not consume the values held by the description") {
    const auto s = rill::of(std::string("one"), std::string("two"));
    CHECK(rill_test::show(s) == "one two");
    CHECK(rill_test::show(s) == "one two");
    CHECK(rill_test::show_pulled(s) == "one two");
    CHECK(rill_test::show_pulled(s) == "one two");
    const auto copy = s;
    CHECK(rill_test::show(copy) == "one two");
}

TEST_CASE("a cursor of of gives its items, then stays empty") {
    auto c = rill::of(4, 5).open();
    auto a = c.next();
    auto b = c.next();
    REQUIRE(a);
    REQUIRE(b);
    CHECK(**a == 4);
    CHECK(**b == 5);
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
}

TEST_CASE("stopping a run of of early pulls no more items and leaves no copy behind") {
    auto calls = std::make_shared<int>(0);
    const auto s = rill::of(1, 2, 3, 4) | rill::map(rill_test::counted([](int x) { return x * 10; }, calls));
    CHECK(rill_test::show(s | rill::take(2)) == "10 20");
    CHECK(*calls == 2);

    auto live = std::make_shared<long>(0);
    {
        const auto c = rill::of(rill_test::counted_item(1, live), rill_test::counted_item(2, live));
        CHECK(*live == 2);
        {
            auto cur = c.open();
            CHECK(cur.next());
        }
        CHECK(*live == 2);
        std::vector<int> seen;
        for (auto&& r : c) {
            seen.push_back(r->value);
            break;
        }
        CHECK(seen == std::vector<int>{1});
        CHECK(*live == 2);
    }
    CHECK(*live == 0);
}

TEST_CASE("of carries move-only values through an rvalue run") {
    auto s = rill::of(rill_test::move_only(1), rill_test::move_only(2), rill_test::move_only(3));
    CHECK(rill_test::show(std::move(s)) == "move_only(1) move_only(2) move_only(3)");
    auto t = rill::of(rill_test::move_only(4), rill_test::move_only(5));
    CHECK(rill_test::show_pulled(std::move(t)) == "move_only(4) move_only(5)");
    CHECK(rill_test::show(rill::of(rill_test::move_only(7)) | rill::map([](rill_test::move_only m) { return m.get(); })) ==
          "7");
}

TEST_CASE("of works with types without a default constructor") {
    const auto s = rill::of(rill_test::no_default(1), rill_test::no_default(2));
    CHECK(rill_test::show(s) == "no_default(1) no_default(2)");
    CHECK(rill::count(s) == 2u);
}
