/// \file
/// The stop token of the run a thread is working for, and the blocking waits
/// that wake when it is requested.
///
/// Every thread a run starts (`buffer`'s producer, `merge`'s sides,
/// `par_map`'s workers, `timeout`'s helper) works under its own stop token,
/// which the run requests when its cursor is destroyed; a thread that consumes
/// a stream under `rill::stop_on(token)` works under that token during each
/// pull. Every blocking wait inside rill (a channel's `send` and `receive`,
/// the hand-overs of the concurrent operators, the sleeps of `retry`,
/// `retrying` and `throttle` on `real_clock`) wakes when the token of the
/// thread that waits is requested: a channel's receive then ends its stream, a
/// send returns false, a sleep returns early. So no thread of a run can stay
/// blocked after the run has stopped.
#pragma once

#include <rill/detail/stop_slot.hpp>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <stop_token>
#include <utility>

namespace rill {
namespace detail {

inline const std::stop_token no_stop_token{};

/// The calling thread's run stop token (one that can never be requested when there is none).
inline const std::stop_token& ambient_stop() noexcept {
    const void* t = current_stop_slot.token;
    return t ? *static_cast<const std::stop_token*>(t) : no_stop_token;
}

/// Makes `t` the calling thread's run stop token until the scope ends; `t`
/// must outlive the scope.
class stop_scope {
public:
    explicit stop_scope(const std::stop_token& t) noexcept : prev_(current_stop_slot) {
        current_stop_slot = stop_slot{&t, &requested};
    }
    stop_scope(const stop_scope&) = delete;
    stop_scope& operator=(const stop_scope&) = delete;
    ~stop_scope() { current_stop_slot = prev_; }

private:
    static bool requested(const void* t) noexcept { return static_cast<const std::stop_token*>(t)->stop_requested(); }
    stop_slot prev_;
};

/// Calls `wait()` (a wait on `cv` under `lock`, whose predicate must include
/// `token.stop_requested()`) with a callback registered that wakes `cv` when
/// the token is requested. The callback takes the mutex before it notifies, so
/// a waiter between its predicate check and its sleep cannot miss it; so it is
/// registered and removed with the mutex released (a callback that runs at
/// once, or one running on another thread while the callback is removed,
/// would otherwise deadlock on it). `lock` is held again on return, but was
/// released in between: callers re-check their condition.
template <class Wait>
void wait_with_stop(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, const std::stop_token& token,
                    Wait wait) {
    struct waker {
        std::mutex* m;
        std::condition_variable* cv;
        void operator()() noexcept {
            { std::lock_guard g(*m); }
            cv->notify_all();
        }
    };
    std::optional<std::stop_callback<waker>> cb;
    lock.unlock();
    cb.emplace(token, waker{lock.mutex(), &cv});
    lock.lock();
    wait();
    lock.unlock();
    cb.reset();
    lock.lock();
}

/// `cv.wait(lock, ready)`, except that it also returns when the calling
/// thread's run is stopped: true if `ready()` holds on return, false if the
/// run was stopped first. Costs nothing more when no stop is possible.
template <class Ready>
bool wait_unless_stopped(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Ready ready) {
    if (ready()) return true;
    const std::stop_token token = ambient_stop();
    if (!token.stop_possible()) {
        cv.wait(lock, ready);
        return true;
    }
    while (!ready()) {
        if (token.stop_requested()) return false;
        wait_with_stop(lock, cv, token, [&] { cv.wait(lock, [&] { return ready() || token.stop_requested(); }); });
    }
    return true;
}

/// `clk.wait_until(lock, cv, t, ready)` that also returns when the calling
/// thread's run is stopped; returns `ready()` (false: timed out or stopped;
/// `stop_requested()` tells which).
template <class Clock, class Ready>
bool wait_until_unless_stopped(const Clock& clk, std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                               typename Clock::time_point t, Ready ready) {
    const std::stop_token token = ambient_stop();
    if (!token.stop_possible()) return clk.wait_until(lock, cv, t, ready);
    if (ready()) return true;
    if (token.stop_requested()) return false;
    wait_with_stop(lock, cv, token,
                   [&] { clk.wait_until(lock, cv, t, [&] { return ready() || token.stop_requested(); }); });
    return ready();
}

/// Sleeps until `t` on `clk`, waking early if the calling thread's run is
/// stopped: true if it slept the whole way. A clock that can wait on a token
/// (`sleep_until(t, std::stop_token)`, as `real_clock` does) is given the
/// run's token; any other clock sleeps as it does (a manual clock's sleep is
/// virtual and never blocks).
template <class Clock>
bool sleep_until_unless_stopped(const Clock& clk, typename Clock::time_point t) {
    const std::stop_token& token = ambient_stop();
    if constexpr (requires { { clk.sleep_until(t, token) } -> std::same_as<bool>; }) {
        if (token.stop_possible()) return clk.sleep_until(t, token);
    }
    clk.sleep_until(t);
    return !token.stop_requested();
}

} // namespace detail

/// The stop token of the run the calling thread works for: the token given to
/// `rill::stop_on` while a thread pulls through it, or the token of a thread
/// that a run started (`buffer`, `merge`, `par_map`, `timeout`). A user
/// function that blocks or loops for long (a generator's body, `f` of
/// `par_map`) can poll it or register a `std::stop_callback` on it to stop
/// when its run does. Without either, a token that can never be requested.
inline std::stop_token run_stop_token() noexcept { return detail::ambient_stop(); }

/// Whether the run the calling thread works for has been asked to stop (see `run_stop_token`).
inline bool stop_requested() noexcept { return detail::ambient_stop().stop_requested(); }

} // namespace rill
