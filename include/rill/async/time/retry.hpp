/// \file
/// `s | async::retry(policy[, clock])`: re-runs a replayable async stream from
/// scratch when a run yields an Err the policy retries, sleeping the backoff on
/// an asio timer; the whole-run retry scope.
#pragma once

#include <rill/async/core.hpp>
#include <rill/async/time/sleep.hpp>
#include <rill/time/retry_policy.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill::async {

/// The stream `s | async::retry(policy, clock)` builds. See `async::retry`.
template <class S, class Clock>
class retry_stream {
public:
    /// The type of the items' values.
    using value_type = value_t<S>;

    /// Built by `async::retry`.
    template <class U>
    retry_stream(std::in_place_t, U&& s, retry_policy p, Clock c)
        : s_(std::forward<U>(s)), policy_(std::move(p)), clock_(c) {}

    /// A run: one attempt (a run of the upstream stream) at a time.
    class cursor {
        using attempt = cursor_t<const S&>;

    public:
        /// The type of the items' values.
        using value_type = retry_stream::value_type;

        /// Takes the run's copies of the description and the policy.
        cursor(S s, retry_policy p, Clock c) : s_(std::move(s)), policy_(std::move(p)), clock_(c) {}
        /// Moves a run.
        cursor(cursor&&) = default;
        cursor& operator=(cursor&&) = delete;

        /// The next item: pulls the current attempt; after an Err the policy
        /// retries, closes the attempt, sleeps the backoff and opens the next one.
        asio::awaitable<item<value_type>> next() {
            if (!state_) { // the first attempt starts (and the policy's clock with it) at the first pull
                state_.emplace(clock_, 0);
                run_.emplace(std::as_const(s_).open());
            }
            while (run_) {
                auto r = co_await run_->next();
                if (!r) {
                    co_await close_attempt(exit_case::completed);
                    co_return r;
                }
                const std::size_t at = pos_++;
                if (!r->has_value() && !gave_up_ && policy_.retryable(r->error())) [[unlikely]] {
                    const auto wake = state_->next_attempt(policy_, clock_);
                    if (wake) {
                        co_await close_attempt(exit_case::stopped_early); // released before the sleep
                        co_await sleep_until(*wake, clock_);
                        state_->count_attempt();
                        pos_ = 0;
                        run_.emplace(std::as_const(s_).open());
                        continue;
                    }
                    gave_up_ = true;
                    rill::detail::gave_up(r->error(), state_->attempts());
                    if (at < delivered_) co_return r; // the prefix did not replay: still say why we stopped
                }
                if (at < delivered_) continue; // delivered by an earlier attempt
                ++delivered_;
                co_return r;
            }
            co_return std::nullopt;
        }

        /// Closes the current attempt, if any (idempotent).
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return close_attempt(how); }

    private:
        asio::awaitable<void> close_attempt(exit_case how) {
            if (!run_) co_return;
            co_await detail::close_with(*run_, how);
            run_.reset();
        }

        S s_;
        retry_policy policy_;
        Clock clock_;
        std::optional<rill::detail::retry_state<Clock>> state_{};
        std::optional<attempt> run_{};
        std::size_t pos_ = 0;       // position in the current attempt
        std::size_t delivered_ = 0; // positions handed to the consumer
        bool gave_up_ = false;
    };

    /// Opens a run over a copy of the description.
    cursor open() const& { return cursor(s_, policy_, clock_); }
    /// Opens a run that takes the description.
    cursor open() && { return cursor(std::move(s_), std::move(policy_), clock_); }

private:
    S s_;
    retry_policy policy_;
    Clock clock_;
};

namespace detail {
struct retry_fn {
    template <class S, timer_clock Clock = std::chrono::steady_clock>
        requires any_stream<S>
    auto operator()(S&& s, retry_policy policy, Clock clock = {}) const {
        static_assert(opens<const std::remove_cvref_t<S>&>,
                      "rill::async::retry: the stream must open runs from a const description (a retry runs it "
                      "again from scratch). Retry its items with async::try_map(async::retrying(policy, f)) instead.");
        policy.validate("rill::async::retry");
        return retry_stream<std::remove_cvref_t<S>, Clock>(std::in_place, std::forward<S>(s), std::move(policy),
                                                           clock);
    }
    template <timer_clock Clock = std::chrono::steady_clock>
    auto operator()(retry_policy policy, Clock clock = {}) const {
        policy.validate("rill::async::retry");
        return make_closure<retry_fn>(std::move(policy), clock);
    }
};
} // namespace detail

/// Runs the stream, and when a run yields an Err that `policy` retries, closes
/// that run (awaiting its releases), sleeps the backoff on `clock`'s asio timer
/// (never blocking the thread) and runs the stream again from scratch, up to
/// `policy.max_attempts` runs: `s | async::retry({.max_attempts = 5})`.
///
/// As the sync `rill::retry`: the consumer sees each position once (a new
/// attempt skips as many items as were already delivered, Ok and Err alike),
/// the Err that caused a retry is never delivered, and when the policy gives
/// up, that Err is delivered with " (after N attempts)" appended to its
/// message and the last attempt goes on to its end. Errs the predicate does
/// not retry pass as items; an exception is not retried. Closing the run
/// during a backoff cancels the sleep. Throws `std::invalid_argument` when the
/// policy is out of range.
inline constexpr detail::retry_fn retry{};

} // namespace rill::async
