// Tests of include/rill/run_stop.hpp: which run stop token a thread sees, and
// real_clock's sleep that ends when its token is requested. (The waits of the
// concurrent operators are tested in tests/concurrency/stop.cpp.)
#include <rill/run_stop.hpp>

#include <rill/concurrent/buffer.hpp>
#include <rill/sink/collect.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/stop_on.hpp>
#include <rill/time/clock.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <stop_token>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

TEST_CASE("outside any run a thread's run stop token can never be requested") {
    CHECK_FALSE(rill::run_stop_token().stop_possible());
    CHECK_FALSE(rill::stop_requested());
}

TEST_CASE("under stop_on a pulling thread sees the run's token, and only while it pulls") {
    std::stop_source stop;
    std::vector<bool> possible, requested;
    auto s = rill::iota(0, 3) | rill::map([&](int x) {
                 possible.push_back(rill::run_stop_token().stop_possible());
                 if (x == 1) stop.request_stop();
                 requested.push_back(rill::stop_requested());
                 return x;
             }) |
             rill::stop_on(stop.get_token());
    auto v = rill::collect(s);
    CHECK(v.size() == 3); // 0, 1, then Err "stopped"
    CHECK(possible == std::vector<bool>{true, true});
    CHECK(requested == std::vector<bool>{false, true});
    CHECK_FALSE(rill::run_stop_token().stop_possible()); // restored after the run
}

TEST_CASE("a thread a run starts works under its own token") {
    bool possible = false;
    auto v = rill::collect(rill::iota(0, 1) | rill::map([&](int x) {
                               possible = rill::run_stop_token().stop_possible(); // on buffer's producer
                               return x;
                           }) |
                           rill::buffer(1));
    CHECK(v.size() == 1);
    CHECK(possible);
}

TEST_CASE("real_clock::sleep_until(t, token): true after a full sleep, false at once when requested") {
    rill::real_clock clock;
    std::stop_source never;
    CHECK(clock.sleep_until(clock.now() + 1ms, never.get_token()));
    std::stop_source stop;
    std::jthread stopper([&] {
        std::this_thread::sleep_for(10ms);
        stop.request_stop();
    });
    CHECK_FALSE(clock.sleep_until(clock.now() + std::chrono::hours(1), stop.get_token())); // returns, not in an hour
    std::stop_source already;
    already.request_stop();
    CHECK_FALSE(clock.sleep_until(clock.now() + std::chrono::hours(1), already.get_token()));
}
