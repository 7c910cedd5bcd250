// rill::async::generate: laziness, parking at the yield, early stop with async
// cleanup, cancellation, exceptions, replay, a cursor destroyed without close().
#include "support.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <doctest/doctest.h>

using namespace rill_async_test;

namespace {

// Ticks 0..n-1 with a timer between them; logs its yields, the stop it sees
// and its async cleanup.
auto ticks(std::shared_ptr<event_log> l, int n) {
    return async::generate<int>([l, n](async::yielder<int>& out) -> asio::awaitable<void> {
        l->add("start");
        for (int i = 0; i < n; ++i) {
            co_await sleep_for(1ms);
            l->add("yield " + std::to_string(i));
            if (!co_await out(i)) {
                l->add("stop seen");
                co_await sleep_for(1ms); // an async cleanup
                l->add("cleanup done");
                co_return;
            }
        }
        l->add("end");
    });
}

} // namespace

TEST_CASE("generate runs its body only when pulled, and replays") {
    auto l = std::make_shared<event_log>();
    auto s = ticks(l, 3);
    CHECK(l->events.empty());
    CHECK(run_show(s) == "0 1 2");
    CHECK(l->str() == "start | yield 0 | yield 1 | yield 2 | end");
    l->events.clear();
    CHECK(run_show(s) == "0 1 2");
    CHECK(l->str() == "start | yield 0 | yield 1 | yield 2 | end");
}

TEST_CASE("generate's body stays parked at its yield until the consumer pulls again") {
    auto l = std::make_shared<event_log>();
    auto s = ticks(l, 3);
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        auto a = co_await c.next();
        CHECK(**a == 0);
        co_await sleep_for(5ms);
        CHECK(l->str() == "start | yield 0"); // not "yield 1": the body waits for the pull
        auto b = co_await c.next();
        CHECK(**b == 1);
        co_await c.close();
        CHECK(l->str() == "start | yield 0 | yield 1 | stop seen | cleanup done");
        co_await c.close(); // idempotent
    }());
}

TEST_CASE("an early stop lets generate's body see the stop and finish its async cleanup before the sink returns") {
    auto l = std::make_shared<event_log>();
    auto s = ticks(l, 100) | async::take(2);
    const std::size_t before = async::unclosed_releases(); // other tests leave cursors unclosed on purpose
    async::run([&]() -> asio::awaitable<void> {
        auto v = co_await async::collect(s);
        l->add("collect returned " + std::to_string(v.size()));
    }());
    CHECK(l->str() == "start | yield 0 | yield 1 | stop seen | cleanup done | collect returned 2");
    CHECK(async::unclosed_releases() == before);
}

TEST_CASE("generate yields Err items in their position, stamped with it") {
    auto s = async::generate<int>([](async::yielder<int>& out) -> asio::awaitable<void> {
        co_await out(1);
        co_await out(rill::err("E", "two"));
        rill::result<int> three = 3;
        co_await out(three);
    });
    auto v = items(s);
    CHECK(show(v) == "1 E:two 3");
    REQUIRE(v[1].error().trace.size() == 1);
    CHECK(v[1].error().trace[0].op == "generate");
    CHECK(v[1].error().trace[0].index == 1);
}

TEST_CASE("an exception escaping generate's body reaches the consumer after the run is closed") {
    auto s = async::generate<int>([](async::yielder<int>& out) -> asio::awaitable<void> {
        co_await out(1);
        throw boom();
    });
    CHECK_THROWS_AS(items(s), boom);
}

TEST_CASE("a body that ignores the stop and yields again is ended quietly") {
    auto l = std::make_shared<event_log>();
    auto s = async::generate<int>([l](async::yielder<int>& out) -> asio::awaitable<void> {
        try {
            for (int i = 0;; ++i) (void)co_await out(i);
        } catch (const async::generator_stopped&) {
            l->add("stopped");
            throw;
        }
    });
    CHECK(run_show(s | async::take(2)) == "0 1");
    CHECK(l->str() == "stopped");
}

TEST_CASE("cancelling the consumer cancels generate's body where it waits, and the run is closed") {
    using namespace asio::experimental::awaitable_operators;
    auto l = std::make_shared<event_log>();
    auto s = async::generate<int>([l](async::yielder<int>& out) -> asio::awaitable<void> {
        co_await out(0);
        try {
            co_await sleep_for(10s); // cancelled
        } catch (const std::system_error&) {
            l->add("body cancelled");
        }
        co_await asio::this_coro::reset_cancellation_state();
        co_await sleep_for(1ms); // async cleanup after the cancellation
        l->add("body cleanup");
    });
    async::run([&]() -> asio::awaitable<void> {
        auto work = async::count(s);
        auto timer = sleep_for(5ms);
        auto winner = co_await (std::move(work) || std::move(timer));
        CHECK(winner.index() == 1);
        l->add("timed out");
    }());
    CHECK(l->str() == "body cancelled | body cleanup | timed out");
}

TEST_CASE("a generate cursor destroyed without close() cancels its body, which unwinds on its executor") {
    auto l = std::make_shared<event_log>();
    struct guard {
        std::shared_ptr<event_log> l;
        ~guard() { l->add("unwound"); }
    };
    auto s = async::generate<int>([l](async::yielder<int>& out) -> asio::awaitable<void> {
        guard g{l};
        for (int i = 0;; ++i) {
            if (!co_await out(i)) l->add("stop seen");
            co_await sleep_for(1ms); // throws: the body was cancelled
            l->add("not reached");
        }
    });
    const std::size_t before = async::unclosed_releases();
    asio::io_context ctx;
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto c = s.open();
        auto a = co_await c.next();
        CHECK(**a == 0);
    }()); // c destroyed, not closed
    CHECK(async::unclosed_releases() == before + 1);
    ctx.restart();
    ctx.run(); // the body unwinds: its RAII runs; an await after the stop throws
    CHECK(l->events.back() == "unwound");
    CHECK(l->str().find("not reached") == std::string::npos);
}
