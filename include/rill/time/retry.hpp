/// \file
/// `s | retry(policy[, clock])`: re-runs a replayable stream from scratch when
/// a run yields an Err the policy retries; the whole-run retry scope.
#pragma once

#include <rill/concepts.hpp>
#include <rill/detail/stream_base.hpp>
#include <rill/pipe.hpp>
#include <rill/run_stop.hpp>
#include <rill/time/clock.hpp>
#include <rill/time/retry_policy.hpp>

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {

/// The stream `s | retry(policy, clock)` builds. See `rill::retry`.
template <class S, class Clock>
class retry_stream : public stream_base<retry_stream<S, Clock>> {
public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = value_t<S>;

    /// Built by `rill::retry` (tagged, so that it never competes with the copy constructor).
    template <class U>
    retry_stream(std::in_place_t, U&& s, retry_policy p, Clock c)
        : s_(std::forward<U>(s)), policy_(std::move(p)), clock_(std::move(c)) {}

    /// The run: one attempt (a run of the upstream stream) at a time.
    class cursor {
    public:
        /// The type of the items' values (a run gives `result<value_type>` items).
        using value_type = retry_stream::value_type;

        /// Starts the run's state; called by `start`.
        cursor(S s, retry_policy p, Clock c)
            : s_(std::move(s)), policy_(std::move(p)), clock_(std::move(c)), state_(clock_, 0) {
            run_.emplace(std::as_const(s_).open());
        }

        /// The next item of the run, or `std::nullopt` at its end.
        std::optional<result<value_type>> next() {
            while (run_) {
                auto r = run_->next();
                if (!r) {
                    run_.reset(); // release the last attempt's resources at its end
                    return r;
                }
                const std::size_t at = pos_++;
                if (!r->has_value() && !gave_up_ && policy_.retryable(r->error())) [[unlikely]] {
                    if (restart()) continue;
                    gave_up_ = true;
                    detail::gave_up(r->error(), state_.attempts());
                    if (at < delivered_) return r; // the prefix did not replay: still say why we stopped
                }
                if (at < delivered_) continue; // delivered by an earlier attempt
                ++delivered_;
                return r;
            }
            return std::nullopt;
        }

        /// The push protocol: hands the remaining items to `sink` until it stops (see `detail::drain`).
        template <class K>
        bool drain(K& sink) {
            struct adapter {
                cursor& self;
                K& down;
                bool retry = false;     // stopped upstream to start a new attempt
                bool down_stopped = false;
                bool ok(value_type&& x) {
                    if (self.pos_++ < self.delivered_) return true;
                    ++self.delivered_;
                    return !(down_stopped = !down.ok(std::move(x)));
                }
                bool err(err_info&& e) {
                    const std::size_t at = self.pos_++;
                    if (!self.gave_up_ && self.policy_.retryable(e)) [[unlikely]] {
                        if (self.can_retry()) {
                            retry = true;
                            return false;
                        }
                        self.gave_up_ = true;
                        detail::gave_up(e, self.state_.attempts());
                        if (at < self.delivered_) return !(down_stopped = !down.err(std::move(e)));
                    }
                    if (at < self.delivered_) return true;
                    ++self.delivered_;
                    return !(down_stopped = !down.err(std::move(e)));
                }
            };
            while (run_) {
                adapter a{*this, sink};
                const bool ended = detail::drain(*run_, a);
                if (a.retry) {
                    start_next_attempt();
                    continue;
                }
                if (ended) run_.reset();
                return !a.down_stopped;
            }
            return true;
        }

    private:
        // Whether the policy allows another attempt; remembers when it may start.
        bool can_retry() {
            wake_ = state_.next_attempt(policy_, clock_);
            return wake_.has_value();
        }
        // The failed attempt's resources go before the backoff sleep.
        void start_next_attempt() {
            run_.reset();
            // A run stopped during the backoff ends here (no new attempt).
            if (!detail::sleep_until_unless_stopped(clock_, *wake_)) return;
            state_.count_attempt();
            pos_ = 0;
            run_.emplace(std::as_const(s_).open());
        }
        bool restart() {
            if (!can_retry()) return false;
            start_next_attempt();
            return true;
        }

        S s_;
        retry_policy policy_;
        Clock clock_;
        detail::retry_state<Clock> state_;
        std::optional<cursor_t<const S&>> run_;
        std::optional<typename Clock::time_point> wake_;
        std::size_t pos_ = 0;       // position in the current attempt
        std::size_t delivered_ = 0; // positions handed to the consumer
        bool gave_up_ = false;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static cursor start(Self&& self) {
        return cursor(detail::fwd_like<Self>(self.s_), detail::fwd_like<Self>(self.policy_),
                      detail::fwd_like<Self>(self.clock_));
    }

private:
    S s_;
    retry_policy policy_;
    Clock clock_;
};

/// `retry(s, policy[, clock])` and `s | retry(policy[, clock])`.
struct retry_fn {
    /// The call form: `op(s, ...)`.
    template <class S, clock Clock = real_clock>
        requires any_stream<S>
    auto operator()(S&& s, retry_policy policy, Clock clk = {}) const {
        static_assert(replayable_stream<S>,
                      "rill::retry: the stream must be replayable (a retry runs it again from scratch); a one-shot "
                      "stream (a channel, an input-only range) cannot be retried. Retry its items with "
                      "try_map(rill::retrying(policy, f)) instead.");
        if constexpr (replayable_stream<S>) {
            policy.validate("rill::retry");
            return retry_stream<std::remove_cvref_t<S>, Clock>(std::in_place, std::forward<S>(s), std::move(policy),
                                                               std::move(clk));
        }
    }
    /// The pipe form: `s | op(...)`.
    template <clock Clock = real_clock>
    auto operator()(retry_policy policy, Clock clk = {}) const {
        policy.validate("rill::retry");
        return detail::make_closure<retry_fn>(std::move(policy), std::move(clk));
    }
};

/// Runs the stream, and when a run yields an Err that `policy` retries, ends
/// that run (releasing what it acquired), sleeps the backoff on the clock and
/// runs the stream again from scratch, up to `policy.max_attempts` runs.
///
/// The consumer sees each position once: a new attempt skips as many items as
/// were already delivered (by position, Ok and Err alike: the stream must replay
/// the same prefix), and the Err that caused a retry is never delivered. When
/// the policy gives up, that Err is delivered, with " (after N attempts)"
/// appended to its message when N > 1, and the last attempt goes on to its end
/// with no further retry. Errs the predicate does not retry pass as items.
/// A one-shot stream does not compile.
inline constexpr retry_fn retry{};

} // namespace rill
