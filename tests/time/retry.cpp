// Tests of include/rill/time/retry.hpp: s | retry(policy[, clock]), the
// whole-run retry scope.
#include <rill/time/retry.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/from.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stream.hpp>
#include <rill/testing/manual_clock.hpp>

#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"
#include "time/clocks.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace rill_test;
using rill::testing::manual_clock;

namespace {
// A stream whose run number k (counted in *runs from 0) has the items
// script[k] (the last one for later runs), written as for rill_test::items:
// v >= 0 is Ok(v), -k is the Err "Ek".
auto scripted(std::vector<std::vector<int>> script, std::shared_ptr<int> runs) {
    return rill::of(0) | rill::and_then([script = std::move(script), runs](int) {
               const auto k = std::min(static_cast<std::size_t>((*runs)++), script.size() - 1);
               std::vector<rill::result<int>> out;
               for (int v : script[k]) {
                   if (v >= 0) out.emplace_back(v);
                   else out.emplace_back(rill::err("E" + std::to_string(-v), "error " + std::to_string(-v)));
               }
               return rill::from(std::move(out));
           });
}
} // namespace

static_assert(rill::replayable_stream<decltype(rill::of(1) | rill::retry({}))>);
static_assert(std::is_same_v<rill::value_t<decltype(rill::of(std::string()) | rill::retry({}))>, std::string>);

TEST_CASE("retry passes a run without Errs unchanged and sleeps nothing") {
    manual_clock clk;
    CHECK(shown(rill::of(1, 2, 3) | rill::retry({}, clk)) == "1 2 3");
    CHECK(schedule(clk) == "");
}

TEST_CASE("retry runs the stream again after a retryable Err, and the consumer sees each position once") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        auto runs = counter();
        const auto s = scripted({{1, 2, -1}, {1, 2, 3, 4}}, runs) | rill::retry({}, clk);
        CHECK(show_via(how, s) == "1 2 3 4");
        CHECK(*runs == 2);
        CHECK(schedule(clk) == "100ms");
    }
}

TEST_CASE("the Err that causes a retry is never delivered and items already delivered are not repeated") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        auto runs = counter();
        const auto s = scripted({{1, -1}, {1, 2, -2}, {1, 2, 3}}, runs) | rill::retry({.max_attempts = 5}, clk);
        CHECK(show_via(how, s) == "1 2 3");
        CHECK(*runs == 3);
        CHECK(schedule(clk) == "100ms 200ms");
    }
    // Pulled one by one: the items come as soon as an attempt has them.
    manual_clock clk;
    auto runs = counter();
    const auto s = scripted({{1, -1}, {1, 2, -2}, {1, 2, 3}}, runs) | rill::retry({.max_attempts = 5}, clk);
    auto c = s.open();
    CHECK(**c.next() == 1);
    CHECK(*runs == 1);
    CHECK(**c.next() == 2);
    CHECK(*runs == 2);
    CHECK(**c.next() == 3);
    CHECK(*runs == 3);
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
}

TEST_CASE("Errs the predicate does not retry pass as items and start no new attempt") {
    manual_clock clk;
    auto runs = counter();
    const auto s = scripted({{1, -2, 3, -1}, {1, -2, 3, 4}}, runs) | rill::retry({.retry_if = rill::retry_on({"E1"})}, clk);
    const auto v = rill::collect(s);
    CHECK(show(rill::from(v)) == "1 !E2 3 4");
    CHECK(*runs == 2);
    CHECK(v[1].error() == rill::err_info{"E2", "error 2"}); // positions from earlier attempts are not repeated
}

TEST_CASE("when retry gives up, the last Err is delivered with the attempt count and the last attempt goes on") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        auto runs = counter();
        const auto s = scripted({{1, -1, 5}, {1, 2, -1, 6, -1, 7}}, runs) | rill::retry({.max_attempts = 2}, clk);
        const auto v = collect_via(how, s);
        CHECK(show(rill::from(v)) == "1 2 !E1 6 !E1 7");
        CHECK(*runs == 2);
        REQUIRE(v.size() == 6);
        CHECK(v[2].error() == rill::err_info{"E1", "error 1 (after 2 attempts)"});
        CHECK(v[4].error() == rill::err_info{"E1", "error 1"}); // no retry after giving up
        CHECK(schedule(clk) == "100ms");
    }
}

TEST_CASE("retry with max_attempts = 1 is the identity") {
    manual_clock clk;
    auto runs = counter();
    const auto s = scripted({{1, -1, 2}}, runs) | rill::retry({.max_attempts = 1}, clk);
    const auto v = rill::collect(s);
    CHECK(show(rill::from(v)) == "1 !E1 2");
    CHECK(v[1].error() == rill::err_info{"E1", "error 1"});
    CHECK(schedule(clk) == "");
}

TEST_CASE("retry sleeps the policy's backoff schedule exactly between attempts") {
    manual_clock clk;
    auto runs = counter();
    const auto s = scripted({{-1}, {-1}, {-1}, {1}}, runs) |
                   rill::retry({.max_attempts = 4, .backoff = rill::backoff::exponential(10ms, 25ms)}, clk);
    CHECK(show(s) == "1");
    CHECK(schedule(clk) == "10ms 20ms 25ms");
}

