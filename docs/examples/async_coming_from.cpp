// Coming from Python's asyncio: docs/coming-from/python.md, the rill::async column.
#include "print.hpp"

#include <rill/async.hpp>

#include <asio/steady_timer.hpp>

#include <chrono>
#include <iostream>
#include <string>

using namespace std::chrono_literals;
namespace async = rill::async;

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::use_awaitable);
}

// [snippet:python_async_generator]
// async def ticks(n):
//     async with open_ticker() as t:      # awaited acquire and release
//         for i in range(n):
//             await asyncio.sleep(0.001)  # an await between items
//             yield i
auto ticks(int n) {
    return async::using_resource(
        []() -> asio::awaitable<std::string> {
            co_await sleep_for(1ms);
            std::cout << "open\n";
            co_return std::string("ticker");
        },
        [](std::string& t, rill::exit_case how) -> asio::awaitable<void> {
            co_await sleep_for(1ms);
            std::cout << "close " << t << " (" << how << ")\n";
        },
        [n](std::string&) {
            return async::generate<int>([n](async::yielder<int>& out) -> asio::awaitable<void> {
                for (int i = 0; i < n; ++i) {
                    co_await sleep_for(1ms);
                    if (!co_await out(i)) co_return; // false: the consumer stopped early
                }
            });
        });
}
// [/snippet:python_async_generator]

// [snippet:python_async_for]
// async for x in ticks(10):
//     if x == 2: break
//     print(x)
asio::awaitable<void> consume() {
    auto s = ticks(10);
    auto run = s.open();
    while (auto r = co_await run.next()) {
        if (**r == 2) break;
        std::cout << **r << '\n';
    }
    co_await run.close(); // what `async for` does with aclose(): the release runs here, awaited
}
// [/snippet:python_async_for]

int main() {
    std::cout << "== python_async ==\n";
    async::run(consume());
    std::cout << "== python_comprehension ==\n";
    {
        // [snippet:python_comprehension]
        // [x * x async for x in ticks(5) if x % 2 == 0]
        auto evens = ticks(5) | async::filter([](int x) { return x % 2 == 0; }) |
                     async::map([](int x) { return x * x; });
        print(async::run(async::collect(evens)));
        // [/snippet:python_comprehension]
    }
}
