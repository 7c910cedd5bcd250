// rill::async::channel: bounded queue, backpressure, close keeps what is
// queued, many producers, the one-shot stream, cancellation of a waiter, and a
// producer on another thread (named "threads: ..." for the ThreadSanitizer run).
#include "support.hpp"

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/use_future.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace rill_async_test;

namespace {
asio::awaitable<void> produce(async::channel<int> ch, int from, int n, std::shared_ptr<event_log> l) {
    for (int i = from; i < from + n; ++i) {
        co_await ch.send(i);
        l->add("sent " + std::to_string(i));
    }
}
} // namespace

TEST_CASE("channel: send waits while the channel is full (backpressure)") {
    auto l = std::make_shared<event_log>();
    async::channel<int> ch(2);
    async::run([&]() -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        asio::co_spawn(ex, produce(ch, 0, 4, l), asio::detached);
        co_await sleep_for(2ms);
        CHECK(l->str() == "sent 0 | sent 1"); // the third send waits for room
        CHECK(ch.size() == 2);
        auto a = co_await ch.receive();
        CHECK(*a == 0);
        co_await sleep_for(2ms);
        CHECK(l->str() == "sent 0 | sent 1 | sent 2");
        for (int want = 1; want < 4; ++want) {
            auto v = co_await ch.receive();
            CHECK(*v == want);
        }
    }());
}

TEST_CASE("channel: close keeps the queued items, refuses sends, and ends the stream") {
    async::channel<std::string> ch(4);
    CHECK(ch.try_send("a"));
    CHECK(ch.try_send(std::string("b")));
    ch.close();
    std::string kept = "c";
    CHECK(!ch.try_send(std::move(kept)));
    CHECK(kept == "c"); // not moved from
    async::run([&]() -> asio::awaitable<void> {
        std::string late = "d";
        const bool sent = co_await ch.send(std::move(late));
        CHECK(!sent);
        CHECK(late == "d");
    }());
    CHECK(run_show(ch.stream()) == "a b");
    CHECK(run_show(ch.stream()).empty());
}

TEST_CASE("channel: many producers, a consumer through stream(), the channel closed when they are done") {
    auto l = std::make_shared<event_log>();
    async::channel<int> ch(3);
    auto sum = async::run([&]() -> asio::awaitable<int> {
        auto ex = co_await asio::this_coro::executor;
        auto left = std::make_shared<int>(2);
        auto producer = [ch, left, l](int from) -> asio::awaitable<void> {
            co_await produce(ch, from, 50, l);
            if (--*left == 0) ch.close();
        };
        asio::co_spawn(ex, producer(0), asio::detached);
        asio::co_spawn(ex, producer(100), asio::detached);
        auto folded = co_await async::fold(ch.stream(), 0, [](int a, int v) { return a + v; });
        co_return *folded;
    }());
    CHECK(sum == (0 + 49) * 25 + (100 + 149) * 25);
    CHECK(l->events.size() == 100);
}

TEST_CASE("channel: a receiver waiting on an empty channel wakes at close, a cancelled one throws") {
    using namespace asio::experimental::awaitable_operators;
    async::channel<int> ch(1);
    async::run([&]() -> asio::awaitable<void> {
        auto receive = ch.receive();
        auto timer = sleep_for(2ms);
        auto winner = co_await (std::move(receive) || std::move(timer));
        CHECK(winner.index() == 1); // the receive was cancelled
        auto ex = co_await asio::this_coro::executor;
        asio::co_spawn(ex, [ch]() -> asio::awaitable<void> {
            co_await sleep_for(1ms);
            ch.close();
        }, asio::detached);
        auto end = co_await ch.receive();
        CHECK(!end);
    }());
    CHECK_THROWS_AS(async::channel<int>(0), std::invalid_argument);
}

TEST_CASE("threads: a producer on a std::thread sends through the loop's executor, with backpressure") {
    // What channel.hpp tells a producer on another thread to do: every call goes
    // through the loop's executor; get() waits while the channel is full.
    asio::io_context ctx;
    auto ex = ctx.get_executor();
    async::channel<int> ch(2);
    std::atomic<int> sent{0};
    std::thread producer([ch, ex, &sent] {
        for (int i = 0; i < 200; ++i) {
            const bool ok = asio::co_spawn(ex, ch.send(i), asio::use_future).get();
            if (ok) ++sent;
        }
        asio::post(ex, [ch] { ch.close(); });
    });
    std::size_t most_queued = 0;
    auto watch = async::tap([ch, &most_queued](const int&) { most_queued = std::max(most_queued, ch.size()); });
    auto sum = async::run(ctx, async::fold(ch.stream() | watch, 0, [](int a, int v) { return a + v; }));
    producer.join();
    CHECK(*sum == 199 * 200 / 2);
    CHECK(sent == 200);
    CHECK(most_queued <= 2);
}
