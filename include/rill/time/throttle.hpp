/// \file
/// `throttle(rate, burst[, clock])`: a token bucket on items.
#pragma once

#include <rill/detail/stage.hpp>
#include <rill/run_stop.hpp>
#include <rill/time/clock.hpp>

#include <chrono>
#include <cmath>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

/// The arguments of a throttle, checked once when it is built.
template <class Clock>
struct throttle_spec {
    std::chrono::nanoseconds interval; // one token every `interval`
    std::size_t burst;
    Clock clock;

    throttle_spec(double rate, std::size_t b, Clock c) : interval(0), burst(b), clock(std::move(c)) {
        if (!(rate > 0.0) || !std::isfinite(rate))
            throw std::invalid_argument("rill::throttle: the rate must be a positive number of items per second");
        if (burst == 0) throw std::invalid_argument("rill::throttle: the burst must be at least 1");
        const double ns = 1e9 / rate;
        if (ns < 1.0) throw std::invalid_argument("rill::throttle: the rate must be at most 1e9 items per second");
        interval = std::chrono::nanoseconds(static_cast<std::chrono::nanoseconds::rep>(std::llround(ns)));
    }
};

struct throttle_stage {
    template <class T, class Spec>
    using value = T;

    template <class C, class Spec>
    class cursor {
    public:
        using value_type = typename C::value_type;
        using time_point = decltype(std::declval<const Spec&>().clock.now());

        template <class G>
        cursor(C up, G&& spec) : up_(std::move(up)), spec_(std::forward<G>(spec)) {}

        std::optional<result<value_type>> next() {
            auto r = up_.next();
            if (r) take_token();
            return r;
        }

        template <class K>
        bool drain(K& sink) {
            struct adapter {
                cursor& self;
                K& down;
                bool ok(value_type&& x) {
                    self.take_token();
                    return down.ok(std::move(x));
                }
                bool err(err_info&& e) {
                    self.take_token();
                    return down.err(std::move(e));
                }
            } a{*this, sink};
            return detail::drain(up_, a);
        }

    private:
        // GCRA, the token bucket's exact equivalent: `tat_` is when the bucket
        // would be full again; an item may leave once `tat_ - now` is within
        // burst - 1 intervals. The bucket starts full at the first item.
        void take_token() {
            const auto step = std::chrono::duration_cast<typename time_point::duration>(spec_.interval);
            const auto tolerance = step * static_cast<typename time_point::rep>(spec_.burst - 1);
            auto now = spec_.clock.now();
            if (!tat_) tat_ = now;
            if (*tat_ - tolerance > now) {
                // A run stopped during the sleep: the item goes on at once, and
                // the consumer's next pull sees the stop.
                sleep_until_unless_stopped(spec_.clock, *tat_ - tolerance);
                now = spec_.clock.now();
            }
            tat_ = (*tat_ > now ? *tat_ : now) + step;
        }

        C up_;
        Spec spec_;
        std::optional<time_point> tat_;
    };
};

} // namespace detail

/// `throttle(s, rate, burst[, clock])` and `s | throttle(rate, burst[, clock])`.
struct throttle_fn {
    /// The call form: `op(s, ...)`.
    template <class S, clock Clock = real_clock>
        requires any_stream<S>
    auto operator()(S&& s, double rate, std::size_t burst = 1, Clock clk = {}) const {
        using spec = detail::throttle_spec<Clock>;
        return detail::stage_stream<detail::throttle_stage, std::remove_cvref_t<S>, spec>(
            std::in_place, std::forward<S>(s), spec(rate, burst, std::move(clk)));
    }
    /// The pipe form: `s | op(...)`.
    template <clock Clock = real_clock>
    auto operator()(double rate, std::size_t burst = 1, Clock clk = {}) const {
        (void)detail::throttle_spec<Clock>(rate, burst, clk); // bad arguments throw here, not at the pipe
        return detail::make_closure<throttle_fn>(rate, burst, std::move(clk));
    }
};

/// Limits the rate at which items leave: a token bucket of `burst` tokens (full
/// at the start of a run) refilled with `rate` tokens per second. Every item,
/// Ok or Err, takes a token; when none is left, the run sleeps on the clock
/// until one comes, after pulling the item and before handing it on (so a
/// stage after `throttle` is called at most `rate` times per second, and the
/// end of the stream is never delayed).
/// Throws `std::invalid_argument` for a rate that is not positive and finite or a burst of 0.
inline constexpr throttle_fn throttle{};

} // namespace rill
