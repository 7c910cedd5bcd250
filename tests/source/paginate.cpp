// Tests of include/rill/source/paginate.hpp: paginate(fetch).
#include <rill/source/paginate.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>
#include <rill/testing/manual_clock.hpp>
#include <rill/time/retry.hpp>

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

// A fetch over fixed pages: page p is pages[p] (a negative page number -k
// stands for a failed page with code "Pk"); past the last page, the pages are
// empty. Every call appends the requested index to *requested.
auto fetch_pages(std::vector<std::vector<int>> pages, std::shared_ptr<std::vector<std::size_t>> requested) {
    return [pages = std::move(pages), requested](std::size_t p) -> rill::result<std::vector<int>> {
        requested->push_back(p);
        if (p >= pages.size()) return std::vector<int>{};
        if (pages[p].size() == 1 && pages[p][0] < 0) return rill::err("P" + std::to_string(-pages[p][0]), "page failed");
        return pages[p];
    };
}

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

// --- paginate(fetch, policy[, clock]): a failed page is retried in place ------------

namespace {

// A fetch over fixed pages whose page p fails (code "timeout", message
// "page p try k") on its first failures[p] requests. Appends every requested
// index to *requested.
auto flaky_pages(std::vector<std::vector<int>> pages, std::map<std::size_t, int> failures,
                 std::shared_ptr<std::vector<std::size_t>> requested, std::string code = "timeout") {
    auto tries = std::make_shared<std::map<std::size_t, int>>();
    return [pages = std::move(pages), failures = std::move(failures), requested, tries,
            code](std::size_t p) -> rill::result<std::vector<int>> {
        requested->push_back(p);
        const int k = ++(*tries)[p];
        if (auto f = failures.find(p); f != failures.end() && k <= f->second)
            return rill::err(code, "page " + std::to_string(p) + " try " + std::to_string(k));
        if (p >= pages.size()) return std::vector<int>{};
        return pages[p];
    };
}

std::string sleeps_of(const rill::testing::manual_clock& clk) {
    std::string out;
    for (auto d : clk.sleeps()) out += (out.empty() ? "" : " ") + std::to_string(d / std::chrono::milliseconds(1)) + "ms";
    return out;
}

} // namespace

using namespace std::chrono_literals;

static_assert(rill::replayable_stream<decltype(rill::paginate(fetch_pages({}, nullptr), rill::retry_policy{}))>);

TEST_CASE("paginate with a policy retries a failed page in place and resumes at that page") {
    rill::testing::manual_clock clk;
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(flaky_pages({{1, 2}, {3}, {4}}, {{1, 1}}, requested), {}, clk);
    auto c = s.open();
    CHECK(**c.next() == 1);
    CHECK(**c.next() == 2);
    CHECK(**c.next() == 3);
    CHECK(*requested == requests{0, 1, 1});
    CHECK(**c.next() == 4);
    CHECK_FALSE(c.next());
    CHECK(*requested == requests{0, 1, 1, 2, 3});
    CHECK(sleeps_of(clk) == "100ms");
}

TEST_CASE("paginate with a policy gives each page its own attempts and schedule") {
    rill::testing::manual_clock clk;
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(flaky_pages({{1}, {2}, {3}}, {{1, 2}, {2, 2}}, requested), {.max_attempts = 3}, clk);
    CHECK(rill_test::show(s) == "1 2 3");
    CHECK(*requested == requests{0, 1, 1, 1, 2, 2, 2, 3});
    CHECK(sleeps_of(clk) == "100ms 200ms 100ms 200ms");
}

TEST_CASE("paginate with a policy gives up with the page's last Err, stamped with the page, and ends the run") {
    for (bool pull : {false, true}) {
        CAPTURE(pull);
        rill::testing::manual_clock clk;
        auto requested = std::make_shared<requests>();
        const auto s = rill::paginate(flaky_pages({{1}, {2}, {3}}, {{1, 9}}, requested),
                                      {.max_attempts = 3, .backoff = rill::backoff::constant(5ms)}, clk);
        const auto v = pull ? rill_test::pulled(s) : rill::collect(s);
        REQUIRE(v.size() == 2);
        CHECK(*v[0] == 1);
        CHECK(v[1].error() == rill::err_info{"timeout", "page 1 try 3 (after 3 attempts)"});
        REQUIRE(v[1].error().trace.size() == 1);
        CHECK(v[1].error().trace[0] == rill::err_frame{"paginate", "", 1});
        CHECK(*requested == requests{0, 1, 1, 1});
        CHECK(sleeps_of(clk) == "5ms 5ms");
    }
}

TEST_CASE("paginate with a policy does not retry a page Err its predicate rejects") {
    rill::testing::manual_clock clk;
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(flaky_pages({{1}, {2}}, {{1, 1}}, requested, "forbidden"),
                                  {.retry_if = rill::retry_on({"timeout"})}, clk);
    const auto v = rill::collect(s);
    REQUIRE(v.size() == 2);
    CHECK(v[1].error() == rill::err_info{"forbidden", "page 1 try 1"});
    CHECK(*requested == requests{0, 1});
    CHECK(sleeps_of(clk) == "");
}

TEST_CASE("paginate(fetch) | retry(policy) instead restarts from page 0 and skips the items already delivered") {
    rill::testing::manual_clock clk;
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(flaky_pages({{1, 2}, {3}}, {{1, 1}}, requested)) | rill::retry({}, clk);
    CHECK(rill_test::show(s) == "1 2 3");
    CHECK(*requested == requests{0, 1, 0, 1, 2});
}

TEST_CASE("paginate with a policy fetches nothing when built, and every run starts at page 0 with fresh attempts") {
    rill::testing::manual_clock clk;
    auto requested = std::make_shared<requests>();
    const auto s = rill::paginate(fetch_pages({{1}, {2}}, requested), {}, clk);
    CHECK(requested->empty());
    CHECK(rill_test::show(s) == "1 2");
    CHECK(rill_test::show(s) == "1 2");
    CHECK(*requested == requests{0, 1, 2, 0, 1, 2});
    CHECK(sleeps_of(clk) == "");
}

TEST_CASE("an exception thrown by fetch under a policy propagates at once, not retried, and releases resources") {
    auto log = std::make_shared<rill_test::event_log>();
    auto calls = std::make_shared<int>(0);
    auto requested = std::make_shared<requests>();
    rill::testing::manual_clock clk;
    const auto fetch = rill_test::counted(fetch_pages({{1}, {2}}, requested), calls, 2);
    const auto s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                        [fetch, clk](rill_test::logging_handle&) { return rill::paginate(fetch, {}, clk); });
    CHECK_THROWS_AS(rill::collect(s), rill_test::boom);
    CHECK(*calls == 2);
    CHECK(log->events == std::vector<std::string>{"open r", "close r failed"});
    CHECK(sleeps_of(clk) == "");
}

TEST_CASE("paginate rejects a policy out of range when it is built") {
    CHECK_THROWS_WITH_AS(rill::paginate(fetch_pages({}, nullptr), {.max_attempts = 0}),
                         "rill::paginate: retry_policy.max_attempts must be at least 1", std::invalid_argument);
}
