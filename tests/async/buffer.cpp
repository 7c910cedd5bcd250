// rill::async::buffer: a prefetching coroutine at most n items ahead (pulls
// counted), items unchanged, upstream closed once on every way the run ends,
// exceptions after the items before them, prompt close, cancellation.
#include "support.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>

using namespace rill_async_test;

namespace {

// 1 E:x 3 4 E:y: Err items first-but-one, in the middle and last; and E:w 2: an Err first.
auto mixed() {
    rill::result<int> x = rill::err("E", "x"), y = rill::err("E", "y");
    return async::of(rill::result<int>(1), x, rill::result<int>(3), rill::result<int>(4), y);
}
auto err_first() {
    rill::result<int> w = rill::err("E", "w");
    return async::of(w, rill::result<int>(2));
}

// A resource "r" (logged) over a generate that yields 0 .. n-1, waiting `gap` before each.
auto slow_source(std::shared_ptr<event_log> l, int n, std::chrono::milliseconds gap) {
    auto body = [n, gap](async::yielder<int>& out) -> asio::awaitable<void> {
        for (int i = 0; i < n; ++i) {
            co_await sleep_for(gap);
            if (!co_await out(i)) co_return;
        }
    };
    return async::using_resource(acquire_async(l, "r"), release_async(l),
                                 [body](std::string&) { return async::generate<int>(body); });
}

} // namespace

TEST_CASE("buffer passes every item unchanged, Err items in any position") {
    CHECK(run_show(mixed() | async::buffer(2)) == "1 E:x 3 4 E:y");
    CHECK(run_show(async::buffer(mixed(), 1)) == "1 E:x 3 4 E:y");
    CHECK(run_show(err_first() | async::buffer(8)) == "E:w 2");
    auto v = items(mixed() | async::buffer(3));
    REQUIRE(v[1].error().trace.size() == 1); // of's frame only: buffer adds none
    CHECK(v[1].error().trace[0].op == "of");
    CHECK(run_show(async::iota(0, 0) | async::buffer(2)).empty());
    CHECK(run_show(async::iota(0, 100) | async::buffer(7) | async::take(3)) == "0 1 2");
}

TEST_CASE("buffer pulls nothing before its first next(), then exactly n items ahead, never more") {
    for (int n : {1, 3}) {
        CAPTURE(n);
        auto pulls = std::make_shared<int>(0);
        auto s = counted(10, pulls) | async::buffer(n);
        async::run([&]() -> asio::awaitable<void> {
            auto c = s.open();
            co_await sleep_for(1ms);
            CHECK(*pulls == 0);
            for (int k = 1; k <= 12; ++k) {
                auto r = co_await c.next();
                CHECK(r.has_value() == (k <= 10));
                CHECK(*pulls <= k + n);
                co_await sleep_for(0ms); // the prefetcher fills the queue
                CHECK(*pulls == std::min(k + n, 10));
            }
            co_await c.close();
        }());
    }
    auto pulls = std::make_shared<int>(0);
    CHECK(run_show(counted(100, pulls) | async::buffer(3) | async::take(2)) == "0 1");
    CHECK(*pulls <= 2 + 3);
}

