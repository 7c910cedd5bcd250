// Tests of include/rill/time/clock.hpp: the clock concept and real_clock.
#include <rill/time/clock.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

using namespace std::chrono_literals;

static_assert(rill::clock<rill::real_clock>);
static_assert(!rill::clock<int>);
static_assert(!rill::clock<std::chrono::steady_clock>); // no wait_until: wrap it

TEST_CASE("real_clock is std::chrono::steady_clock: it never goes back") {
    const rill::real_clock clk;
    const auto a = clk.now();
    const auto b = clk.now();
    CHECK(b >= a);
    const auto s = std::chrono::steady_clock::now();
    CHECK(clk.now() >= s);
}

TEST_CASE("real_clock's wait_until gives the predicate: at once when it holds, false past the deadline") {
    const rill::real_clock clk;
    std::mutex m;
    std::condition_variable cv;
    std::unique_lock lock(m);
    CHECK(clk.wait_until(lock, cv, clk.now() + 10s, [] { return true; }));
    const auto deadline = clk.now(); // already reached: no wait
    CHECK_FALSE(clk.wait_until(lock, cv, deadline, [] { return false; }));
    CHECK(clk.now() >= deadline);
    CHECK(lock.owns_lock()); // the lock is held again on return
}

TEST_CASE("real_clock's sleep_until returns once the time has come") {
    const rill::real_clock clk;
    const auto t = clk.now() + 1ms;
    clk.sleep_until(t);
    CHECK(clk.now() >= t);
}
