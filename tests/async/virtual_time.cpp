// rill::async::testing's virtual time: virtual_clock, virtual_timer and the
// drivers run_virtual / run_virtual_for; async::sleep_for / sleep_until.
#include "support.hpp"

#include <rill/async/testing/virtual_time.hpp>

#include <doctest/doctest.h>

#include <stdexcept>

using namespace rill_async_test;
namespace vt = rill::async::testing;
using vclock = vt::virtual_clock;

namespace {
long now_ms() { return static_cast<long>(vclock::elapsed() / 1ms); }
} // namespace

TEST_CASE("run_virtual jumps to each timer's deadline at once and reports the virtual time taken") {
    const vclock clk;
    std::vector<long> at;
    const auto real_start = std::chrono::steady_clock::now();
    const int v = vt::run_virtual([](std::vector<long>& at, vclock clk) -> asio::awaitable<int> {
        co_await async::sleep_for(1s, clk);
        at.push_back(now_ms());
        co_await async::sleep_for(2500ms, clk);
        at.push_back(now_ms());
        co_await async::sleep_until(vclock::time_point(10s), clk);
        at.push_back(now_ms());
        co_await async::sleep_for(0ms, clk); // no wait: time does not move
        at.push_back(now_ms());
        co_return 7;
    }(at, clk));
    CHECK(v == 7);
    CHECK(at == std::vector<long>{1000, 3500, 10000, 10000});
    CHECK(vclock::elapsed() == 10s);
    CHECK(std::chrono::steady_clock::now() - real_start < 5s); // virtual: no real wait
    CHECK(vclock::armed_timers() == 0);
}

TEST_CASE("run_virtual starts each run at virtual time 0 and rethrows exceptions") {
    const vclock clk;
    vt::run_virtual(async::sleep_for(3s, clk));
    CHECK(vclock::elapsed() == 3s);
    vt::run_virtual(async::sleep_for(1s, clk));
    CHECK(vclock::elapsed() == 1s);
    auto throws = [](vclock clk) -> asio::awaitable<void> {
        co_await async::sleep_for(1s, clk);
        throw boom();
    };
    CHECK_THROWS_AS(vt::run_virtual(throws(clk)), boom);
}

TEST_CASE("concurrent coroutines wake in the order of their virtual deadlines") {
    const vclock clk;
    auto lookup = [clk](int id) -> asio::awaitable<std::string> {
        co_await async::sleep_for(std::chrono::milliseconds((3 - id) * 30), clk);
        co_return std::to_string(id) + "@" + std::to_string(now_ms());
    };
    auto ids = async::iota(0, 4);
    auto s = ids | async::par_map(lookup, {.concurrency = 4, .ordered = false});
    CHECK(show(vt::run_virtual(async::collect(s))) == "3@0 2@30 1@60 0@90");
    CHECK(vclock::elapsed() == 90ms);
}

TEST_CASE("run_virtual_for steps a loop through virtual time for tests that look in between") {
    asio::io_context ctx;
    vclock::reset();
    std::vector<std::string> log;
    asio::co_spawn(
        ctx,
        [](std::vector<std::string>& log) -> asio::awaitable<void> {
            const vclock clk;
            for (int i = 1; i <= 3; ++i) {
                co_await async::sleep_for(2s, clk);
                log.push_back("tick " + std::to_string(i) + "@" + std::to_string(now_ms()));
            }
        }(log),
        asio::detached);
    vt::run_virtual_for(ctx, 3s);
    CHECK(log == std::vector<std::string>{"tick 1@2000"});
    CHECK(vclock::elapsed() == 3s);
    CHECK(vclock::next_deadline() == vclock::time_point(4s));
    CHECK(vclock::armed_timers() == 1);
    CHECK_THROWS_AS(vclock::reset(), std::logic_error); // a timer is armed
    vt::run_virtual_for(ctx, 10s);
    CHECK(log.size() == 3);
    CHECK(log.back() == "tick 3@6000");
    CHECK(vclock::elapsed() == 13s);
    CHECK(!vclock::next_deadline());
    vclock::reset();
    CHECK(vclock::elapsed() == 0s);
}

TEST_CASE("virtual_timer records its deadline and forgets it when cancelled or destroyed") {
    asio::io_context ctx;
    vclock::reset();
    {
        vt::virtual_timer t(ctx.get_executor(), 5s);
        CHECK(vclock::next_deadline() == vclock::time_point(5s));
        t.expires_at(vclock::time_point(2s));
        CHECK(vclock::next_deadline() == vclock::time_point(2s));
        t.cancel();
        CHECK(!vclock::next_deadline());
        t.expires_after(1s);
        vt::virtual_timer moved(std::move(t));
        CHECK(vclock::armed_timers() == 1);
        vclock::advance(500ms);
        CHECK(vclock::armed_timers() == 1);
        vclock::advance(-1s); // time never goes back
        CHECK(vclock::elapsed() == 500ms);
    }
    CHECK(vclock::armed_timers() == 0);
    vclock::reset();
}

TEST_CASE("run_virtual reports a wait that virtual time cannot end") {
    auto on_real_time = []() -> asio::awaitable<void> {
        asio::steady_timer t(co_await asio::this_coro::executor);
        t.expires_after(1h);
        co_await t.async_wait(asio::use_awaitable);
    };
    CHECK_THROWS_AS(vt::run_virtual(on_real_time()), std::logic_error);
}

TEST_CASE("sleep_for on the default clock waits in real time") {
    const auto start = std::chrono::steady_clock::now();
    async::run(async::sleep_for(2ms));
    CHECK(std::chrono::steady_clock::now() - start >= 2ms);
}
