// Tests of include/rill/time/retry_policy.hpp: the defaults, validation,
// retry_if / retry_on, and one policy value meaning the same in the three
// retry scopes (retrying, retry, paginate).
#include <rill/time/retry_policy.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/of.hpp>
#include <rill/time/paginate.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/testing/manual_clock.hpp>
#include <rill/time/retry.hpp>
#include <rill/time/retrying.hpp>

#include "support/items.hpp"
#include "time/clocks.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using rill::testing::manual_clock;
using rill_test::schedule;

TEST_CASE("the default retry policy: 3 attempts, default backoff, no time limit, every Err retried") {
    const rill::retry_policy p;
    CHECK(p.max_attempts == 3);
    CHECK(p.backoff.initial == 100ms);
    CHECK(p.backoff.multiplier == 2.0);
    CHECK(p.backoff.jitter == 0.0);
    CHECK(p.max_elapsed == std::chrono::nanoseconds::max());
    CHECK(p.retryable(rill::err_info{"anything", "at all"}));
    CHECK_NOTHROW(p.validate("rill::x"));
}

TEST_CASE("a retry policy out of range is rejected with a message naming the operator and the field") {
    auto check = [](rill::retry_policy p, const std::string& what) {
        CHECK_THROWS_WITH_AS(p.validate("rill::x"), ("rill::x: " + what).c_str(), std::invalid_argument);
    };
    check({.max_attempts = 0}, "retry_policy.max_attempts must be at least 1");
    check({.max_elapsed = -1ms}, "retry_policy.max_elapsed must not be negative");
    // the backoff is validated with the policy
    check({.backoff = {.multiplier = 0.5}}, "backoff.multiplier must be at least 1");
    CHECK_NOTHROW(rill::retry_policy{.max_attempts = 1, .backoff = rill::backoff::none(), .max_elapsed = 0ms}.validate("rill::x"));
}

TEST_CASE("retry_on retries only the listed codes, compared exactly") {
    const rill::retry_policy p{.retry_if = rill::retry_on({"timeout", "unavailable"})};
    CHECK(p.retryable(rill::err_info{"timeout", "slow"}));
    CHECK(p.retryable(rill::err_info{"unavailable", "503"}));
    CHECK_FALSE(p.retryable(rill::err_info{"PARSE", "bad"}));
    CHECK_FALSE(p.retryable(rill::err_info{"Timeout", "case matters"}));
    CHECK_FALSE(rill::retry_policy{.retry_if = rill::retry_on({})}.retryable(rill::err_info{"timeout", "none listed"}));
}

TEST_CASE("retry_if may look at the message too, and a copied policy keeps its predicate") {
    const rill::retry_policy p{.retry_if = [](const rill::err_info& e) { return e.message.find("try again") != std::string::npos; }};
    const rill::retry_policy copy = p; // a plain value
    CHECK(copy.retryable(rill::err_info{"E", "busy, try again"}));
    CHECK_FALSE(copy.retryable(rill::err_info{"E", "gone"}));
}

namespace {
// Fails its first `failures` calls with Err("unavailable"), then succeeds.
struct flaky {
    std::shared_ptr<int> calls;
    int failures;
    rill::result<int> operator()(int x) const {
        return ++*calls <= failures ? rill::result<int>(rill::err("unavailable", "try later")) : rill::result<int>(x);
    }
};
} // namespace

TEST_CASE("one policy value gives the same attempts and schedule in all three retry scopes") {
    const rill::retry_policy policy{.max_attempts = 4, .backoff = rill::backoff::exponential(10ms, 25ms)};

    // one item: retrying inside try_map
    manual_clock c1;
    auto calls1 = std::make_shared<int>(0);
    CHECK(rill_test::show(rill::of(7) | rill::try_map(rill::retrying(policy, flaky{calls1, 3}, c1))) == "7");
    CHECK(*calls1 == 4);
    CHECK(schedule(c1) == "10ms 20ms 25ms");

    // one run: retry re-runs the stream from scratch
    manual_clock c2;
    auto calls2 = std::make_shared<int>(0);
    auto run = rill::of(7) | rill::try_map(flaky{calls2, 3}) | rill::retry(policy, c2);
    CHECK(rill_test::show(run) == "7");
    CHECK(*calls2 == 4);
    CHECK(schedule(c2) == "10ms 20ms 25ms");

    // one page: paginate retries the failed page in place
    manual_clock c3;
    auto calls3 = std::make_shared<int>(0);
    auto pages = rill::paginate(
        [calls3](std::size_t page) -> rill::result<std::vector<int>> {
            if (page > 0) return std::vector<int>{};
            if (++*calls3 <= 3) return rill::err("unavailable", "try later");
            return std::vector<int>{7};
        },
        policy, c3);
    CHECK(rill_test::show(pages) == "7");
    CHECK(*calls3 == 4);
    CHECK(schedule(c3) == "10ms 20ms 25ms");
}

TEST_CASE("max_attempts counts the first attempt: with one failure too many, every scope gives up") {
    const rill::retry_policy policy{.max_attempts = 2, .backoff = rill::backoff::constant(5ms)};
    manual_clock clk;
    auto calls = std::make_shared<int>(0);
    auto items = rill::collect(rill::of(1) | rill::try_map(rill::retrying(policy, flaky{calls, 2}, clk)));
    REQUIRE(items.size() == 1);
    REQUIRE_FALSE(items[0].has_value());
    CHECK(items[0].error().code == "unavailable");
    CHECK(items[0].error().message == "try later (after 2 attempts)");
    CHECK(*calls == 2);
    CHECK(schedule(clk) == "5ms");
}
