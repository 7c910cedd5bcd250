/// \file
/// `async::throttle(rate, burst[, clock])`: a token bucket on items, waiting
/// on an asio timer.
#pragma once

#include <rill/async/core.hpp>
#include <rill/async/time/sleep.hpp>

#include <chrono>
#include <cmath>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

/// The arguments of a throttle, checked once when it is built.
template <class Clock>
struct throttle_spec {
    using clock = Clock;
    std::chrono::nanoseconds interval; // one token every `interval`
    std::size_t burst;

    throttle_spec(double rate, std::size_t b) : interval(0), burst(b) {
        if (!(rate > 0.0) || !std::isfinite(rate))
            throw std::invalid_argument("rill::async::throttle: the rate must be a positive number of items per second");
        if (burst == 0) throw std::invalid_argument("rill::async::throttle: the burst must be at least 1");
        const double ns = 1e9 / rate;
        if (ns < 1.0)
            throw std::invalid_argument("rill::async::throttle: the rate must be at most 1e9 items per second");
        interval = std::chrono::nanoseconds(static_cast<std::chrono::nanoseconds::rep>(std::llround(ns)));
    }
};

struct throttle_stage : no_checks {
    template <class T, class Spec>
    using value = T;

    template <class C, class Spec>
    class cursor {
        using Clock = typename Spec::clock;
        using time_point = typename Clock::time_point;
        using duration = typename Clock::duration;

    public:
        using value_type = typename C::value_type;

        cursor(C up, Spec spec) : up_{std::move(up)}, spec_(spec) {}

        asio::awaitable<item<value_type>> next() {
            auto r = co_await up_.c.next();
            if (r) co_await take_token();
            co_return r;
        }

        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        // GCRA, the token bucket's exact equivalent (as the sync throttle):
        // `tat_` is when the bucket would be full again; an item may leave once
        // `tat_ - now` is within burst - 1 intervals. Full at the first item.
        asio::awaitable<void> take_token() {
            const auto step = std::chrono::duration_cast<duration>(spec_.interval);
            const auto tolerance = step * static_cast<typename duration::rep>(spec_.burst - 1);
            auto now = Clock::now();
            if (!tat_) tat_ = now;
            if (*tat_ - tolerance > now) {
                const time_point wake = *tat_ - tolerance;
                const Clock clock{}; // g++ 12: no braced temporary in a co_await expression
                co_await sleep_until(wake, clock);
                now = Clock::now();
            }
            tat_ = (*tat_ > now ? *tat_ : now) + step;
        }

        upstream<C> up_;
        Spec spec_;
        std::optional<time_point> tat_{};
    };
};

struct throttle_fn {
    template <class S, timer_clock Clock = std::chrono::steady_clock>
        requires any_stream<S>
    auto operator()(S&& s, double rate, std::size_t burst = 1, Clock = {}) const {
        return stage_fn<throttle_stage>{}(std::forward<S>(s), throttle_spec<Clock>(rate, burst));
    }
    template <timer_clock Clock = std::chrono::steady_clock>
    auto operator()(double rate, std::size_t burst = 1, Clock clock = {}) const {
        (void)throttle_spec<Clock>(rate, burst); // bad arguments throw here, not at the pipe
        return make_closure<throttle_fn>(rate, burst, clock);
    }
};

} // namespace detail

/// Limits the rate at which items leave: a token bucket of `burst` tokens
/// (full at the start of a run) refilled with `rate` tokens per second, timed
/// on `clock` (`std::chrono::steady_clock` by default,
/// `async::testing::virtual_clock` in tests): `s | async::throttle(10, 3)`.
/// As the sync `rill::throttle`: every item, Ok or Err, takes a token; when
/// none is left, `next()` waits on an asio timer (never blocking the thread)
/// after pulling the item and before handing it on, so a stage after it is
/// called at most `rate` times per second and the end of the stream is never
/// delayed. A cancellation during the wait ends it at once (`operation_aborted`).
/// Throws `std::invalid_argument` for a rate that is not positive and finite or a burst of 0.
inline constexpr detail::throttle_fn throttle{};

} // namespace rill::async
