// rill::async's time operators in virtual time: timeout, retry, retrying,
// throttle. Exact virtual timestamps of items, backoff schedules, throttle
// spacing, timeout items, early stops and cancellations during a sleep,
// exceptions; through next()/close() and through the sinks.
#include "support.hpp"

#include <rill/async/testing/virtual_time.hpp>

#include <asio/experimental/awaitable_operators.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <system_error>
#include <utility>

using namespace rill_async_test;
namespace vt = rill::async::testing;
using vclock = vt::virtual_clock;

namespace {

long now_ms() { return static_cast<long>(vclock::elapsed() / 1ms); }

std::string at_now(const std::string& what) { return what + "@" + std::to_string(now_ms()); }

/// A run of `s` in virtual time through next()/close(): "v@ms" per Ok item,
/// "code@ms" per Err item, at most `max` pulls, then "end@ms" after close().
template <class S>
std::string timeline(const S& s, std::size_t max = 100) {
    return vt::run_virtual([](S s, std::size_t max) -> asio::awaitable<std::string> {
        auto c = s.open();
        std::string out;
        for (std::size_t i = 0; i < max; ++i) {
            auto r = co_await c.next();
            if (!r) break;
            out += at_now(r->has_value() ? std::to_string(**r) : r->error().code) + " ";
        }
        co_await c.close();
        out += at_now("end");
        co_return out;
    }(s, max));
}

/// Ok(0), Ok(1), ...: item i after a virtual wait of gaps[i] ms; logs when the body ends.
auto paced(std::vector<int> gaps, std::shared_ptr<event_log> log = std::make_shared<event_log>()) {
    return async::generate<int>([gaps, log](async::yielder<int>& out) -> asio::awaitable<void> {
        struct on_exit {
            std::shared_ptr<event_log> log;
            ~on_exit() { log->add(at_now("body ends")); }
        } guard{log};
        const vclock clk;
        for (std::size_t i = 0; i < gaps.size(); ++i) {
            co_await async::sleep_for(std::chrono::milliseconds(gaps[i]), clk);
            if (!co_await out(static_cast<int>(i))) co_return;
        }
    });
}

/// Each run is an attempt: 0, 1, 2, 3 each 10ms apart, except that attempts
/// before `good_from` yield Err "unavailable" in place of 2. Logs each attempt.
auto flaky_run(std::shared_ptr<int> attempts, std::shared_ptr<event_log> log, int good_from) {
    return async::generate<int>([attempts, log, good_from](async::yielder<int>& out) -> asio::awaitable<void> {
        const int k = ++*attempts;
        log->add(at_now("attempt " + std::to_string(k)));
        struct on_exit {
            std::shared_ptr<event_log> log;
            ~on_exit() { log->add(at_now("closed")); }
        } guard{log};
        const vclock clk;
        for (int i = 0; i < 4; ++i) {
            co_await async::sleep_for(10ms, clk);
            bool more;
            if (i == 2 && k < good_from) more = co_await out(rill::err("unavailable", "down"));
            else more = co_await out(i);
            if (!more) co_return;
        }
    });
}

} // namespace

// --- timeout -------------------------------------------------------------------

TEST_CASE("timeout gives an Err in place of a late item, and the late item next") {
    const vclock clk;
    auto s = paced({1000, 2000, 500}) | async::timeout(1500ms, clk);
    CHECK(timeline(s) == "0@1000 timeout@2500 1@3000 2@3500 end@3500");
    CHECK(timeline(async::timeout(paced({1000, 2000, 500}), 1500ms, clk)) ==
          "0@1000 timeout@2500 1@3000 2@3500 end@3500");
    // A pull that times out again and again: one Err per limit.
    CHECK(timeline(paced({3500}) | async::timeout(1s, clk)) == "timeout@1000 timeout@2000 timeout@3000 0@3500 end@3500");
}

TEST_CASE("timeout passes Err items and stamps its own with op and position") {
    const vclock clk;
    rill::result<int> x = rill::err("E", "x");
    CHECK(timeline(async::of(rill::result<int>(1), x, rill::result<int>(3)) | async::timeout(1s, clk)) ==
          "1@0 E@0 3@0 end@0");
    auto v = vt::run_virtual(async::collect(paced({0, 1500}) | async::timeout(1s, clk)));
    REQUIRE(v.size() == 3);
    REQUIRE(!v[1].has_value());
    CHECK(v[1].error().code == "timeout");
    REQUIRE(v[1].error().trace.size() == 1);
    CHECK(v[1].error().trace[0].op == "timeout");
    CHECK(v[1].error().trace[0].index == 1);
    CHECK(*v[2] == 1);
    CHECK(vclock::elapsed() == 1500ms);
}

