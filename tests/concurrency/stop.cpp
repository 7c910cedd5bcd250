// Stopping runs: every blocking wait inside a run wakes when the run stops,
// whether the run stops itself (an early stop destroys the cursor) or a caller
// stops it from outside (rill::stop_on). Each of these runs hung before the
// waits took the run's stop token; a watchdog turns a hang into a failure.
#include <rill/concurrent/buffer.hpp>
#include <rill/concurrent/channel.hpp>
#include <rill/concurrent/merge.hpp>
#include <rill/concurrent/par_map.hpp>
#include <rill/concurrent/timeout.hpp>
#include <rill/run_stop.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/sink/try_collect.hpp>
#include <rill/source/generate.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/stop_on.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/tap.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/time/retry.hpp>
#include <rill/time/retrying.hpp>
#include <rill/time/throttle.hpp>

#include "concurrency/support.hpp"
#include "support/items.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <latch>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

using namespace rill_conc;
using namespace std::chrono_literals;

namespace {

/// Runs `f` and returns what it returns; if it has not returned within a
/// minute, the run hangs: reports it and ends the test program (a hung thread
/// cannot be joined, so the test cannot go on).
template <class F>
auto within_a_minute(const char* what, F f) {
    auto done = std::async(std::launch::async, std::move(f));
    if (done.wait_for(60s) != std::future_status::ready) {
        std::fprintf(stderr, "HANG: %s did not return within 60 s\n", what);
        std::fflush(stderr);
        std::_Exit(1);
    }
    return done.get();
}

/// A channel holding `n` items 0..n-1, left open.
rill::channel<int> open_channel_with(int n, std::size_t capacity = 16) {
    rill::channel<int> ch(capacity);
    for (int i = 0; i < n; ++i) REQUIRE(ch.try_send(i));
    return ch;
}

bool is_stopped(const rill::result<int>& r) { return !r.has_value() && r.error().code == "stopped"; }

} // namespace

TEST_CASE("an early stop over an open channel ends the run: buffer") {
    const std::size_t baseline = baseline_thread_count();
    for (int k : {5, 9, 10}) {
        CAPTURE(k);
        auto ch = open_channel_with(10);
        auto v = within_a_minute("buffer | take over an open channel",
                                 [&] { return rill::collect(ch.stream() | rill::buffer(64) | rill::take(k)); });
        REQUIRE(v.size() == std::size_t(k));
        for (int i = 0; i < k; ++i) CHECK(v[std::size_t(i)].value() == i);
    }
    CHECK(settled_thread_count(baseline) == baseline);
}

TEST_CASE("an early stop over an open channel ends the run: merge, par_map, timeout") {
    const std::size_t baseline = baseline_thread_count();
    {
        auto ch = open_channel_with(10);
        auto v = within_a_minute("merge | take(9) over an open channel", [&] {
            return rill::collect(rill::merge(ch.stream(), rill::of(100)) | rill::take(9));
        });
        CHECK(v.size() == 9);
    }
    {
        auto ch = open_channel_with(10);
        auto n = within_a_minute("par_map | take(5) over an open channel", [&] {
            return rill::count(ch.stream() | rill::par_map([](int x) { return x; }, {.workers = 3}) | rill::take(5));
        });
        CHECK(n == 5);
    }
    {
        auto ch = open_channel_with(10);
        auto n = within_a_minute("par_map with a timeout | take(10) over an open channel", [&] {
            return rill::count(ch.stream() | rill::par_map([](int x) { return x; }, {.workers = 2, .timeout = 1h}) |
                               rill::take(10));
        });
        CHECK(n == 10);
    }
    {
        auto ch = open_channel_with(10);
        auto n = within_a_minute("timeout | take(10) over an open channel",
                                 [&] { return rill::count(ch.stream() | rill::timeout(1h) | rill::take(10)); });
        CHECK(n == 10);
    }
    CHECK(settled_thread_count(baseline) == baseline);
}

