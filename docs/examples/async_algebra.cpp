// Async streams, the rest of the algebra: chunk, scan, concat, zip, to<C> and
// the type-erased async::stream<T> (docs/13-async.md).
#include "print.hpp"

#include <rill/async.hpp>
#include <rill/rill.hpp>

#include <asio/steady_timer.hpp>

#include <chrono>
#include <iostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace std::chrono_literals;
namespace async = rill::async;

namespace {
// Waits on the executor of the coroutine that awaits it.
asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(d);
    co_await timer.async_wait(asio::use_awaitable);
}

// [snippet:items]
// 1 2 Err 4: the items the examples run through.
auto items() {
    rill::result<int> bad = rill::err("E", "bad");
    return async::of(rill::result<int>(1), rill::result<int>(2), bad, rill::result<int>(4));
}
// [/snippet:items]

// [snippet:table]
// A table whose rows are read between an awaited open and close.
auto table(std::string name, int rows) {
    auto open = [name]() -> asio::awaitable<std::string> {
        co_await sleep_for(1ms);
        std::cout << "open " << name << '\n';
        co_return name;
    };
    auto close = [](std::string& t, rill::exit_case how) -> asio::awaitable<void> {
        co_await sleep_for(1ms);
        std::cout << "close " << t << " (" << how << ")\n";
    };
    return async::using_resource(open, close, [rows](std::string& t) {
        return async::iota(0, rows) | async::map([&t](int i) { return t + std::to_string(i); });
    });
}
// [/snippet:table]
} // namespace

int main() {
    std::cout << "== chunk ==\n";
    {
        // [snippet:chunk]
        print(async::run(async::collect(async::iota(1, 6) | async::chunk(2))));
        print(async::run(async::collect(items() | async::chunk(3)))); // the Err closes the chunk in progress
        // [/snippet:chunk]
    }
    std::cout << "== scan ==\n";
    {
        // [snippet:scan]
        auto total = [](int acc, int x) -> asio::awaitable<int> { // plain or awaitable
            co_await sleep_for(1ms);
            co_return acc + x;
        };
        print(async::run(async::collect(items() | async::scan(0, total)))); // the Err leaves the total as it is
        // [/snippet:scan]
    }
    std::cout << "== concat ==\n";
    {
        // [snippet:concat]
        auto both = async::concat(table("a", 2), table("b", 2)); // a is closed before b is opened
        print(async::run(async::collect(both)));
        print(async::run(async::collect(both | async::take(1)))); // b is never opened
        // [/snippet:concat]
    }
    std::cout << "== zip ==\n";
    {
        // [snippet:zip]
        auto names = async::of(std::string("x"), std::string("y"), std::string("z"));
        print(async::run(async::collect(async::zip(names, async::iota(1))))); // ends with the shorter stream
        print(async::run(async::collect(async::zip(async::iota(0, 4), items())))); // a round with an Err is that Err
        auto rows = async::zip(table("a", 3), table("b", 1)); // both runs are closed when one ends
        print(async::run(async::collect(rows)));
        // [/snippet:zip]
    }
    std::cout << "== to ==\n";
    {
        // [snippet:to]
        auto dups = async::of(3, 1, 3, 2);
        print_value(async::run(async::to<std::set<int>>(dups)));  // result<std::set<int>>
        print_value(async::run(async::to<std::vector<int>>(items()))); // the first Err
        print_value(async::run(async::to<std::vector<rill::result<int>>>(items()))); // every item
        // [/snippet:to]
    }
    std::cout << "== stream ==\n";
    {
        // [snippet:stream]
        // One type for different pipelines: a function may return either.
        auto source = [](bool remote) -> async::stream<std::string> {
            if (remote) return table("remote", 2);
            return async::of(std::string("local"));
        };
        std::vector<async::stream<std::string>> sources{source(false), source(true)};
        for (const auto& s : sources) print(async::run(async::collect(s | async::take(1))));
        async::stream<int> none; // default-constructed: no items
        std::cout << async::run(async::count(none)) << " items\n";
        // [/snippet:stream]
    }
}
