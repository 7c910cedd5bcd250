// rill::async::offload: a blocking function on a thread pool. Every test here
// uses threads; their names start with "threads:" so that CI runs them under
// ThreadSanitizer (ctest -R '^async:threads: ').
#include "support.hpp"

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/thread_pool.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace rill_async_test;

namespace {

// Counts the calls running at once (from any thread) and the most seen.
struct concurrency_meter {
    std::atomic<int> running{0}, most{0}, started{0}, finished{0};
    void enter() {
        ++started;
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
    }
    void leave() {
        --running;
        ++finished;
    }
};

struct inside {
    concurrency_meter& m;
    explicit inside(concurrency_meter& meter) : m(meter) { m.enter(); }
    ~inside() { m.leave(); }
    inside(const inside&) = delete;
    inside& operator=(const inside&) = delete;
};

} // namespace

TEST_CASE("threads: offload runs f on a pool thread, resumes on the loop's thread, and passes Err items") {
    asio::thread_pool pool(2);
    const auto loop_thread = std::this_thread::get_id();
    std::atomic<int> calls{0}, on_pool{0};
    auto f = [&](int v) {
        ++calls;
        if (std::this_thread::get_id() != loop_thread) ++on_pool;
        return v * 10;
    };
    std::vector<bool> at_home;
    auto home = async::tap([&](const int&) { at_home.push_back(std::this_thread::get_id() == loop_thread); });
    rill::result<int> x = rill::err("E", "x"), y = rill::err("E", "y");
    auto mixed = async::of(x, rill::result<int>(1), y, rill::result<int>(3), x); // Err first, middle, last
    CHECK(run_show(mixed | async::offload(pool, f) | home) == "E:x 10 E:y 30 E:x");
    CHECK(calls.load() == 2);
    CHECK(on_pool.load() == 2);
    CHECK(at_home == std::vector<bool>{true, true});
    auto v = items(async::offload(mixed, pool.get_executor(), f)); // the call form, with an executor
    CHECK(show(v) == "E:x 10 E:y 30 E:x");
    CHECK(v[2].error().trace.size() == 1); // of's frame: offload adds none
    CHECK(calls.load() == 4);
    auto words = async::of(1, 2) | async::offload(pool, [](int n) { return std::string(std::size_t(n), '*'); });
    CHECK(run_show(words) == "* **");
    pool.join();
}

TEST_CASE("threads: offload with .concurrency = n runs up to n calls at once, items in input order") {
    asio::thread_pool pool(4);
    concurrency_meter m;
    auto f = [&](int x) {
        inside in(m);
        std::this_thread::sleep_for(std::chrono::milliseconds(4 * (6 - x))); // later items end first
        return x * x;
    };
    CHECK(run_show(async::iota(0, 6) | async::offload(pool, f, {.concurrency = 3})) == "0 1 4 9 16 25");
    CHECK(m.most.load() <= 3);
    CHECK(m.most.load() >= 2);
    CHECK(m.running.load() == 0);
    m.most = 0;
    CHECK(run_show(async::iota(0, 3) | async::offload(pool, f)) == "0 1 4");
    CHECK(m.most.load() == 1); // one call at a time by default
    CHECK_THROWS_AS(async::offload(pool, f, {.concurrency = 0}), std::invalid_argument);
    pool.join();
}

TEST_CASE("threads: offload pulls at most concurrency items ahead of the consumer") {
    asio::thread_pool pool(2);
    auto pulls = std::make_shared<int>(0);
    auto f = [](int v) { return v + 1; };
    CHECK(run_show(counted(100, pulls) | async::offload(pool, f, {.concurrency = 3}) | async::take(2)) == "1 2");
    CHECK(*pulls <= 2 + 3);
    *pulls = 0;
    CHECK(run_show(counted(100, pulls) | async::offload(pool, f) | async::take(2)) == "1 2");
    CHECK(*pulls <= 2 + 1);
    pool.join();
}

TEST_CASE("threads: an exception from f reaches the consumer after the other calls returned and upstream was released") {
    asio::thread_pool pool(2);
    concurrency_meter m;
    auto f = [&](int x) {
        inside in(m);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        if (x == 2) throw boom();
        return x;
    };
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource(acquire_async(l, "r"), release_async(l),
                                   [](std::string&) { return async::iota(0, 10); }) |
             async::offload(pool, f, {.concurrency = 2});
    std::vector<int> got;
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        try {
            for (;;) {
                auto r = co_await c.next();
                if (!r) break;
                got.push_back(**r);
            }
        } catch (const boom&) {
            got.push_back(-1);
        }
        co_await c.close(rill::exit_case::failed);
    }());
    CHECK(got == std::vector<int>{0, 1, -1}); // at its position
    CHECK(m.running.load() == 0);
    CHECK(m.started.load() == m.finished.load());
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    CHECK_THROWS_AS(items(s), boom);
    CHECK(l->str() == "open r | close r failed");
    pool.join();
}

TEST_CASE("threads: closing the run, or cancelling its consumer, while f runs waits for f to return") {
    asio::thread_pool pool(2);
    concurrency_meter m;
    auto f = [&](int x) {
        inside in(m);
        if (x > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return x;
    };
    // take(1) closes the run while the call for item 1 sleeps on the pool.
    CHECK(run_show(async::iota(0, 10) | async::offload(pool, f, {.concurrency = 2}) | async::take(1)) == "0");
    CHECK(m.running.load() == 0);
    CHECK(m.started.load() == m.finished.load());

    using namespace asio::experimental::awaitable_operators;
    auto s = async::iota(1, 10) | async::offload(pool, f);
    asio::io_context ctx;
    bool timed_out = false;
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto work = async::count(s);
        auto timer = sleep_for(5ms);
        auto winner = co_await (std::move(work) || std::move(timer));
        timed_out = winner.index() == 1;
    }());
    CHECK(timed_out);
    CHECK(m.running.load() == 0); // the sink returned only once the call in flight had returned
    CHECK(m.started.load() == m.finished.load());
    CHECK(ctx.stopped());
    pool.join();
}

TEST_CASE("threads: offload between async stages, with a mutable function object") {
    asio::thread_pool pool(1);
    int calls = 0; // touched by the one pool thread only, and read after the run
    auto f = [&calls](int x) mutable {
        ++calls;
        return x + 100;
    };
    auto s = async::iota(0, 4) | async::map([](int x) { return x * 2; }) | async::offload(pool, f) |
             async::filter([](int x) { return x % 4 == 0; });
    CHECK(run_show(s) == "100 104");
    pool.join();
    CHECK(calls == 4);
}