TEST_CASE("par_map over a channel fed by its own output: a finished item never waits behind a blocking pull") {
    // The consumer sends item k + 1 only once it has item k: if a thread of
    // the run (the consumer's own, helping) sat in the channel's receive while
    // item k was finished, nothing would ever arrive.
    for (const std::size_t w : {2, 4}) {
        for (const bool ordered : {true, false}) {
            CAPTURE(w);
            CAPTURE(ordered);
            for (int round = 0; round < 20; ++round) {
                rill::channel<int> ch(4);
                REQUIRE(ch.try_send(0));
                auto got = within_a_minute("par_map fed by its own output", [&] {
                    std::vector<int> out;
                    auto slow = [](int x) {
                        std::this_thread::sleep_for(1ms); // another thread finds nothing to do but pull
                        return x * 10;
                    };
                    for (auto&& r : ch.stream() | rill::par_map(slow, {.workers = w, .ordered = ordered})) {
                        out.push_back(r.value());
                        if (out.size() < 10) REQUIRE(ch.send(int(out.size())));
                        else ch.close();
                    }
                    return out;
                });
                REQUIRE(got.size() == 10);
                for (int i = 0; i < 10; ++i) CHECK(got[std::size_t(i)] == i * 10);
            }
        }
    }
}

TEST_CASE("a send blocked on a full channel inside a run's thread returns false when the run stops") {
    rill::channel<int> ch(1); // nobody receives: the second send blocks
    std::atomic<int> refused{0};
    std::atomic<bool> at_second_send{false};
    auto sends = rill::iota(0) | rill::map([&](int i) {
                     if (i == 1) at_second_send = true; // from here the send blocks, or sees the stop at once
                     const bool sent = ch.send(i);
                     if (!sent) ++refused;
                     return sent;
                 });
    // The consumer stops the run only once the producer has reached the second
    // send: a stop before the producer pulled item 1 would refuse no send.
    auto after_second_send = rill::tap([&](const bool&) {
        while (!at_second_send) std::this_thread::yield();
    });
    auto v = within_a_minute("a blocked send under buffer | take(1)", [&] {
        return rill::collect(sends | rill::buffer(2) | after_second_send | rill::take(1));
    });
    REQUIRE(v.size() == 1);
    CHECK(v[0].value() == true);
    CHECK(refused == 1); // the blocked send gave up: its run had stopped
    CHECK(ch.size() == 1);
}

TEST_CASE("a user function on a run's thread sees the run's stop token") {
    auto blocks_until_stopped = [](int x) {
        if (x == 0) return x;
        // Waits for the run to stop, as a function blocked on I/O would with a cancellation hook.
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        cv.wait(lock, rill::run_stop_token(), [] { return false; });
        return -x;
    };
    auto n = within_a_minute("par_map whose f waits for the run's stop", [&] {
        return rill::count(rill::iota(0) | rill::par_map(blocks_until_stopped, {.workers = 2}) | rill::take(1));
    });
    CHECK(n == 1);
    CHECK_FALSE(rill::stop_requested()); // this thread works for no run
}

TEST_CASE("stop_on: a caller stops a run blocked on an open channel from another thread") {
    const std::size_t baseline = baseline_thread_count();
    for (int variant = 0; variant < 4; ++variant) {
        CAPTURE(variant);
        auto ch = open_channel_with(3);
        std::stop_source stop;
        const int expected = variant == 2 ? 4 : 3; // merge adds the item of its second side
        std::latch seen_all(expected);
        // Counted where the consumer receives them: items still inside a
        // look-ahead operator when the stop comes are dropped, as on any early stop.
        auto seen = rill::tap([&](int) { seen_all.count_down(); });
        std::jthread stopper([&] {
            seen_all.wait(); // every item is through: the consumer is about to wait on the empty channel
            stop.request_stop();
        });
        std::vector<rill::result<int>> v;
        if (variant == 0) {
            v = within_a_minute("stop_on over a channel",
                                [&] { return rill::collect(ch.stream() | seen | rill::stop_on(stop.get_token())); });
        } else if (variant == 1) {
            v = within_a_minute("stop_on over buffer over a channel", [&] {
                return rill::collect(ch.stream() | rill::buffer(4) | seen | rill::stop_on(stop.get_token()));
            });
        } else if (variant == 2) {
            v = within_a_minute("stop_on over merge of a channel", [&] {
                return rill::collect(rill::merge(ch.stream(), rill::of(7)) | seen | rill::stop_on(stop.get_token()));
            });
        } else {
            v = within_a_minute("stop_on over par_map over a channel, pulled with next()", [&] {
                std::vector<rill::result<int>> out;
                auto c = (ch.stream() | rill::par_map([](int x) { return x; }, {.workers = 2}) | seen |
                          rill::stop_on(stop.get_token()))
                             .open();
                while (auto r = c.next()) out.push_back(std::move(*r));
                return out;
            });
        }
        REQUIRE(!v.empty());
        CHECK(is_stopped(v.back())); // a stopped run says so: it is not mistaken for a complete one
        CHECK(v.size() == std::size_t(expected) + 1); // every item the consumer was given, then the Err
    }
    CHECK(settled_thread_count(baseline) == baseline);
}

