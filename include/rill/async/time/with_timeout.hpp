/// \file
/// `async::with_timeout(d, f[, clock])`: a time limit on each call of an
/// awaitable function; the per-call timeout, for `async::try_map` and
/// `async::par_map` (the sync layer's `par_options::timeout`).
#pragma once

#include <rill/async/channel.hpp> // detail::wait_in
#include <rill/async/core.hpp>
#include <rill/async/time/sleep.hpp>
#include <rill/result.hpp>

#include <asio/redirect_error.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

/// The function `async::with_timeout` returns: each call runs `f` in a
/// coroutine of its own and gives its outcome, or Err "timeout" once the limit
/// has passed and the call, cancelled, has ended.
template <class F, class Clock>
class with_timeout_function {
    using timer = timer_for<Clock>;

    template <class V>
    struct state {
        std::optional<V> out{};
        std::exception_ptr error{};
        bool done = false;
        timer* waiting = nullptr; // the caller's deadline, cancelled when the call ends
        waiter_list ended{};      // the caller waiting for a cancelled call to end
        asio::cancellation_signal cancel{};
    };

    template <class V>
    struct unset {
        state<V>& st;
        ~unset() { st.waiting = nullptr; }
    };

public:
    with_timeout_function(std::chrono::nanoseconds d, F f) : d_(d), f_(std::move(f)) {}

    template <class... A>
    auto operator()(A&&... a) const {
        static_assert(std::is_invocable_v<F&, std::decay_t<A>&&...>,
                      "rill::async::with_timeout: the function cannot be called with these arguments.");
        if constexpr (std::is_invocable_v<F&, std::decay_t<A>&&...>) {
            using R = std::invoke_result_t<F&, std::decay_t<A>&&...>;
            static_assert(is_awaitable_v<R>,
                          "rill::async::with_timeout: the function must return an asio::awaitable (only an "
                          "awaited call can be cancelled when its time is up).");
            if constexpr (is_awaitable_v<R>) {
                using V = awaited_t<R>;
                static_assert(!std::is_void_v<V>, "rill::async::with_timeout: the function returns awaitable<void>.");
                if constexpr (!std::is_void_v<V>) return call<V>(std::decay_t<A>(std::forward<A>(a))...);
            }
        }
    }

private:
    template <class V, class... A>
    static asio::awaitable<void> attempt(std::shared_ptr<state<V>> st, F& f, A... a) {
        V v = co_await std::invoke(f, std::move(a)...);
        st->out.emplace(std::move(v));
    }

    // `f_` must outlive the awaitable (rill's stages keep their function for
    // the run); the call itself never outlives it: it is awaited on every path.
    template <class V, class... A>
    asio::awaitable<result<unwrap_result_t<V>>> call(A... a) const {
        using U = unwrap_result_t<V>;
        auto st = std::make_shared<state<V>>();
        auto ex = co_await asio::this_coro::executor;
        auto on_end = [st](std::exception_ptr e) {
            st->error = e;
            st->done = true;
            if (st->waiting) st->waiting->cancel();
            notify_all(st->ended);
        };
        asio::co_spawn(ex, attempt<V>(st, f_, std::move(a)...), asio::bind_cancellation_slot(st->cancel.slot(), on_end));
        std::error_code ec;
        {
            timer deadline(ex);
            deadline.expires_after(std::chrono::duration_cast<typename timer::duration>(d_));
            st->waiting = &deadline;
            const unset<V> guard{*st};
            co_await deadline.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        if (!st->done) {
            // Time is up, or the caller was cancelled: cancel the call and await its end.
            const bool cancelled = ec == asio::error::operation_aborted;
            st->cancel.emit(asio::cancellation_type::terminal);
            RILL_ASYNC_SHIELDED(while (!st->done) {
                try {
                    co_await wait_in(st->ended);
                } catch (...) {
                }
            });
            if (cancelled) throw std::system_error(ec, "rill::async::with_timeout");
            co_return rill::err("timeout", "with_timeout: the call did not end within the limit");
        }
        if (st->error) std::rethrow_exception(st->error);
        if constexpr (is_result_v<V>) co_return std::move(*st->out);
        else co_return result<U>(tl::in_place, std::move(*st->out));
    }

    std::chrono::nanoseconds d_;
    mutable F f_; // called as an lvalue
};

} // namespace detail

/// Wraps an awaitable `f` (`T -> asio::awaitable<U>` or
/// `T -> asio::awaitable<result<U>>`) into a function returning
/// `asio::awaitable<result<U>>` whose call gives `Err{"timeout", ...}` when
/// `f` has not returned within `d` (on `clock`'s timer): the call is then
/// cancelled (asio cancellation) and awaited to its end, so it never outlives
/// the result. `s | async::try_map(async::with_timeout(2s, fetch))`, or with
/// `async::par_map` for the sync layer's per-call `par_options::timeout`.
/// An exception from `f` propagates; a cancellation of the caller cancels the
/// call, awaits its end and ends with `operation_aborted`. Combine it with
/// `async::retrying` to retry timeouts. Throws `std::invalid_argument` for a
/// negative `d`.
template <class Rep, class Period, class F, timer_clock Clock = std::chrono::steady_clock>
auto with_timeout(std::chrono::duration<Rep, Period> d, F f, Clock = {}) {
    if (d < d.zero()) throw std::invalid_argument("rill::async::with_timeout: the duration must not be negative");
    return detail::with_timeout_function<F, Clock>(std::chrono::duration_cast<std::chrono::nanoseconds>(d),
                                                   std::move(f));
}

} // namespace rill::async