TEST_CASE("timeout: closing the run cancels the pending pull and releases upstream at once") {
    const vclock clk;
    const auto unclosed = async::unclosed_releases();
    auto log = std::make_shared<event_log>();
    CHECK(timeline(paced({10000}, log) | async::timeout(1s, clk) | async::take(2)) ==
          "timeout@1000 timeout@2000 end@2000");
    CHECK(log->str() == "body ends@2000");
    CHECK(vclock::armed_timers() == 0);
    CHECK(async::unclosed_releases() == unclosed);
}

TEST_CASE("timeout: a consumer cancelled while it waits closes the run promptly") {
    using namespace asio::experimental::awaitable_operators;
    const vclock clk;
    auto log = std::make_shared<event_log>();
    auto s = paced({10000}, log) | async::timeout(1s, clk);
    vt::run_virtual([](decltype(s) s, vclock clk) -> asio::awaitable<void> {
        auto all = async::collect(s);
        auto limit = async::sleep_for(500ms, clk);
        auto first = co_await (std::move(all) || std::move(limit));
        CHECK(first.index() == 1); // the sleep won
    }(s, clk));
    CHECK(log->str() == "body ends@500");
    CHECK(vclock::elapsed() == 500ms);
}

TEST_CASE("timeout: a cursor destroyed without close() cancels its pending pull, which ends on its own") {
    const vclock clk;
    const auto unclosed = async::unclosed_releases();
    auto log = std::make_shared<event_log>();
    auto s = paced({10000}, log) | async::timeout(1s, clk);
    vt::run_virtual([](decltype(s) s) -> asio::awaitable<void> {
        auto c = s.open();
        auto r = co_await c.next();
        CHECK(r->error().code == "timeout");
    }(s)); // the cursor is destroyed with its pull pending; run_virtual then runs what is ready
    CHECK(log->str() == "body ends@1000");
    CHECK(vclock::armed_timers() == 0);
    CHECK(async::unclosed_releases() > unclosed);
}

TEST_CASE("timeout rethrows an exception from upstream after the run is closed") {
    const vclock clk;
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource([l] { l->add(at_now("open")); return 1; },
                                   [l](int&, rill::exit_case how) {
                                       std::ostringstream os;
                                       os << "close " << how;
                                       l->add(at_now(os.str()));
                                   },
                                   [](int&) {
                                       return paced({100, 100}) | async::map([](int v) {
                                                  if (v == 1) throw boom();
                                                  return v;
                                              });
                                   }) |
             async::timeout(1s, clk);
    CHECK_THROWS_AS(vt::run_virtual(async::collect(s)), boom);
    CHECK(l->str() == "open@0 | close failed@200");
}

TEST_CASE("timeout pulls upstream only when pulled") {
    const vclock clk;
    auto pulls = std::make_shared<int>(0);
    CHECK(timeline(counted(100, pulls) | async::timeout(1s, clk) | async::take(3)) == "0@0 1@0 2@0 end@0");
    CHECK(*pulls == 3);
    CHECK_THROWS_AS((void)async::timeout(-1ms), std::invalid_argument);
    // The real clock by default.
    CHECK(run_show(async::of(1, 2) | async::timeout(10s)) == "1 2");
}

// --- retry ---------------------------------------------------------------------

TEST_CASE("retry closes a failed attempt, sleeps the backoff and delivers each position once") {
    const vclock clk;
    auto attempts = std::make_shared<int>(0);
    auto log = std::make_shared<event_log>();
    const rill::retry_policy policy{.max_attempts = 3, .backoff = rill::backoff::exponential(100ms, 1s)};
    auto s = flaky_run(attempts, log, 3) | async::retry(policy, clk);
    CHECK(timeline(s) == "0@10 1@20 2@390 3@400 end@400");
    CHECK(*attempts == 3);
    CHECK(log->str() == "attempt 1@0 | closed@30 | attempt 2@130 | closed@160 | attempt 3@360 | closed@400");
    // The call form; attempts that fail once.
    *attempts = 0;
    CHECK(timeline(async::retry(flaky_run(attempts, log, 2), policy, clk)) == "0@10 1@20 2@160 3@170 end@170");
}

