// Concurrency in async pipelines (merge, buffer, offload) and producers on other
// threads: docs/13-async.md.
#include "print.hpp"

#include <rill/async.hpp>
#include <rill/rill.hpp>

#include <asio/steady_timer.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_future.hpp>

#include <chrono>
#include <cstddef>
#include <iostream>
#include <string>
#include <thread>

using namespace std::chrono_literals;
namespace async = rill::async;

// Waits on the executor of the coroutine that awaits it.
asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(d);
    co_await timer.async_wait(asio::use_awaitable);
}

// [snippet:ticker]
// A feed yielding NAME0, NAME1, ... (n items): item i at first + i * every
// after the run starts.
auto ticker(std::string name, int n, std::chrono::milliseconds first, std::chrono::milliseconds every) {
    return async::generate<std::string>([=](async::yielder<std::string>& out) -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i) {
            timer.expires_at(start + first + i * every);
            co_await timer.async_wait(asio::use_awaitable);
            std::string item = name + std::to_string(i);
            if (!co_await out(std::move(item))) co_return; // false: the run was closed
        }
    });
}
// [/snippet:ticker]

int main() {
    std::cout << "== merge ==\n";
    {
        // [snippet:merge]
        auto trades = ticker("trade", 3, 20ms, 80ms); // at 20, 100, 180 ms
        auto quotes = ticker("quote", 2, 60ms, 80ms); // at 60, 140 ms
        print(async::run(async::collect(async::merge(trades, quotes))));
        print(async::run(async::collect(trades | async::merge_with(quotes) | async::take(2))));
        // [/snippet:merge]
    }
    std::cout << "== merge_stop ==\n";
    {
        // [snippet:merge_stop]
        auto quotes = ticker("quote", 1000, 10ms, 10ms);
        auto rare = ticker("rare", 1, 1h, 1h); // its first item would take an hour
        const auto start = std::chrono::steady_clock::now();
        print(async::run(async::collect(async::merge(quotes, rare) | async::take(3))));
        const bool prompt = std::chrono::steady_clock::now() - start < 1s;
        std::cout << (prompt ? "stopped at once: rare was cancelled and closed\n" : "too slow\n");
        // [/snippet:merge_stop]
    }
    std::cout << "== buffer ==\n";
    {
        // [snippet:buffer]
        auto rows = async::iota(0, 5) | async::tap([](const int& i) { std::cout << "read " << i << '\n'; });
        auto write = [](int i) -> asio::awaitable<void> { // a slow consumer
            co_await sleep_for(10ms);
            std::cout << "  wrote " << i << '\n';
        };
        // Reading goes on while each row is written, at most 2 rows ahead.
        async::run(async::for_each(rows | async::buffer(2), write));
        // [/snippet:buffer]
    }
    std::cout << "== offload ==\n";
    {
        // [snippet:offload]
        asio::thread_pool pool(2);
        // A blocking function (a legacy client, a compressor): on the event
        // loop's thread it would stall every timer and socket for 20 ms a call.
        auto checksum = [](std::string s) {
            std::this_thread::sleep_for(20ms);
            std::size_t h = 0;
            for (char c : s) h = h * 31 + static_cast<unsigned char>(c);
            return h % 1000;
        };
        rill::result<std::string> missing = rill::err("NOTFOUND", "no such file");
        auto files = async::of(rill::result<std::string>("ada"), missing, rill::result<std::string>("grace"));
        auto sums = files | async::offload(pool, checksum, {.concurrency = 2});
        print(async::run(async::collect(sums))); // the Err item passes; checksum is not called for it
        pool.join();
        // [/snippet:offload]
    }
    std::cout << "== threads ==\n";
    {
        // [snippet:threads]
        asio::io_context ctx;
        auto ex = ctx.get_executor();
        async::channel<int> ch(2);
        std::thread sensor([ch, ex] { // a producer outside the event loop
            for (int i = 1; i <= 5; ++i) {
                int reading = i * 10;
                // Every call goes through the loop's executor; get() waits while
                // the channel is full: backpressure across threads.
                asio::co_spawn(ex, ch.send(reading), asio::use_future).get();
            }
            asio::post(ex, [ch] { ch.close(); });
        });
        print(async::run(ctx, async::collect(ch.stream())));
        sensor.join();
        // [/snippet:threads]
    }
}
