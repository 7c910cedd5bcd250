// Tests of include/rill/testing/manual_clock.hpp: time that moves only when
// told, virtual sleeps, and timed waits released by another thread.
#include <rill/testing/manual_clock.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using rill::testing::manual_clock;

static_assert(rill::clock<manual_clock>);

TEST_CASE("a manual clock starts at zero and moves only forward, when told") {
    const manual_clock clk;
    CHECK(clk.now() == manual_clock::time_point{});
    CHECK(clk.now() == clk.now());
    clk.advance(5ms);
    CHECK(clk.elapsed() == 5ms);
    clk.advance(-3ms); // a negative duration does nothing
    CHECK(clk.elapsed() == 5ms);
    clk.advance_to(manual_clock::time_point{2ms}); // earlier than now: nothing
    CHECK(clk.elapsed() == 5ms);
    clk.advance_to(manual_clock::time_point{9ms});
    CHECK(clk.elapsed() == 9ms);
}

TEST_CASE("copies of a manual clock share one time line") {
    const manual_clock a;
    const manual_clock b = a;
    a.advance(1s);
    CHECK(b.elapsed() == 1s);
    b.sleep_for(2s);
    CHECK(a.elapsed() == 3s);
    CHECK(a.sleeps() == std::vector<manual_clock::duration>{2s});
    const manual_clock other; // a new clock has its own time line
    CHECK(other.elapsed() == 0s);
}

TEST_CASE("sleeps are virtual: they move the clock at once and are recorded in order") {
    const manual_clock clk;
    clk.sleep_for(100ms);
    clk.sleep_until(clk.now() + 250ms);
    clk.sleep_until(manual_clock::time_point{10ms}); // already past: sleeps 0
    CHECK(clk.elapsed() == 350ms);
    CHECK(clk.sleeps() == std::vector<manual_clock::duration>{100ms, 250ms, 0ms});
    clk.advance(1s); // moving time is not a sleep
    CHECK(clk.sleeps().size() == 3);
}

TEST_CASE("wait_until returns at once when the predicate already holds") {
    const manual_clock clk;
    std::mutex m;
    std::condition_variable cv;
    std::unique_lock lock(m);
    CHECK(clk.wait_until(lock, cv, clk.now() + 1s, [] { return true; }));
    CHECK(clk.waiters() == 0);
    CHECK(clk.elapsed() == 0s); // waiting does not move time
}

TEST_CASE("wait_until blocks until another thread moves the clock to the deadline, then gives false") {
    const manual_clock clk;
    std::mutex m;
    std::condition_variable cv;
    bool result = true;
    std::thread waiter([&] {
        std::unique_lock lock(m);
        result = clk.wait_until(lock, cv, manual_clock::time_point{50ms}, [] { return false; });
    });
    clk.await_waiters(1);
    CHECK(clk.waiters() == 1);
    clk.advance(20ms); // not yet the deadline: still waiting
    CHECK(clk.waiters() == 1);
    clk.advance(30ms);
    waiter.join();
    CHECK_FALSE(result);
    CHECK(clk.waiters() == 0);
}

TEST_CASE("wait_until wakes when notified with the predicate true, before the deadline") {
    const manual_clock clk;
    std::mutex m;
    std::condition_variable cv;
    bool ready = false;
    bool result = false;
    std::thread waiter([&] {
        std::unique_lock lock(m);
        result = clk.wait_until(lock, cv, manual_clock::time_point{1s}, [&] { return ready; });
    });
    clk.await_waiters(1);
    {
        std::lock_guard g(m);
        ready = true;
    }
    cv.notify_all();
    waiter.join();
    CHECK(result);
    CHECK(clk.elapsed() == 0s);
    CHECK(clk.waiters() == 0);
}

TEST_CASE("await_waiters counts several blocked threads, and one advance releases them all") {
    const manual_clock clk;
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::thread> threads;
    int timed_out = 0;
    for (int i = 0; i < 3; ++i)
        threads.emplace_back([&, i] {
            std::unique_lock lock(m);
            if (!clk.wait_until(lock, cv, manual_clock::time_point{10ms * (i + 1)}, [] { return false; })) ++timed_out;
        });
    clk.await_waiters(3);
    CHECK(clk.waiters() == 3);
    clk.advance(30ms);
    for (auto& t : threads) t.join();
    CHECK(timed_out == 3);
    CHECK(clk.waiters() == 0);
}