TEST_CASE("retry gives up after max_attempts: the Err is delivered with the count, the last attempt goes on") {
    const vclock clk;
    auto attempts = std::make_shared<int>(0);
    auto log = std::make_shared<event_log>();
    auto s = flaky_run(attempts, log, 99) |
             async::retry({.max_attempts = 2, .backoff = rill::backoff::constant(100ms)}, clk);
    CHECK(timeline(s) == "0@10 1@20 unavailable@160 3@170 end@170");
    *attempts = 0;
    auto v = vt::run_virtual(async::collect(s));
    REQUIRE(v.size() == 4);
    CHECK(v[2].error().message == "down (after 2 attempts)");
}

TEST_CASE("retry: Errs the policy does not retry pass, max_elapsed bounds the retries") {
    const vclock clk;
    auto attempts = std::make_shared<int>(0);
    auto log = std::make_shared<event_log>();
    auto only_timeouts = flaky_run(attempts, log, 99) | async::retry({.retry_if = rill::retry_on({"timeout"})}, clk);
    CHECK(timeline(only_timeouts) == "0@10 1@20 unavailable@30 3@40 end@40");
    CHECK(*attempts == 1);
    *attempts = 0;
    auto bounded = flaky_run(attempts, log, 99) | async::retry({.max_attempts = 10,
                                                                .backoff = rill::backoff::constant(100ms),
                                                                .max_elapsed = 250ms},
                                                               clk);
    CHECK(timeline(bounded) == "0@10 1@20 unavailable@160 3@170 end@170");
    CHECK(*attempts == 2);
    CHECK_THROWS_AS((void)async::retry({.max_attempts = 0}), std::invalid_argument);
}

TEST_CASE("retry: an exception from an attempt propagates after it is closed") {
    const vclock clk;
    auto log = std::make_shared<event_log>();
    auto s = paced({10, 10}, log) | async::map([](int v) {
                 if (v == 1) throw boom();
                 return v;
             }) |
             async::retry({}, clk);
    CHECK_THROWS_AS(vt::run_virtual(async::collect(s)), boom);
    CHECK(log->str() == "body ends@20");
}

TEST_CASE("retry: a run stopped during the backoff ends the sleep at once") {
    const vclock clk;
    auto attempts = std::make_shared<int>(0);
    auto log = std::make_shared<event_log>();
    const auto unclosed = async::unclosed_releases();
    auto s = flaky_run(attempts, log, 99) | async::retry({.backoff = rill::backoff::constant(10s)}, clk) |
             async::timeout(1s, clk) | async::take(3);
    CHECK(timeline(s) == "0@10 1@20 timeout@1020 end@1020");
    CHECK(*attempts == 1);
    CHECK(log->str() == "attempt 1@0 | closed@30");
    CHECK(vclock::armed_timers() == 0);
    CHECK(async::unclosed_releases() == unclosed);
}

// --- retrying ------------------------------------------------------------------

TEST_CASE("retrying calls an awaitable function again after each backoff, with the same argument") {
    const vclock clk;
    auto calls = std::make_shared<std::vector<std::string>>();
    auto fetch = [calls, clk](int x) -> asio::awaitable<rill::result<int>> {
        calls->push_back(at_now(std::to_string(x)));
        co_await async::sleep_for(5ms, clk);
        if (calls->size() < 3) co_return rill::err("timeout", "slow");
        co_return x * 10;
    };
    const rill::retry_policy policy{.max_attempts = 4, .backoff = rill::backoff::exponential(100ms, 1s)};
    CHECK(timeline(async::of(4) | async::try_map(async::retrying(policy, fetch, clk))) == "40@315 end@315");
    CHECK(*calls == std::vector<std::string>{"4@0", "4@105", "4@310"});
}

