/// \file
/// `rill::retry_policy`: when and how often to try again, as a plain value
/// shared by the three retry scopes (`retrying`, `retry`, `paginate`).
#pragma once

#include <rill/result.hpp>
#include <rill/time/backoff.hpp>
#include <rill/time/clock.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rill {

/// When to try again after an Err, and how long to wait first. A plain aggregate:
///
///     rill::retry_policy{.max_attempts = 5,
///                        .backoff = rill::backoff::exponential(10ms, 1s),
///                        .retry_if = rill::retry_on({"timeout"})}
///
/// The defaults: 3 attempts, exponential backoff 100ms, 200ms, ... capped at
/// 10s, no jitter, no time limit, every Err retried.
struct retry_policy {
    std::size_t max_attempts = 3;  ///< attempts in all, the first included (at least 1)
    rill::backoff backoff{};       ///< the delay before each retry
    /// The time from the start of the first attempt after which no retry
    /// starts: a retry whose backoff would end later is not made.
    std::chrono::nanoseconds max_elapsed = std::chrono::nanoseconds::max();
    /// Which Errs are worth another attempt; empty = every Err.
    std::function<bool(const err_info&)> retry_if{};

    /// Throws `std::invalid_argument` naming `who` when a field is out of range.
    void validate(const char* who) const {
        if (max_attempts == 0)
            throw std::invalid_argument(std::string(who) + ": retry_policy.max_attempts must be at least 1");
        if (max_elapsed < std::chrono::nanoseconds::zero())
            throw std::invalid_argument(std::string(who) + ": retry_policy.max_elapsed must not be negative");
        backoff.validate(who);
    }

    /// Whether `e` is worth another attempt (ignoring the attempt and time limits).
    bool retryable(const err_info& e) const { return !retry_if || retry_if(e); }
};

/// A `retry_if` predicate: retry only Errs whose code is one of `codes`.
inline std::function<bool(const err_info&)> retry_on(std::initializer_list<std::string> codes) {
    return [codes = std::vector<std::string>(codes)](const err_info& e) {
        for (const auto& c : codes)
            if (e.code == c) return true;
        return false;
    };
}

namespace detail {

/// The bookkeeping of one retry sequence (one item for `retrying`, one run for
/// `retry`): how many attempts were made and when the first one started.
template <class Clock>
class retry_state {
public:
    retry_state(const Clock& clock, std::uint64_t stream) : start_(clock.now()), stream_(stream) {}

    /// After a failed attempt whose Err matched the policy: the time the next
    /// attempt may start, or nothing when the attempts or the time are used up.
    std::optional<typename Clock::time_point> next_attempt(const retry_policy& p, const Clock& clock) const {
        if (attempts_ >= p.max_attempts) return std::nullopt;
        const std::chrono::nanoseconds delay = p.backoff.delay(attempts_, stream_);
        const auto now = clock.now();
        if (delay > p.max_elapsed - std::chrono::duration_cast<std::chrono::nanoseconds>(now - start_)) return std::nullopt;
        return now + std::chrono::duration_cast<typename Clock::duration>(delay);
    }

    /// Counts the attempt about to start.
    void count_attempt() { ++attempts_; }

    /// Attempts made so far, the current one included.
    std::size_t attempts() const { return attempts_; }

private:
    typename Clock::time_point start_;
    std::uint64_t stream_;
    std::size_t attempts_ = 1;
};

/// The Err a retry scope gives up with: the last attempt's Err, its code and
/// trace kept, its message followed by " (after N attempts)" when N > 1.
inline void gave_up(err_info& e, std::size_t attempts) {
    if (attempts > 1) e.message += " (after " + std::to_string(attempts) + " attempts)";
}

} // namespace detail
} // namespace rill
