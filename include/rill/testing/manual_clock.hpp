/// \file
/// `rill::testing::manual_clock`: a clock that moves only when told, so tests of
/// retries, timeouts and rate limits are deterministic and never sleep.
#pragma once

#include <rill/time/clock.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace rill::testing {

/// A clock (see `rill::clock`) whose time starts at 0 and moves only forward:
///
/// - `advance(d)` / `advance_to(t)` move it and wake every timed waiter whose
///   deadline has come;
/// - `sleep_until(t)` is *virtual*: it moves the clock to `t` at once and
///   records the sleep (`sleeps()`), so a single-threaded retry loop with
///   backoff runs instantly and the test can check the schedule;
/// - `wait_until(lock, cv, t, pred)` really blocks until `pred()` or until
///   another thread moves the clock to `t`; `waiters()` / `await_waiters(n)`
///   let a test wait until an operator is blocked before moving time.
///
/// Copies share one time line (the clock is a handle), so a test keeps one
/// copy and gives another to the operator.
class manual_clock {
public:
    /// The clock's duration type.
    using duration = std::chrono::nanoseconds;
    /// The clock's time point type.
    using time_point = std::chrono::time_point<manual_clock, duration>;
    /// For `std::chrono::time_point<manual_clock>`.
    using rep = duration::rep;
    /// For `std::chrono::time_point<manual_clock>`.
    using period = duration::period;
    /// Time moves only when told.
    static constexpr bool is_steady = true;

    manual_clock() : state_(std::make_shared<state>()) {}

    /// The current time (starts at `time_point{}`).
    time_point now() const {
        std::lock_guard g(state_->m);
        return state_->now;
    }

    /// Time since the clock was made.
    duration elapsed() const { return now().time_since_epoch(); }

    /// Moves the clock forward by `d` (a negative `d` does nothing).
    void advance(duration d) const { advance_to(now() + std::max(d, duration::zero())); }

    /// Moves the clock to `t` if `t` is later than now, waking timed waiters.
    void advance_to(time_point t) const {
        std::vector<waiter> to_wake;
        {
            std::lock_guard g(state_->m);
            if (t <= state_->now) return;
            state_->now = t;
            to_wake = state_->waiters;
        }
        state_->changed.notify_all();
        // Lock each waiter's own mutex while notifying, so a waiter between its
        // deadline check and its wait cannot miss the wake-up.
        for (const waiter& w : to_wake) {
            std::lock_guard g(*w.m);
            w.cv->notify_all();
        }
    }

    /// Virtual sleep: moves the clock to `t` at once and records the duration slept.
    void sleep_until(time_point t) const {
        {
            std::lock_guard g(state_->m);
            state_->sleeps.push_back(std::max(t - state_->now, duration::zero()));
        }
        advance_to(t);
    }

    /// Virtual sleep for `d`.
    void sleep_for(duration d) const { sleep_until(now() + d); }

    /// The durations passed to every `sleep_until` / `sleep_for` so far, in order.
    std::vector<duration> sleeps() const {
        std::lock_guard g(state_->m);
        return state_->sleeps;
    }

    /// Blocks until `pred()` or until the clock is moved to `t` (see the class comment).
    template <class Pred>
    bool wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, time_point t, Pred pred) const {
        if (pred()) return true;
        const waiter self{lock.mutex(), &cv};
        {
            std::lock_guard g(state_->m);
            state_->waiters.push_back(self);
        }
        state_->changed.notify_all();
        bool ok = false;
        while (!(ok = pred()) && now() < t) cv.wait(lock);
        {
            std::lock_guard g(state_->m);
            auto& ws = state_->waiters;
            ws.erase(std::find(ws.begin(), ws.end(), self));
        }
        state_->changed.notify_all();
        return ok;
    }

    /// How many threads are blocked in `wait_until` right now.
    std::size_t waiters() const {
        std::lock_guard g(state_->m);
        return state_->waiters.size();
    }

    /// Blocks (in real time) until at least `n` threads are blocked in `wait_until`.
    void await_waiters(std::size_t n) const {
        std::unique_lock lock(state_->m);
        state_->changed.wait(lock, [&] { return state_->waiters.size() >= n; });
    }

private:
    struct waiter {
        std::mutex* m;
        std::condition_variable* cv;
        bool operator==(const waiter&) const = default;
    };
    struct state {
        std::mutex m;
        std::condition_variable changed; // waiters added or removed, time moved
        time_point now{};
        std::vector<duration> sleeps;
        std::vector<waiter> waiters;
    };
    std::shared_ptr<state> state_;
};

static_assert(rill::clock<manual_clock>);

} // namespace rill::testing