TEST_CASE("retrying gives up with the last Err and the count; plain functions; exceptions are not retried") {
    const vclock clk;
    auto calls = std::make_shared<int>(0);
    auto never = [calls](int) -> rill::result<int> {
        ++*calls;
        return rill::err("timeout", "slow");
    };
    auto v = vt::run_virtual(async::collect(
        async::of(1) | async::try_map(async::retrying({.backoff = rill::backoff::constant(1s)}, never, clk))));
    REQUIRE(v.size() == 1);
    CHECK(v[0].error().message == "slow (after 3 attempts)");
    REQUIRE(v[0].error().trace.size() == 1);
    CHECK(v[0].error().trace[0].op == "try_map");
    CHECK(*calls == 3);
    CHECK(vclock::elapsed() == 2s);
    *calls = 0;
    auto throws = [calls](int) -> asio::awaitable<rill::result<int>> {
        ++*calls;
        throw boom();
        co_return 0;
    };
    CHECK_THROWS_AS(vt::run_virtual(async::collect(async::of(1) | async::try_map(async::retrying({}, throws, clk)))),
                    boom);
    CHECK(*calls == 1);
    CHECK_THROWS_AS((void)async::retrying({.backoff = {.multiplier = 0.5}}, never), std::invalid_argument);
}

TEST_CASE("retrying sleeps exactly the policy's jittered delays") {
    const vclock clk;
    auto at = std::make_shared<std::vector<vclock::duration>>();
    auto never = [at](int) -> rill::result<int> {
        at->push_back(vclock::elapsed());
        return rill::err("E", "no");
    };
    const rill::retry_policy policy{.max_attempts = 4,
                                    .backoff = {.initial = 100ms, .multiplier = 3, .max = 1s, .jitter = 0.5, .seed = 7}};
    (void)vt::run_virtual(async::collect(async::of(1) | async::try_map(async::retrying(policy, never, clk))));
    REQUIRE(at->size() == 4);
    for (std::size_t k = 1; k < 4; ++k) CHECK((*at)[k] - (*at)[k - 1] == policy.backoff.delay(k, 0));
}

TEST_CASE("retrying under par_map: the items' backoffs overlap in virtual time") {
    const vclock clk;
    auto tries = std::make_shared<std::map<int, int>>();
    auto once_down = [tries](int x) -> asio::awaitable<rill::result<int>> {
        if ((*tries)[x]++ == 0) co_return rill::err("E", "down");
        co_return x;
    };
    auto s = async::iota(0, 3) |
             async::par_map(async::retrying({.backoff = rill::backoff::constant(100ms)}, once_down, clk),
                            {.concurrency = 3}) |
             async::try_map([](rill::result<int> r) { return r; });
    CHECK(timeline(s) == "0@100 1@100 2@100 end@100");
}

TEST_CASE("retrying: a run stopped during the backoff ends the sleep at once") {
    const vclock clk;
    auto calls = std::make_shared<int>(0);
    auto never = [calls](int) -> rill::result<int> {
        ++*calls;
        return rill::err("E", "no");
    };
    auto s = async::of(1) | async::try_map(async::retrying({.backoff = rill::backoff::constant(10s)}, never, clk)) |
             async::timeout(1s, clk) | async::take(1);
    CHECK(timeline(s) == "timeout@1000 end@1000");
    CHECK(*calls == 1);
    CHECK(vclock::armed_timers() == 0);
}

// --- throttle ------------------------------------------------------------------

TEST_CASE("throttle spaces items by the rate after a burst") {
    const vclock clk;
    CHECK(timeline(async::iota(0, 6) | async::throttle(10, 3, clk)) == "0@0 1@0 2@0 3@100 4@200 5@300 end@300");
    CHECK(timeline(async::throttle(async::iota(0, 3), 2, 1, clk)) == "0@0 1@500 2@1000 end@1000");
}

TEST_CASE("throttle: Err items take tokens, the end is not delayed, a slow source refills the bucket") {
    const vclock clk;
    rill::result<int> e = rill::err("E", "x");
    CHECK(timeline(async::of(rill::result<int>(1), e, rill::result<int>(3)) | async::throttle(1, 1, clk)) ==
          "1@0 E@1000 3@2000 end@2000");
    CHECK(timeline(paced({0, 500, 0, 0}) | async::throttle(2, 1, clk)) == "0@0 1@500 2@1000 3@1500 end@1500");
}

