/// \file
/// `async::timeout(d[, clock])`: an Err item `"timeout"` when upstream does
/// not produce the next item within `d` of a pull; the late item is not lost.
#pragma once

#include <rill/async/channel.hpp> // detail::wait_in
#include <rill/async/core.hpp>
#include <rill/async/time/sleep.hpp>

#include <asio/redirect_error.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

struct timeout_stage : no_checks {
    template <class T, class D, class Clock>
    using value = T;

    template <class C, class D, class Clock>
    class cursor {
    public:
        using value_type = typename C::value_type;

    private:
        using timer = timer_for<Clock>;

        // What the pull in flight shares with the cursor: the pull may outlive
        // a cursor destroyed without close(), so it owns the upstream run.
        struct shared {
            explicit shared(C c) : up{std::move(c)} {}
            upstream<C> up;
            item<value_type> out{};
            std::exception_ptr error{};
            bool running = false;    // a pull of upstream is in flight
            bool done = false;       // it returned: `out` / `error` hold its outcome
            timer* waiting = nullptr; // the consumer's deadline, cancelled to wake it early
            waiter_list closing{};   // close() waiting for the pull to end
            asio::cancellation_signal cancel{};
        };

        static asio::awaitable<void> pull(std::shared_ptr<shared> sh) {
            auto r = co_await sh->up.c.next();
            sh->out = std::move(r);
        }

        // Clears the consumer's deadline also when the frame of next() is destroyed.
        struct unset {
            shared& sh;
            ~unset() { sh.waiting = nullptr; }
        };

    public:
        cursor(C up, D d, Clock) : sh_(std::make_shared<shared>(std::move(up))), d_(d) {}
        cursor(cursor&&) = default;
        cursor& operator=(cursor&&) = delete;

        ~cursor() {
            if (sh_ && sh_->running) { // not closed: the pull is cancelled and ends on its own
                sh_->cancel.emit(asio::cancellation_type::terminal);
                count_unclosed();
            }
        }

        asio::awaitable<item<value_type>> next() {
            if (ended_) co_return std::nullopt;
            shared& sh = *sh_;
            if (!sh.running && !sh.done) { // else the pull that timed out is still pending: wait for it again
                auto ex = co_await asio::this_coro::executor;
                sh.running = true;
                auto on_end = [sh = sh_](std::exception_ptr e) {
                    sh->error = e;
                    sh->done = true;
                    sh->running = false;
                    if (sh->waiting) sh->waiting->cancel();
                    notify_all(sh->closing);
                };
                asio::co_spawn(ex, pull(sh_), asio::bind_cancellation_slot(sh.cancel.slot(), on_end));
            }
            if (!sh.done) {
                timer deadline(co_await asio::this_coro::executor);
                deadline.expires_after(std::chrono::duration_cast<typename timer::duration>(d_));
                sh.waiting = &deadline;
                const unset guard{sh};
                std::error_code ec;
                co_await deadline.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                if (!sh.done) {
                    // The deadline was cancelled, but not by the pull: the consumer was.
                    if (ec == asio::error::operation_aborted) throw std::system_error(ec, "rill::async::timeout");
                    err_info e{"timeout", "timeout: no item within the limit"};
                    e.at("timeout", index_++);
                    co_return fail<value_type>(std::move(e));
                }
            }
            sh.done = false;
            item<value_type> r = std::move(sh.out);
            sh.out.reset();
            if (std::exception_ptr ep = std::exchange(sh.error, nullptr)) {
                ended_ = true;
                std::rethrow_exception(ep);
            }
            if (!r) {
                ended_ = true;
                co_await sh.up.close(exit_case::completed); // released before the consumer sees the end
                co_return r;
            }
            ++index_;
            co_return r;
        }

        /// Cancels a pull in flight, awaits its end, then closes upstream.
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            if (closed_) co_return;
            closed_ = true;
            ended_ = true;
            shared& sh = *sh_;
            if (sh.running) sh.cancel.emit(asio::cancellation_type::terminal);
            while (sh.running) {
                try {
                    co_await wait_in(sh.closing);
                } catch (...) { // close() does not throw; the pull ends all the same
                }
            }
            co_await sh.up.close(how);
        }

    private:
        std::shared_ptr<shared> sh_;
        D d_;
        std::size_t index_ = 0; // positions handed out, timeouts included
        bool ended_ = false;
        bool closed_ = false;
    };
};

struct timeout_fn {
    template <class S, class Rep, class Period, timer_clock Clock = std::chrono::steady_clock>
        requires any_stream<S>
    auto operator()(S&& s, std::chrono::duration<Rep, Period> d, Clock clock = {}) const {
        return stage_fn<timeout_stage>{}(std::forward<S>(s), checked(d), clock);
    }
    template <class Rep, class Period, timer_clock Clock = std::chrono::steady_clock>
    auto operator()(std::chrono::duration<Rep, Period> d, Clock clock = {}) const {
        return make_closure<timeout_fn>(checked(d), clock);
    }

private:
    template <class Rep, class Period>
    static std::chrono::nanoseconds checked(std::chrono::duration<Rep, Period> d) {
        if (d < d.zero()) throw std::invalid_argument("rill::async::timeout: the duration must not be negative");
        return std::chrono::duration_cast<std::chrono::nanoseconds>(d);
    }
};

} // namespace detail

/// Yields `Err{"timeout", ...}` in place of an item that upstream does not
/// produce within `d` of a pull (measured on `clock`: `std::chrono::steady_clock`
/// by default, `async::testing::virtual_clock` in tests):
/// `s | async::timeout(100ms)`. As the sync `rill::timeout`: the pull that
/// timed out is not cancelled but stays pending, and its item, when it comes,
/// is the next item (nothing is dropped); the Err is stamped with op
/// `timeout` and its position. Each pull of upstream runs in a coroutine of
/// its own on the run's executor; closing the run cancels a pull in flight
/// (asio cancellation) and awaits its end before closing upstream. An
/// exception from upstream is rethrown by `next()`. Throws
/// `std::invalid_argument` for a negative `d`.
inline constexpr detail::timeout_fn timeout{};

} // namespace rill::async
