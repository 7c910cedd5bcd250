/// \file
/// `async::retrying(policy, f[, clock])`: retries one call of a fallible,
/// possibly awaitable function, sleeping the backoff on an asio timer; the
/// per-item retry scope, used with `async::try_map` or `async::par_map`.
#pragma once

#include <rill/async/core.hpp>
#include <rill/async/time/sleep.hpp>
#include <rill/result.hpp>
#include <rill/time/retry_policy.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

/// The function `async::retrying` returns: calling it gives an
/// `asio::awaitable<result<U>>` that calls `f` until an Ok, or until the
/// policy gives up, with the same arguments each time.
template <class F, class Clock>
class retrying_function {
public:
    retrying_function(retry_policy p, F f, Clock c) : policy_(std::move(p)), f_(std::move(f)), clock_(c) {}
    // The call counter (which numbers jitter sequences) is copied, not shared:
    // a run's copy starts where its description's does, so runs replay.
    retrying_function(const retrying_function& o)
        : policy_(o.policy_), f_(o.f_), clock_(o.clock_), calls_(o.calls_.load(std::memory_order_relaxed)) {}
    retrying_function(retrying_function&& o) noexcept(std::is_nothrow_move_constructible_v<F>)
        : policy_(std::move(o.policy_)), f_(std::move(o.f_)), clock_(o.clock_),
          calls_(o.calls_.load(std::memory_order_relaxed)) {}

    template <class... A>
    auto operator()(A&&... a) const {
        static_assert(std::is_invocable_v<F&, std::decay_t<A>&...>,
                      "rill::async::retrying: the function cannot be called with these arguments as lvalues. It "
                      "is called once per attempt with the same arguments, so it must take them by value or by "
                      "const reference (not T&&).");
        if constexpr (std::is_invocable_v<F&, std::decay_t<A>&...>) {
            using R = std::remove_cvref_t<call_t<F, std::decay_t<A>&...>>;
            static_assert(is_result_v<R>,
                          "rill::async::retrying: the function must return rill::result<U> or "
                          "asio::awaitable<rill::result<U>>.");
            if constexpr (is_result_v<R>) return attempts<R>(std::decay_t<A>(std::forward<A>(a))...);
        }
    }

private:
    // The arguments live in this frame for all the attempts; `*this` must
    // outlive the awaitable (rill's stages keep their function for the run).
    template <class R, class... A>
    asio::awaitable<R> attempts(A... a) const {
        rill::detail::retry_state<Clock> state(clock_, calls_.fetch_add(1, std::memory_order_relaxed));
        for (;;) {
            std::optional<R> r;
            if constexpr (returns_awaitable<F, A&...>) {
                R got = co_await std::invoke(f_, a...);
                r.emplace(std::move(got));
            } else {
                r.emplace(std::invoke(f_, a...));
            }
            if (r->has_value()) [[likely]]
                co_return std::move(*r);
            if (policy_.retryable(r->error())) {
                const auto when = state.next_attempt(policy_, clock_);
                if (when) {
                    co_await sleep_until(*when, clock_);
                    state.count_attempt();
                    continue;
                }
            }
            rill::detail::gave_up(r->error(), state.attempts());
            co_return std::move(*r);
        }
    }

    retry_policy policy_;
    mutable F f_; // called as an lvalue, as the sync retrying does
    Clock clock_;
    mutable std::atomic<std::uint64_t> calls_{0};
};

} // namespace detail

/// Wraps a fallible `f` (`T -> result<U>` or `T -> asio::awaitable<result<U>>`)
/// into a function returning `asio::awaitable<result<U>>` that, after an Err
/// the policy retries, sleeps the policy's backoff on `clock`'s asio timer
/// (never blocking the thread) and calls `f` again with the same argument, up
/// to `policy.max_attempts` attempts and `policy.max_elapsed`:
/// `s | async::try_map(async::retrying(policy, fetch))`.
///
/// As the sync `rill::retrying`: gives the first Ok, or the last attempt's Err
/// with " (after N attempts)" appended to its message when N > 1; an
/// exception from `f` propagates at once (not retried). A cancellation during
/// a backoff ends the sleep at once (`operation_aborted`). The wrapper must
/// outlive the awaitables it returns (rill's stages keep it for the run).
/// Throws `std::invalid_argument` when the policy is out of range.
template <class F, timer_clock Clock = std::chrono::steady_clock>
auto retrying(retry_policy policy, F f, Clock clock = {}) {
    policy.validate("rill::async::retrying");
    return detail::retrying_function<F, Clock>(std::move(policy), std::move(f), clock);
}

} // namespace rill::async
