// Tests of include/rill/source/paginate.hpp: paginate(fetch).
#include <rill/source/paginate.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/sources.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace {

using rill_test::fetch_pages;
using requests = std::vector<std::size_t>;

} // namespace

static_assert(std::is_same_v<rill::value_t<decltype(rill::paginate(fetch_pages({}, nullptr)))>, int>);
static_assert(rill::replayable_stream<decltype(rill::paginate(fetch_pages({}, nullptr)))>);

TEST_CASE("paginate flattens the pages in order and stops at the first empty page") {
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(fetch_pages({{1, 2}, {3}, {4, 5, 6}}, requested));
    CHECK(rill_test::show(s) == "1 2 3 4 5 6");
    CHECK(*requested == requests{0, 1, 2, 3});
}

TEST_CASE("paginate fetches nothing after an empty page, even when later pages have items") {
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(fetch_pages({{1}, {}, {2, 3}}, requested));
    CHECK(rill_test::show(s) == "1");
    CHECK(*requested == requests{0, 1});
    auto c = s.open();
    CHECK(**c.next() == 1);
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
    CHECK(*requested == requests{0, 1, 0, 1});
}

TEST_CASE("paginate over an empty first page has no items") {
    auto requested = std::make_shared<requests>();
    CHECK(rill_test::show(rill::paginate(fetch_pages({}, requested))) == "");
    CHECK(*requested == requests{0});
}

TEST_CASE("paginate fetches lazily: one page when the previous one is used up, none before a run") {
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(fetch_pages({{1, 2}, {3, 4}, {5}}, requested));
    CHECK(requested->empty());
    auto c = s.open();
    CHECK(**c.next() == 1);
    CHECK(*requested == requests{0});
    CHECK(**c.next() == 2);
    CHECK(*requested == requests{0});
    CHECK(**c.next() == 3);
    CHECK(*requested == requests{0, 1});
    CHECK(**c.next() == 4);
    CHECK(**c.next() == 5);
    CHECK(*requested == requests{0, 1, 2});
    CHECK_FALSE(c.next());
    CHECK(*requested == requests{0, 1, 2, 3});
}

TEST_CASE("stopping a paginate run early fetches no further page") {
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(fetch_pages({{1, 2}, {3, 4}}, requested));
    CHECK(rill_test::show(s | rill::take(2)) == "1 2");
    CHECK(*requested == requests{0});
    CHECK(rill_test::show(rill::take(s, 3)) == "1 2 3");
    CHECK(*requested == requests{0, 0, 1});
    for (auto&& r : s) {
        CHECK(*r == 1);
        break;
    }
    CHECK(*requested == requests{0, 0, 1, 0});
}

TEST_CASE("a failed page yields its Err and ends the run with no further fetch") {
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(fetch_pages({{1, 2}, {-7}, {3}}, requested));
    CHECK(rill_test::show(s) == "1 2 !P7");
    CHECK(*requested == requests{0, 1});

    auto c = s.open();
    CHECK(**c.next() == 1);
    CHECK(**c.next() == 2);
    auto e = c.next();
    REQUIRE(e);
    REQUIRE_FALSE(e->has_value());
    CHECK(e->error() == rill::err_info{"P7", "page failed"});
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
    CHECK(*requested == requests{0, 1, 0, 1});
}

TEST_CASE("a failed page is stamped with provenance op \"paginate\" and the page index") {
    auto requested = std::make_shared<requests>();
    for (bool pull : {false, true}) {
        CAPTURE(pull);
        const auto middle_s = rill::paginate(fetch_pages({{1}, {2, 3}, {-1}}, requested));
        const auto middle = pull ? rill_test::pulled(middle_s) : rill::collect(middle_s);
        REQUIRE(middle.size() == 4);
        REQUIRE_FALSE(middle[3].has_value());
        REQUIRE(middle[3].error().trace.size() == 1);
        CHECK(middle[3].error().trace[0] == rill::err_frame{"paginate", "", 2}); // the page, not the item, index

        const auto first_s = rill::paginate(fetch_pages({{-2}, {1}}, requested));
        const auto first = pull ? rill_test::pulled(first_s) : rill::collect(first_s);
        REQUIRE(first.size() == 1);
        CHECK(first[0].error() == rill::err_info{"P2", "page failed"});
        REQUIRE(first[0].error().trace.size() == 1);
        CHECK(first[0].error().trace[0] == rill::err_frame{"paginate", "", 0});
    }
}

TEST_CASE("paginate replays from page 0 on every run") {
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(fetch_pages({{1}, {2}}, requested));
    CHECK(rill_test::show(s) == "1 2");
    CHECK(rill_test::show(s) == "1 2");
    const auto copy = s;
    CHECK(rill_test::show(copy) == "1 2");
    CHECK(*requested == requests{0, 1, 2, 0, 1, 2, 0, 1, 2});
}

TEST_CASE("an exception thrown by fetch propagates and releases the resources of the run") {
    // Through stream<T>, which hides the paginate cursor from using_resource;
    // the direct form is tested below.
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        auto calls = std::make_shared<int>(0);
        auto requested = std::make_shared<requests>();
        const auto fetch = rill_test::counted(fetch_pages({{1}, {2}}, requested), calls, throw_at);
        const auto s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                            [fetch](rill_test::logging_handle&) -> rill::stream<int> {
                                                return rill::paginate(fetch);
                                            });
        CHECK_THROWS_AS(rill::collect(s), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(log->events == std::vector<std::string>{"open r", "close r failed"});
    }
}

TEST_CASE("an exception thrown by fetch propagates from next() at the page it failed on") {
    auto calls = std::make_shared<int>(0);
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(rill_test::counted(fetch_pages({{1, 2}, {3}}, requested), calls, 2));
    auto c = s.open();
    CHECK(**c.next() == 1);
    CHECK(**c.next() == 2);
    CHECK_THROWS_AS(c.next(), rill_test::boom);
    CHECK(*calls == 2);
}

TEST_CASE("a paginate stream used inside using_resource releases the resource when fetch throws") {
    auto log = std::make_shared<rill_test::event_log>();
    auto calls = std::make_shared<int>(0);
    auto requested = std::make_shared<requests>();
    const auto fetch = rill_test::counted(fetch_pages({{1}, {2}}, requested), calls, 2);
    const auto s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                        [fetch](rill_test::logging_handle&) { return rill::paginate(fetch); });
    CHECK_THROWS_AS(rill::collect(s), rill_test::boom);
    CHECK(log->events == std::vector<std::string>{"open r", "close r failed"});
}

TEST_CASE("paginate carries move-only items and items without a default constructor") {
    const auto m = rill::paginate([](std::size_t p) -> rill::result<std::vector<rill_test::move_only>> {
        std::vector<rill_test::move_only> page;
        if (p < 2) {
            page.emplace_back(static_cast<int>(p) * 10);
            page.emplace_back(static_cast<int>(p) * 10 + 1);
        }
        return page;
    });
    CHECK(rill_test::show(m) == "move_only(0) move_only(1) move_only(10) move_only(11)");
    CHECK(rill_test::show(m | rill::map([](rill_test::move_only x) { return x.get(); })) == "0 1 10 11");

    const auto n = rill::paginate([](std::size_t p) -> rill::result<std::vector<rill_test::no_default>> {
        if (p == 0) return std::vector<rill_test::no_default>{rill_test::no_default(5)};
        return std::vector<rill_test::no_default>{};
    });
    CHECK(rill_test::show(n) == "no_default(5)");
}
