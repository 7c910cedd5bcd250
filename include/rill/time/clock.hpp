/// \file
/// The clock every time-based operator takes (retry backoff, timeouts,
/// throttle, error budgets), so that tests can replace real time with
/// `rill::testing::manual_clock`.
#pragma once

#include <chrono>
#include <concepts>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

namespace rill {

/// A source of time for rill's time-based operators.
///
/// A clock is a cheap copyable handle (copies share one time line) with
/// - `now()`: the current time point;
/// - `sleep_until(t)`: returns once `now() >= t`; a clock may also offer
///   `bool sleep_until(t, std::stop_token)`, which returns false early when the
///   token is requested: rill's operators then sleep that way, so that a sleep
///   ends when its run stops (`real_clock` does; a manual clock's sleeps are
///   virtual and never block);
/// - `wait_until(lock, cv, t, pred)`: like `std::condition_variable::wait_until`
///   with a predicate: returns `pred()` once `pred()` holds or `now() >= t`,
///   waking when `cv` is notified *or when the clock reaches `t`*. `lock` must
///   hold the mutex that guards `pred` and that notifiers of `cv` lock.
template <class C>
concept clock = std::copy_constructible<C> && requires(const C& c, typename C::time_point t,
                                                       std::unique_lock<std::mutex>& lock,
                                                       std::condition_variable& cv, bool (*pred)()) {
    typename C::duration;
    typename C::time_point;
    { c.now() } -> std::same_as<typename C::time_point>;
    c.sleep_until(t);
    { c.wait_until(lock, cv, t, pred) } -> std::same_as<bool>;
};

/// Real time: `std::chrono::steady_clock`. The default clock of every operator.
struct real_clock {
    /// The clock's duration type.
    using duration = std::chrono::steady_clock::duration;
    /// The clock's time point type.
    using time_point = std::chrono::steady_clock::time_point;

    /// The current time of `std::chrono::steady_clock`.
    time_point now() const noexcept { return std::chrono::steady_clock::now(); }

    /// Blocks the calling thread until `t`.
    void sleep_until(time_point t) const { std::this_thread::sleep_until(t); }

    /// Blocks the calling thread until `t` or until `stop` is requested: true
    /// if it slept until `t`. rill's operators sleep this way, so that a sleep
    /// ends when its run stops (see rill/run_stop.hpp).
    bool sleep_until(time_point t, std::stop_token stop) const {
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lock(m);
        cv.wait_until(lock, stop, t, [] { return false; });
        return !stop.stop_requested();
    }

    /// `cv.wait_until(lock, t, pred)`.
    template <class Pred>
    bool wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, time_point t, Pred pred) const {
        return cv.wait_until(lock, t, std::move(pred));
    }
};

static_assert(clock<real_clock>);

} // namespace rill
