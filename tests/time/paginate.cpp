// Tests of include/rill/time/paginate.hpp: paginate(fetch, policy[, clock]),
// a failed page retried in place, against paginate(fetch) | retry(policy).
#include <rill/time/paginate.hpp>

#include <rill/sink/collect.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/testing/manual_clock.hpp>
#include <rill/time/retry.hpp>

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
#include <vector>

using rill_test::fetch_pages;
using requests = std::vector<std::size_t>;

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
