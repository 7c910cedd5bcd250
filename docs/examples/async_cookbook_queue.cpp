// Cookbook: async producers and a consumer, timeouts and retries
// (docs/cookbook/async_producer_consumer.md). Every wait is on the virtual
// clock, so the interleaving and the timestamps are exact.
#include "print.hpp"

#include <rill/async.hpp>
#include <rill/async/testing/virtual_time.hpp>
#include <rill/rill.hpp>

#include <asio/experimental/awaitable_operators.hpp>

#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators; // a && b: await both, at once
namespace async = rill::async;
namespace vt = rill::async::testing;

vt::virtual_clock clk; // every wait below is on the virtual clock

// "what@Nms": N is the virtual time.
std::string at(const std::string& what) {
    return what + "@" + std::to_string(vt::virtual_clock::elapsed() / 1ms) + "ms";
}

// [snippet:producer]
// Sends name0, name1, ... (n items, one every `every`). send() waits while the
// channel is full, and gives false once the consumer has closed it.
asio::awaitable<void> producer(async::channel<std::string> ch, std::string name, int n,
                               std::chrono::milliseconds every) {
    for (int i = 0; i < n; ++i) {
        co_await async::sleep_for(every, clk);
        std::string item = name + std::to_string(i);
        const auto asked = vt::virtual_clock::elapsed();
        if (!co_await ch.send(item)) {
            std::cout << at("  " + name + " sees the close, stops") << '\n';
            co_return;
        }
        if (vt::virtual_clock::elapsed() > asked) // the channel was full: backpressure
            std::cout << at("  " + item + " waited " + std::to_string((vt::virtual_clock::elapsed() - asked) / 1ms) +
                            "ms, sent") << '\n';
    }
    std::cout << at("  " + name + " done") << '\n';
}
// [/snippet:producer]

// [snippet:consumer]
// Takes `wanted` items, 25 ms of work each, then closes the channel: the
// producers' next send() gives false.
asio::awaitable<void> consumer(async::channel<std::string> ch, int wanted) {
    auto work = [](std::string item) -> asio::awaitable<std::string> {
        co_await async::sleep_for(25ms, clk);
        co_return at(item);
    };
    auto handled = ch.stream() | async::take(wanted) | async::map(work);
    auto items = co_await async::collect(handled);
    ch.close();
    std::cout << at("consumer closed the channel") << '\n';
    print(items);
}
// [/snippet:consumer]

// [snippet:flaky]
// A quote service that fails the first two calls for each id, 10 ms a call.
auto quote_service() {
    auto calls = std::make_shared<std::map<int, int>>();
    return [calls](int id) -> asio::awaitable<rill::result<std::string>> {
        const int call = ++(*calls)[id];
        std::cout << at("  call " + std::to_string(call) + " for " + std::to_string(id)) << '\n';
        co_await async::sleep_for(10ms, clk);
        if (id != 1 && call < 3) co_return rill::err("unavailable", "busy");
        co_return at("quote" + std::to_string(id));
    };
}
// [/snippet:flaky]

int main() {
    std::cout << "== queue ==\n";
    {
        // [snippet:queue]
        async::channel<std::string> ch(2); // at most 2 queued items
        auto all = [ch]() -> asio::awaitable<void> {
            auto producers = producer(ch, "a", 10, 10ms) && producer(ch, "b", 10, 15ms) && producer(ch, "c", 2, 5ms);
            auto everyone = consumer(ch, 5) && std::move(producers);
            co_await std::move(everyone); // until the consumer and every producer have ended
        };
        vt::run_virtual(all());
        // [/snippet:queue]
    }
    std::cout << "== retry ==\n";
    {
        // [snippet:retry]
        const rill::retry_policy policy{.max_attempts = 3, .backoff = rill::backoff::exponential(100ms, 1s)};
        auto quotes = async::iota(1, 4) | async::try_map(async::retrying(policy, quote_service(), clk));
        print(vt::run_virtual(async::collect(quotes)));
        // [/snippet:retry]
    }
    std::cout << "== timeout ==\n";
    {
        // [snippet:timeout]
        async::channel<std::string> ch(2);
        auto all = [ch]() -> asio::awaitable<void> {
            auto feed = [ch]() -> asio::awaitable<void> { // stalls 250 ms before its last item
                int i = 0;
                for (auto gap : {10ms, 10ms, 250ms}) {
                    co_await async::sleep_for(gap, clk);
                    std::string item = "tick" + std::to_string(i++);
                    co_await ch.send(item);
                }
                ch.close();
            };
            auto received = ch.stream() | async::timeout(100ms, clk) // an Err when a pull waits 100 ms
                          | async::map([](const std::string& t) { return at(t); });
            auto both = async::collect(received) && feed();
            auto items = co_await std::move(both); // collect's value
            print(items);
        };
        vt::run_virtual(all());
        // [/snippet:timeout]
    }
}
