/// \file
/// The clocks of rill's async time operators (`timeout`, `retry`, `retrying`,
/// `throttle`) and `async::sleep_for` / `async::sleep_until` on them: an asio
/// timer of the clock, awaited, so a sleep never blocks the thread.
///
/// Every time operator takes its clock as its last argument, a value of an
/// empty clock type: `std::chrono::steady_clock` by default (asio's
/// `steady_timer`), `async::testing::virtual_clock` in tests (virtual time,
/// see `<rill/async/testing/virtual_time.hpp>`). A clock type names the timer
/// it waits with as `asio_timer`; otherwise it is `asio::basic_waitable_timer<Clock>`.
#pragma once

#include <rill/async/core.hpp>

#include <asio/basic_waitable_timer.hpp>

#include <chrono>
#include <concepts>

namespace rill::async {
namespace detail {

template <class Clock>
struct timer_of {
    using type = asio::basic_waitable_timer<Clock>;
};
template <class Clock>
    requires requires { typename Clock::asio_timer; }
struct timer_of<Clock> {
    using type = typename Clock::asio_timer;
};

} // namespace detail

/// The asio timer a clock's sleeps wait with: `Clock::asio_timer` when the
/// clock names one, `asio::basic_waitable_timer<Clock>` otherwise.
template <class Clock>
using timer_for = typename detail::timer_of<Clock>::type;

/// A clock rill's async time operators accept: an empty, copyable type with a
/// static `now()`, whose timer (`timer_for<Clock>`) is made from an executor.
template <class Clock>
concept timer_clock = std::default_initializable<Clock> && std::copyable<Clock> && requires {
    typename Clock::duration;
    typename Clock::time_point;
    { Clock::now() } -> std::same_as<typename Clock::time_point>;
} && std::constructible_from<timer_for<Clock>, const asio::any_io_executor&>;

/// Waits until `t` on `Clock`'s timer, on the awaiting coroutine's executor:
/// `co_await async::sleep_until(t)`. A cancellation of the awaiting coroutine
/// cancels the timer: the sleep ends at once with `operation_aborted`.
template <timer_clock Clock = std::chrono::steady_clock>
asio::awaitable<void> sleep_until(typename Clock::time_point t, Clock = {}) {
    timer_for<Clock> timer(co_await asio::this_coro::executor);
    timer.expires_at(t);
    co_await timer.async_wait(asio::use_awaitable);
}

/// Waits `d` on `Clock`'s timer: `co_await async::sleep_for(50ms)`, or
/// `co_await async::sleep_for(50ms, clock)` with a clock value (in virtual
/// time in tests). Cancellable as `sleep_until`.
template <class Rep, class Period, timer_clock Clock = std::chrono::steady_clock>
asio::awaitable<void> sleep_for(std::chrono::duration<Rep, Period> d, Clock = {}) {
    timer_for<Clock> timer(co_await asio::this_coro::executor);
    timer.expires_after(std::chrono::duration_cast<typename Clock::duration>(d));
    co_await timer.async_wait(asio::use_awaitable);
}

} // namespace rill::async
