// Tests of include/rill/time/retrying.hpp: retrying(policy, f[, clock]), the
// per-item retry scope.
#include <rill/time/retrying.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/of.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/testing/manual_clock.hpp>

#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"
#include "time/clocks.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace rill_test;
using rill::testing::manual_clock;

namespace {
// Fails with code `code` and message "attempt <k>" on its first `failures`
// calls, then gives Ok(x * 10). Counts its calls in *calls.
auto flaky(int failures, std::shared_ptr<int> calls, std::string code = "timeout") {
    return [failures, calls, code](int x) -> rill::result<int> {
        const int k = ++*calls;
        if (k <= failures) return rill::err(code, "attempt " + std::to_string(k));
        return x * 10;
    };
}
} // namespace

TEST_CASE("retrying gives the first Ok without sleeping when f succeeds at once") {
    manual_clock clk;
    auto calls = counter();
    auto f = rill::retrying({}, flaky(0, calls), clk);
    auto r = f(4);
    REQUIRE(r.has_value());
    CHECK(*r == 40);
    CHECK(*calls == 1);
    CHECK(schedule(clk) == "");
}

TEST_CASE("retrying with the default policy retries twice, after 100ms and 200ms") {
    manual_clock clk;
    auto calls = counter();
    auto f = rill::retrying({}, flaky(2, calls), clk);
    auto r = f(1);
    REQUIRE(r.has_value());
    CHECK(*r == 10);
    CHECK(*calls == 3);
    CHECK(schedule(clk) == "100ms 200ms");
    CHECK(clk.elapsed() == 300ms);

    auto calls2 = counter();
    auto g = rill::retrying({}, flaky(5, calls2), clk);
    auto e = g(1);
    REQUIRE_FALSE(e.has_value());
    CHECK(*calls2 == 3);
}

TEST_CASE("retrying gives up after max_attempts with the last Err: code and trace kept, attempts in the message") {
    manual_clock clk;
    auto calls = counter();
    auto f = rill::retrying({.max_attempts = 4, .backoff = rill::backoff::constant(50ms)},
                            [calls](int) -> rill::result<int> {
                                rill::err_info e{"timeout", "attempt " + std::to_string(++*calls)};
                                e.at("inner", 9);
                                return rill::err(std::move(e));
                            },
                            clk);
    auto r = f(1);
    REQUIRE_FALSE(r.has_value());
    CHECK(*calls == 4);
    CHECK(r.error() == rill::err_info{"timeout", "attempt 4 (after 4 attempts)"});
    CHECK(text(r.error()) == "timeout: attempt 4 (after 4 attempts) [at inner #9]");
    CHECK(schedule(clk) == "50ms 50ms 50ms");
}

TEST_CASE("retrying sleeps an exponential schedule exactly, capped at max") {
    manual_clock clk;
    auto calls = counter();
    auto f = rill::retrying({.max_attempts = 6, .backoff = rill::backoff::exponential(10ms, 100ms, 3)},
                            flaky(100, calls), clk);
    CHECK_FALSE(f(1).has_value());
    CHECK(*calls == 6);
    CHECK(schedule(clk) == "10ms 30ms 90ms 100ms 100ms");
}

TEST_CASE("retrying with jitter: each item has its own delays, and every run replays them") {
    const rill::retry_policy p{.max_attempts = 3,
                               .backoff = {.initial = 100ms, .multiplier = 1, .max = 100ms, .jitter = 0.5, .seed = 1}};
    auto run = [&] {
        manual_clock clk;
        auto always = [](int) -> rill::result<int> { return rill::err("timeout", "t"); };
        const auto s = rill::of(1, 2) | rill::try_map(rill::retrying(p, always, clk));
        CHECK(show(s) == "!timeout !timeout");
        return clk.sleeps();
    };
    const auto a = run();
    const auto b = run();
    REQUIRE(a.size() == 4);
    CHECK(a == b);
    for (auto d : a) {
        CHECK(d >= 50ms);
        CHECK(d <= 100ms);
    }
    CHECK(a[0] != a[2]); // item 1's first retry vs item 2's first retry
}

TEST_CASE("retrying retries only the Errs its predicate accepts") {
    manual_clock clk;
    const rill::retry_policy p{.max_attempts = 5, .retry_if = rill::retry_on({"timeout"})};
    SUBCASE("an Err not retried on the first attempt passes unchanged") {
        auto calls = counter();
        auto r = rill::retrying(p, flaky(3, calls, "PARSE"), clk)(1);
        REQUIRE_FALSE(r.has_value());
        CHECK(*calls == 1);
        CHECK(r.error() == rill::err_info{"PARSE", "attempt 1"});
        CHECK(schedule(clk) == "");
    }
    SUBCASE("an Err not retried after retries ends them and says how many attempts were made") {
        auto calls = counter();
        auto f = rill::retrying(p,
                                [calls](int) -> rill::result<int> {
                                    if (++*calls == 1) return rill::err("timeout", "slow");
                                    return rill::err("PARSE", "bad");
                                },
                                clk);
        auto r = f(1);
        REQUIRE_FALSE(r.has_value());
        CHECK(*calls == 2);
        CHECK(r.error() == rill::err_info{"PARSE", "bad (after 2 attempts)"});
        CHECK(schedule(clk) == "100ms");
    }
}