TEST_CASE("buffer closes upstream once: at its end, or when the run is closed early, promptly") {
    auto l = std::make_shared<event_log>();
    CHECK(run_show(slow_source(l, 3, 1ms) | async::buffer(2)) == "0 1 2");
    CHECK(l->str() == "open r | close r completed");

    l->events.clear();
    asio::io_context ctx;
    const auto start = std::chrono::steady_clock::now();
    // Item 2 would take 10 s: the prefetcher waits for it when the consumer stops.
    auto body = [](async::yielder<int>& out) -> asio::awaitable<void> {
        co_await out(0);
        co_await out(1);
        co_await sleep_for(10s);
        co_await out(2);
    };
    auto s = async::using_resource(acquire_async(l, "r"), release_async(l),
                                   [body](std::string&) { return async::generate<int>(body); }) |
             async::buffer(4) | async::take(2);
    CHECK(async::run(ctx, async::count(s)) == 2);
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(ctx.stopped()); // no timer, no coroutine left behind
    // The prefetcher was interrupted in the middle of a pull: a cancellation went through upstream.
    CHECK(l->str() == "open r | close r failed");

    // By hand: close() idempotent, next() empty afterwards. The prefetcher is
    // parked on a full queue when the run is closed: upstream is told stopped_early.
    l->events.clear();
    auto t = slow_source(l, 5, 1ms) | async::buffer(2);
    async::run([&]() -> asio::awaitable<void> {
        auto c = t.open();
        auto first = co_await c.next();
        CHECK(**first == 0);
        co_await sleep_for(50ms); // items 1 and 2 fill the queue
        co_await c.close();
        co_await c.close();
        auto after = co_await c.next();
        CHECK(!after);
    }());
    CHECK(l->str() == "open r | close r stopped_early");
    // Closed before the first next(): upstream closed without being started.
    l->events.clear();
    async::run([&]() -> asio::awaitable<void> {
        auto c = t.open();
        co_await c.close();
    }());
    CHECK(l->str().empty());
}

TEST_CASE("buffer: an exception from upstream comes after the items before it, upstream closed once (failed)") {
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource(acquire_async(l, "r"), release_async(l),
                                   [](std::string&) { return async::iota(0, 10); }) |
             async::map([](int v) {
                 if (v == 3) throw boom();
                 return v;
             }) |
             async::buffer(5);
    std::string at_catch;
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        std::vector<int> got;
        int thrown = 0;
        for (;;) {
            try {
                auto r = co_await c.next();
                if (!r) break;
                got.push_back(**r);
            } catch (const boom&) {
                ++thrown;
                at_catch = l->str();
            }
        }
        CHECK(got == std::vector<int>{0, 1, 2});
        CHECK(thrown == 1);
        co_await c.close();
    }());
    CHECK(at_catch == "open r | close r failed");
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    CHECK_THROWS_AS(items(s), boom);
    CHECK(l->str() == "open r | close r failed");
}

TEST_CASE("buffer: an exception from the consumer, or its cancellation, closes upstream once (failed)") {
    using namespace asio::experimental::awaitable_operators;
    auto l = std::make_shared<event_log>();
    auto f = [](int v) {
        if (v == 1) throw boom();
    };
    CHECK_THROWS_AS(async::run(async::for_each(slow_source(l, 100, 1ms) | async::buffer(3), f)), boom);
    CHECK(l->str() == "open r | close r failed");

    l->events.clear();
    auto s = slow_source(l, 3, 10s) | async::buffer(2);
    asio::io_context ctx;
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto work = async::count(s);
        auto timer = sleep_for(5ms);
        auto winner = co_await (std::move(work) || std::move(timer));
        CHECK(winner.index() == 1);
        l->add("timed out");
    }());
    CHECK(ctx.stopped());
    CHECK(l->str() == "open r | close r failed | timed out");
}

TEST_CASE("a buffer cursor destroyed without close() cancels its prefetcher, which unwinds on the executor") {
    auto l = std::make_shared<event_log>();
    auto s = slow_source(l, 3, 10s) | async::buffer(2);
    const std::size_t before = async::unclosed_releases();
    asio::io_context ctx;
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto c = s.open();
        co_await sleep_for(0ms);
    }());
    CHECK(async::unclosed_releases() == before); // never started: nothing to leave behind
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto c = s.open();
        auto next = c.next();
        auto timer = sleep_for(5ms);
        using namespace asio::experimental::awaitable_operators;
        co_await (std::move(next) || std::move(timer)); // the cursor is then destroyed, broken, unclosed
    }());
    CHECK(async::unclosed_releases() > before);
    const auto start = std::chrono::steady_clock::now();
    ctx.run();
    CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("buffer(n) needs n >= 1") {
    CHECK_THROWS_AS(async::buffer(0), std::invalid_argument);
    CHECK_THROWS_AS(async::buffer(-2), std::invalid_argument);
    CHECK_THROWS_AS(async::buffer(async::of(1), 0), std::invalid_argument);
    CHECK_NOTHROW(async::buffer(std::size_t(1)));
}