TEST_CASE("throttle: a run stopped during its wait ends it at once; bad arguments throw") {
    const vclock clk;
    auto pulls = std::make_shared<int>(0);
    auto s = counted(5, pulls) | async::throttle(1, 1, clk) | async::timeout(100ms, clk) | async::take(3);
    CHECK(timeline(s) == "0@0 timeout@100 timeout@200 end@200");
    CHECK(*pulls == 2);
    CHECK(vclock::armed_timers() == 0);
    CHECK_THROWS_AS((void)async::throttle(0), std::invalid_argument);
    CHECK_THROWS_AS((void)async::throttle(-1), std::invalid_argument);
    CHECK_THROWS_AS((void)async::throttle(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
    CHECK_THROWS_AS((void)async::throttle(10, 0), std::invalid_argument);
    CHECK(run_show(async::iota(0, 3) | async::throttle(1e6)) == "0 1 2"); // the real clock by default
}

// --- with_timeout --------------------------------------------------------------

TEST_CASE("with_timeout gives Err timeout for a call that does not end in time, and cancels it") {
    const vclock clk;
    auto log = std::make_shared<event_log>();
    auto slow = [log, clk](int x) -> asio::awaitable<int> {
        struct on_exit {
            std::shared_ptr<event_log> log;
            int x;
            ~on_exit() { log->add(at_now("call " + std::to_string(x) + " ends")); }
        } guard{log, x};
        co_await async::sleep_for(std::chrono::milliseconds(x * 80), clk);
        co_return x * 10;
    };
    auto s = async::of(1, 2, 1) | async::try_map(async::with_timeout(100ms, slow, clk));
    CHECK(timeline(s) == "10@80 timeout@180 10@260 end@260");
    CHECK(log->str() == "call 1 ends@80 | call 2 ends@180 | call 1 ends@260");
    auto v = vt::run_virtual(async::collect(s));
    REQUIRE(!v[1].has_value());
    CHECK(v[1].error().trace[0].op == "try_map");
    CHECK(v[1].error().trace[0].index == 1);
    CHECK_THROWS_AS((void)async::with_timeout(-1s, slow), std::invalid_argument);
}

TEST_CASE("with_timeout under par_map: a limit per call; results of result type pass as they are") {
    const vclock clk;
    auto sleepy = [clk](int x) -> asio::awaitable<rill::result<int>> {
        co_await async::sleep_for(std::chrono::milliseconds(x * 60), clk);
        if (x == 1) co_return rill::err("E", "one");
        co_return x;
    };
    auto s = async::iota(0, 3) | async::par_map(async::with_timeout(100ms, sleepy, clk), {.concurrency = 3}) |
             async::try_map([](rill::result<int> r) { return r; });
    CHECK(timeline(s) == "0@0 E@60 timeout@100 end@100");
    CHECK(vclock::armed_timers() == 0);
}

TEST_CASE("with_timeout: exceptions propagate, a cancelled caller cancels the call, retrying retries timeouts") {
    const vclock clk;
    auto throws = [clk](int) -> asio::awaitable<int> {
        co_await async::sleep_for(10ms, clk);
        throw boom();
    };
    CHECK_THROWS_AS(vt::run_virtual(async::collect(async::of(1) | async::try_map(async::with_timeout(1s, throws, clk)))),
                    boom);
    auto log = std::make_shared<event_log>();
    auto stuck = [log, clk](int) -> asio::awaitable<int> {
        struct on_exit {
            std::shared_ptr<event_log> log;
            ~on_exit() { log->add(at_now("call ends")); }
        } guard{log};
        co_await async::sleep_for(1h, clk);
        co_return 0;
    };
    auto s = async::of(1) | async::try_map(async::with_timeout(10s, stuck, clk)) | async::timeout(1s, clk) |
             async::take(1);
    CHECK(timeline(s) == "timeout@1000 end@1000");
    CHECK(log->str() == "call ends@1000");
    CHECK(vclock::armed_timers() == 0);
    auto calls = std::make_shared<int>(0);
    auto second_is_fast = [calls, clk](int x) -> asio::awaitable<int> {
        co_await async::sleep_for(++*calls == 1 ? 1h : 10ms, clk);
        co_return x;
    };
    auto retried = async::of(5) | async::try_map(async::retrying({.retry_if = rill::retry_on({"timeout"})},
                                                                 async::with_timeout(50ms, second_is_fast, clk), clk));
    CHECK(timeline(retried) == "5@160 end@160");
}
