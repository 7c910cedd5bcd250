/// \file
/// `retrying(policy, f[, clock])`: retries one call of a fallible function;
/// the per-item retry scope, used with `try_map`.
#pragma once

#include <rill/result.hpp>
#include <rill/run_stop.hpp>
#include <rill/time/clock.hpp>
#include <rill/time/retry_policy.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

/// The function `retrying` returns: calls `f`, and calls it again with the
/// same arguments after an Err the policy retries.
template <class F, class Clock>
class retrying_function {
public:
    retrying_function(retry_policy p, F f, Clock c) : policy_(std::move(p)), f_(std::move(f)), clock_(std::move(c)) {}
    // The call counter (which numbers jitter sequences) is copied, not shared:
    // a run's copy starts where its description's does, so runs replay.
    retrying_function(const retrying_function& o)
        : policy_(o.policy_), f_(o.f_), clock_(o.clock_), calls_(o.calls_.load(std::memory_order_relaxed)) {}
    retrying_function(retrying_function&& o) noexcept(std::is_nothrow_move_constructible_v<F>)
        : policy_(std::move(o.policy_)), f_(std::move(o.f_)), clock_(std::move(o.clock_)),
          calls_(o.calls_.load(std::memory_order_relaxed)) {}

    template <class... A>
    auto operator()(A&&... a) {
        return call(f_, a...);
    }
    template <class... A>
    auto operator()(A&&... a) const {
        return call(f_, a...);
    }

private:
    template <class G, class... A>
    auto call(G& f, A&... a) const {
        static_assert(std::is_invocable_v<G&, A&...>,
                      "rill::retrying: the function cannot be called with these arguments as lvalues. It is called "
                      "once per attempt with the same arguments, so it must take them by value or by const "
                      "reference (not T&&).");
        if constexpr (std::is_invocable_v<G&, A&...>) {
            using R = std::remove_cvref_t<std::invoke_result_t<G&, A&...>>;
            static_assert(is_result_v<R>, "rill::retrying: the function must return rill::result<U>.");
            if constexpr (is_result_v<R>) {
                retry_state<Clock> state(clock_, calls_.fetch_add(1, std::memory_order_relaxed));
                for (;;) {
                    R r = std::invoke(f, a...);
                    if (r.has_value()) [[likely]]
                        return r;
                    if (policy_.retryable(r.error())) {
                        if (auto when = state.next_attempt(policy_, clock_)) {
                            // A run that stops during the backoff gets this Err as it is.
                            if (!sleep_until_unless_stopped(clock_, *when)) return r;
                            state.count_attempt();
                            continue;
                        }
                    }
                    gave_up(r.error(), state.attempts());
                    return r;
                }
            }
        }
    }

    retry_policy policy_;
    F f_;
    Clock clock_;
    mutable std::atomic<std::uint64_t> calls_{0};
};

} // namespace detail

/// Wraps a fallible `f: T -> result<U>` so that an Err the policy retries makes
/// it call `f` again with the same argument, after the policy's backoff (slept
/// on `clk`), up to `policy.max_attempts` attempts and `policy.max_elapsed`.
/// Use it where a fallible function goes: `s | rill::try_map(rill::retrying(policy, fetch))`.
///
/// Gives the first Ok, or the last attempt's Err with its code and trace kept
/// and " (after N attempts)" appended to its message when N > 1 (an Err the
/// predicate does not retry, on the first attempt, passes unchanged). An
/// exception from `f` propagates at once: it is not an Err, so it is not retried.
/// Throws `std::invalid_argument` when the policy is out of range.
template <class F, clock Clock = real_clock>
auto retrying(retry_policy policy, F f, Clock clk = {}) {
    policy.validate("rill::retrying");
    return detail::retrying_function<F, Clock>(std::move(policy), std::move(f), std::move(clk));
}

} // namespace rill
