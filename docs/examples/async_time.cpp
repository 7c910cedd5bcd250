// Time on the loop (async timeout, retry, retrying, throttle, virtual time): docs/13-async.md.
#include "print.hpp"

#include <rill/async.hpp>
#include <rill/async/testing/virtual_time.hpp>
#include <rill/rill.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace async = rill::async;
namespace vt = rill::async::testing;

// [snippet:at]
// "what@Nms": N is the virtual time (virtual_clock's time line of this thread).
std::string at(const std::string& what) {
    return what + "@" + std::to_string(vt::virtual_clock::elapsed() / 1ms) + "ms";
}
// [/snippet:at]

// [snippet:ticks]
// Item i after a wait of gaps[i], on the clock `clk`.
template <class Clock>
auto ticks(std::vector<std::chrono::milliseconds> gaps, Clock clk) {
    return async::generate<int>([gaps, clk](async::yielder<int>& out) -> asio::awaitable<void> {
        for (std::size_t i = 0; i < gaps.size(); ++i) {
            co_await async::sleep_for(gaps[i], clk);
            if (!co_await out(static_cast<int>(i))) co_return;
        }
    });
}
// [/snippet:ticks]

// [snippet:pipeline]
// A pipeline that takes its clock: steady_clock in production, virtual_clock in tests.
template <class Clock = std::chrono::steady_clock>
auto prices(std::shared_ptr<int> calls, Clock clk = {}) {
    auto quote = [calls, clk](int id) -> asio::awaitable<rill::result<int>> {
        co_await async::sleep_for(30ms, clk);                                // the request
        if (++*calls % 2 == 1) co_return rill::err("unavailable", "busy"); // every other call fails
        co_return id * 100;
    };
    return async::iota(1, 4)
         | async::throttle(20, 1, clk) // at most 20 requests a second
         | async::try_map(async::retrying({.backoff = rill::backoff::constant(100ms)}, quote, clk))
         | async::timeout(500ms, clk);
}
// [/snippet:pipeline]

int main() {
    std::cout << "== real ==\n";
    {
        // [snippet:real]
        // In production the clock is left out: std::chrono::steady_clock, asio's steady_timer.
        auto s = async::iota(0, 3) | async::throttle(1000) | async::timeout(1s);
        print(async::run(async::collect(s)));
        // [/snippet:real]
    }
    std::cout << "== timeout ==\n";
    {
        // [snippet:timeout]
        vt::virtual_clock clk;
        auto late = ticks({100ms, 300ms, 50ms}, clk) | async::timeout(200ms, clk) |
                    async::map([](int i) { return at(std::to_string(i)); });
        print(vt::run_virtual(async::collect(late)));
        // [/snippet:timeout]
    }
    std::cout << "== with_timeout ==\n";
    {
        // [snippet:with_timeout]
        vt::virtual_clock clk;
        auto lookup = [clk](int id) -> asio::awaitable<std::string> { // user 2's lookup hangs
            co_await async::sleep_for(id == 2 ? 1h : 20ms, clk);
            co_return at("user" + std::to_string(id));
        };
        auto users = async::iota(1, 4)
                   | async::par_map(async::with_timeout(100ms, lookup, clk), {.concurrency = 3}) // result<std::string>s
                   | async::try_map([](rill::result<std::string> r) { return r; });           // flattened
        print(vt::run_virtual(async::collect(users)));
        // [/snippet:with_timeout]
    }
    std::cout << "== retry ==\n";
    {
        // [snippet:retry]
        vt::virtual_clock clk;
        auto attempts = std::make_shared<int>(0);
        // Each run is an attempt; the first two fail after their first item.
        auto feed = async::generate<std::string>([attempts](async::yielder<std::string>& out) -> asio::awaitable<void> {
            const int n = ++*attempts;
            std::cout << at("attempt " + std::to_string(n)) << '\n';
            if (!co_await out(std::string("a"))) co_return;
            if (n < 3) {
                co_await out(rill::err("unavailable", "connection reset"));
                co_return;
            }
            co_await out(std::string("b"));
        });
        auto s = feed | async::retry({.max_attempts = 3, .backoff = rill::backoff::exponential(100ms, 1s)}, clk);
        print(vt::run_virtual(async::collect(s)));
        // [/snippet:retry]
    }
    std::cout << "== retrying ==\n";
    {
        // [snippet:retrying]
        vt::virtual_clock clk;
        auto calls = std::make_shared<int>(0);
        auto fetch = [calls, clk](int id) -> asio::awaitable<rill::result<std::string>> {
            co_await async::sleep_for(10ms, clk); // the request
            if (++*calls < 3) co_return rill::err("timeout", "no answer");
            co_return at("user" + std::to_string(id));
        };
        auto users = async::of(7) | async::try_map(async::retrying(
                                        {.max_attempts = 5, .backoff = rill::backoff::constant(50ms)}, fetch, clk));
        print(vt::run_virtual(async::collect(users)));
        // [/snippet:retrying]
    }
    std::cout << "== throttle ==\n";
    {
        // [snippet:throttle]
        vt::virtual_clock clk;
        auto sent = async::iota(0, 6) | async::throttle(10, 3, clk) // 10 a second, bursts of up to 3
                  | async::map([](int i) { return at(std::to_string(i)); });
        print(vt::run_virtual(async::collect(sent)));
        // [/snippet:throttle]
    }
    std::cout << "== virtual_test ==\n";
    {
        // [snippet:virtual_test]
        auto calls = std::make_shared<int>(0);
        auto live = prices(calls); // real time: what production runs
        vt::virtual_clock clk;
        auto tested = prices(calls, clk) | async::map([](int p) { return at(std::to_string(p)); });
        print(vt::run_virtual(async::collect(tested))); // instant, and the same on every run
        std::cout << "calls: " << *calls << ", virtual time: " << vt::virtual_clock::elapsed() / 1ms << "ms\n";
        // [/snippet:virtual_test]
        (void)live;
    }
}