TEST_CASE("retry starts no attempt whose backoff would end past max_elapsed") {
    manual_clock clk;
    auto runs = counter();
    const auto s = scripted({{-1}}, runs) |
                   rill::retry({.max_attempts = 100, .backoff = rill::backoff::constant(40ms), .max_elapsed = 100ms}, clk);
    const auto v = rill::collect(s);
    REQUIRE(v.size() == 1);
    CHECK(v[0].error() == rill::err_info{"E1", "error 1 (after 3 attempts)"});
    CHECK(*runs == 3);
    CHECK(schedule(clk) == "40ms 40ms");
}

TEST_CASE("a failed attempt releases what it acquired before the backoff sleep") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        auto log = new_log();
        auto runs = counter();
        const auto s = resource_over(log, "r", scripted({{1, -1, 9}, {1, 2}}, runs)) | rill::retry({}, logging_clock(clk, log));
        CHECK(show_via(how, s) == "1 2");
        CHECK(events_of(log) == "open r | close r stopped_early | sleep 100ms | open r | close r completed");
    }
}

TEST_CASE("stopping a retry run early releases the current attempt and starts no other") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        auto log = new_log();
        auto runs = counter();
        const auto s = resource_over(log, "r", scripted({{1, -1}, {1, 2, 3, 4}}, runs)) | rill::retry({}, logging_clock(clk, log));
        CHECK(show_via(how, s | rill::take(2)) == "1 2");
        CHECK(*runs == 2);
        CHECK(events_of(log) == "open r | close r stopped_early | sleep 100ms | open r | close r stopped_early");
    }
}

TEST_CASE("an exception in an attempt propagates, releases that attempt's resources and is not retried") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        auto log = new_log();
        auto runs = counter();
        auto calls = counter();
        // The map throws on its 3rd call: in the second attempt, after one Err retried.
        const auto s = resource_over(log, "r", scripted({{1, -1}, {1, 2}}, runs) | rill::map(counted([](int x) { return x; }, calls, 3))) |
                       rill::retry({}, logging_clock(clk, log));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*runs == 2);
        CHECK(events_of(log) == "open r | close r stopped_early | sleep 100ms | open r | close r failed");
    }
}

TEST_CASE("a new attempt that ends before the delivered positions ends the run") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        auto runs = counter();
        CHECK(show_via(how, scripted({{1, 2, 3, -1}, {1}}, runs) | rill::retry({}, clk)) == "1 2 3");
        CHECK(*runs == 2);
    }
}

TEST_CASE("every run of a retry stream starts with fresh attempts and a fresh schedule") {
    manual_clock clk;
    auto runs = counter();
    // Even runs of the source fail at once, odd runs succeed.
    const auto flaky = rill::of(0) | rill::and_then([runs](int) {
                           std::vector<rill::result<int>> v;
                           if ((*runs)++ % 2 == 0) v.emplace_back(rill::err("E", "e"));
                           else v.emplace_back(7);
                           return rill::from(std::move(v));
                       });
    const auto s = flaky | rill::retry({.max_attempts = 2}, clk);
    CHECK(shown(s) == "7"); // three runs, one each way
    CHECK(*runs == 6);
    CHECK(schedule(clk) == "100ms 100ms 100ms");
}

TEST_CASE("building a retry pipeline runs nothing") {
    manual_clock clk;
    auto runs = counter();
    const auto s = scripted({{-1}, {1}}, runs) | rill::retry({}, clk);
    CHECK(*runs == 0);
    CHECK(schedule(clk) == "");
    CHECK(show(s) == "1");
}

TEST_CASE("retry has the same items in the call form and the pipe form, and through stream<T>") {
    manual_clock clk;
    auto runs1 = counter();
    auto runs2 = counter();
    CHECK(show(rill::retry(scripted({{1, -1}, {1, 2}}, runs1), {}, clk)) == "1 2");
    CHECK(show(scripted({{1, -1}, {1, 2}}, runs2) | rill::retry({}, clk)) == "1 2");
    auto runs3 = counter();
    const rill::stream<int> erased = scripted({{1, -1}, {1, 2}}, runs3) | rill::retry({.max_attempts = 3}, clk);
    CHECK(show(erased) == "1 2");
    // The default clock is real time: with no Err it never sleeps.
    CHECK(show(rill::of(1, 2) | rill::retry({})) == "1 2");
    CHECK(show(rill::retry(rill::of(1, 2), {})) == "1 2");
}

TEST_CASE("retry rejects a policy out of range when it is built, in both forms") {
    CHECK_THROWS_WITH_AS(rill::retry({.max_attempts = 0}), "rill::retry: retry_policy.max_attempts must be at least 1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::retry(rill::of(1), {.backoff = {.multiplier = 0}}),
                         "rill::retry: backoff.multiplier must be at least 1", std::invalid_argument);
}