TEST_CASE("retrying starts no retry whose backoff would end past max_elapsed") {
    manual_clock clk;
    SUBCASE("the backoff alone") {
        auto calls = counter();
        auto f = rill::retrying(
            {.max_attempts = 10, .backoff = rill::backoff::constant(100ms), .max_elapsed = 250ms}, flaky(100, calls), clk);
        auto r = f(1);
        CHECK(*calls == 3);
        CHECK(schedule(clk) == "100ms 100ms");
        CHECK(r.error().message == "attempt 3 (after 3 attempts)");
    }
    SUBCASE("the time the attempts take counts too") {
        auto calls = counter();
        auto slow = [calls, clk](int) -> rill::result<int> {
            ++*calls;
            clk.advance(60ms);
            return rill::err("timeout", "slow");
        };
        auto f = rill::retrying(
            {.max_attempts = 10, .backoff = rill::backoff::constant(100ms), .max_elapsed = 250ms}, slow, clk);
        CHECK_FALSE(f(1).has_value());
        CHECK(*calls == 2); // 60 + 100 + 60 = 220; another 100 would end at 320 > 250
        CHECK(schedule(clk) == "100ms");
    }
    SUBCASE("exactly at the limit is allowed") {
        auto calls = counter();
        auto f = rill::retrying(
            {.max_attempts = 10, .backoff = rill::backoff::constant(100ms), .max_elapsed = 200ms}, flaky(100, calls), clk);
        CHECK_FALSE(f(1).has_value());
        CHECK(*calls == 3);
    }
}

TEST_CASE("retrying with max_attempts = 1 calls f once and returns its result unchanged") {
    manual_clock clk;
    auto calls = counter();
    auto r = rill::retrying({.max_attempts = 1}, flaky(1, calls), clk)(1);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == rill::err_info{"timeout", "attempt 1"});
    CHECK(*calls == 1);
    CHECK(schedule(clk) == "");
}

TEST_CASE("retrying inside try_map: each item gets its own attempts and schedule") {
    manual_clock clk;
    // Item 1 fails once, item 2 twice, item 3 never: calls are counted per item.
    auto fails_left = std::make_shared<std::vector<int>>(std::vector<int>{0, 1, 2, 0});
    auto f = [fails_left](int x) -> rill::result<int> {
        if ((*fails_left)[static_cast<std::size_t>(x)]-- > 0) return rill::err("timeout", "t");
        return x;
    };
    const auto s = rill::iota(1, 4) | rill::try_map(rill::retrying({}, f, clk));
    CHECK(show(s) == "1 2 3");
    CHECK(schedule(clk) == "100ms 100ms 200ms");
}

TEST_CASE("an exception from f propagates at once, is not retried, and the run's resources are released") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        auto log = new_log();
        auto calls = counter();
        auto f = counted([](int) -> rill::result<int> { return rill::err("timeout", "t"); }, calls, 2);
        const auto s = resource_over(log, "r", rill::of(1, 2)) | rill::try_map(rill::retrying({}, f, clk));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == 2);
        CHECK(schedule(clk) == "100ms");
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("a try_map(retrying) run stopped early makes no further attempt and releases upstream") {
    manual_clock clk;
    auto log = new_log();
    auto calls = counter();
    const auto s = resource_over(log, "r", rill::iota(0, 5)) | rill::try_map(rill::retrying({}, flaky(1, calls), clk)) |
                   rill::take(2);
    CHECK(show(s) == "0 10");
    CHECK(*calls == 3);
    CHECK(events_of(log) == "open r | close r stopped_early");
}

TEST_CASE("building a retrying function or a pipeline with it calls nothing and sleeps nothing") {
    manual_clock clk;
    auto calls = counter();
    auto f = rill::retrying({}, flaky(1, calls), clk);
    auto s = rill::of(1) | rill::try_map(f);
    CHECK(*calls == 0);
    CHECK(schedule(clk) == "");
    CHECK(show(s) == "10");
    CHECK(*calls == 2);
}

TEST_CASE("retrying takes functions by value or const reference, and mutable functions") {
    manual_clock clk;
    auto by_ref = rill::retrying({}, [](const std::string& s) -> rill::result<std::size_t> { return s.size(); }, clk);
    CHECK(*by_ref(std::string("abc")) == 3);
    auto make = [&] {
        return rill::retrying({}, [n = 0](int x) mutable -> rill::result<int> {
            if (++n < 2) return rill::err("timeout", "t");
            return x + n;
        }, clk);
    };
    auto mut = make();
    CHECK(*mut(1) == 3);
    CHECK(*mut(1) == 4); // called directly, the function keeps its state
    const auto s = rill::of(1) | rill::try_map(make());
    CHECK(show(s) == "3"); // each run calls its own copy: runs replay
    CHECK(show(s) == "3");
}

TEST_CASE("retrying rejects a policy out of range when it is built") {
    auto f = [](int x) -> rill::result<int> { return x; };
    CHECK_THROWS_WITH_AS(rill::retrying({.max_attempts = 0}, f), "rill::retrying: retry_policy.max_attempts must be at least 1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::retrying({.backoff = {.jitter = 2}}, f), "rill::retrying: backoff.jitter must be in [0, 1]",
                         std::invalid_argument);
}