TEST_CASE("stop_on wakes the sleeps of retry, retrying and throttle on the real clock") {
    const rill::retry_policy hour_backoff{.max_attempts = 5, .backoff = rill::backoff::constant(1h)};
    auto request_when = [](std::stop_source& s, std::atomic<int>& calls, int n) {
        return std::jthread([&s, &calls, n] {
            while (calls.load() < n) std::this_thread::yield();
            std::this_thread::sleep_for(10ms); // the run is in (or about to enter) its sleep
            s.request_stop();
        });
    };
    SUBCASE("retry: the backoff between attempts") {
        std::stop_source stop;
        std::atomic<int> attempts{0};
        auto failing = rill::generate([&]() -> rill::generator<int> {
            ++attempts;
            co_yield rill::err("flaky", "down");
        });
        auto stopper = request_when(stop, attempts, 1);
        auto r = within_a_minute("retry sleeping an hour", [&] {
            return rill::try_collect(failing | rill::retry(hour_backoff) | rill::stop_on(stop.get_token()));
        });
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == "stopped");
        CHECK(attempts == 1);
    }
    SUBCASE("retrying: the backoff between calls") {
        std::stop_source stop;
        std::atomic<int> calls{0};
        auto fetch = rill::retrying(hour_backoff, [&](int) -> rill::result<int> {
            ++calls;
            return rill::err("flaky", "down");
        });
        auto stopper = request_when(stop, calls, 1);
        auto v = within_a_minute("retrying sleeping an hour", [&] {
            return rill::collect(rill::of(1, 2) | rill::try_map(fetch) | rill::stop_on(stop.get_token()));
        });
        REQUIRE(v.size() == 2);
        CHECK(v[0].error().code == "flaky"); // the attempt's Err, as it was when the run stopped
        CHECK(is_stopped(v[1]));
        CHECK(calls == 1);
    }
    SUBCASE("throttle: the wait for a token") {
        std::stop_source stop;
        std::atomic<int> passed{0};
        auto stopper = request_when(stop, passed, 1);
        auto v = within_a_minute("throttle at one item an hour", [&] {
            return rill::collect(rill::iota(0) | rill::throttle(1.0 / 3600) | rill::tap([&](int) { ++passed; }) |
                                 rill::stop_on(stop.get_token()));
        });
        REQUIRE(v.size() == 3); // 0 at once; 1 after the interrupted sleep, in hand when the stop came; then the end
        CHECK(v[0].value() == 0);
        CHECK(v[1].value() == 1);
        CHECK(is_stopped(v[2]));
    }
}

TEST_CASE("stop_on: a resource upstream is released once when the run is stopped from outside") {
    std::stop_source stop;
    std::atomic<int> acquired{0}, released{0};
    std::atomic<rill::exit_case> how{rill::exit_case::completed};
    auto ch = open_channel_with(2);
    auto s = rill::using_resource([&] { return ++acquired; },
                                  [&](int&, rill::exit_case c) {
                                      how = c;
                                      ++released;
                                  },
                                  [&](int&) { return ch.stream(); });
    std::atomic<int> seen{0};
    std::jthread stopper([&] {
        while (seen.load() < 2) std::this_thread::yield();
        stop.request_stop();
    });
    auto v = within_a_minute("using_resource over an open channel under buffer", [&] {
        return rill::collect(s | rill::tap([&](int) { ++seen; }) | rill::buffer(8) | rill::stop_on(stop.get_token()));
    });
    CHECK(is_stopped(v.back()));
    CHECK(acquired == 1);
    CHECK(released == 1);
    CHECK(how == rill::exit_case::stopped_early);
}
