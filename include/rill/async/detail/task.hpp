/// \file
/// A coroutine that a run spawns on its executor (a side of `merge`, the
/// prefetcher of `buffer`) and whose end the run's `close()` awaits: no
/// coroutine a run starts outlives it.
#pragma once

#include <rill/async/channel.hpp> // waiter_list, wait_in, notify_all
#include <rill/async/core.hpp>

#include <exception>
#include <memory>
#include <utility>

namespace rill::async::detail {

/// One spawned coroutine of a run, kept in the run's shared state (which the
/// coroutine's completion handler keeps alive until the coroutine has ended).
///
/// The body marks the part of itself that `cancel()` may interrupt
/// (`cancellable`): the waits for upstream and for the consumer, never its own
/// close of upstream, which must run to its end.
struct task {
    asio::cancellation_signal signal{};
    waiter_list joiners{};
    bool running = false;     // spawned, and its completion handler has not run yet
    bool cancellable = false; // set by the body around what cancel() may interrupt

    /// Spawns `body` on `ex`; `owner` (the state this task lives in) stays alive until it has ended.
    template <class Owner>
    void spawn(const asio::any_io_executor& ex, asio::awaitable<void> body, std::shared_ptr<Owner> owner) {
        running = true;
        // The bodies catch what they throw; what arrives here is a cancellation
        // that stopped a body before it started, which has nothing to report.
        auto on_end = [this, keep = std::move(owner)](std::exception_ptr) {
            running = false;
            notify_all(joiners);
        };
        asio::co_spawn(ex, std::move(body), asio::bind_cancellation_slot(signal.slot(), std::move(on_end)));
    }

    /// Interrupts the body where it waits (asio's `operation_aborted` there), if it may be.
    void cancel() {
        if (running && cancellable) signal.emit(asio::cancellation_type::terminal);
    }

    /// Waits until the coroutine has ended; never throws (a cancellation of the
    /// awaiting coroutine does not cut the wait short: the task would outlive it).
    asio::awaitable<void> join() {
        const bool throwing = co_await asio::this_coro::throw_if_cancelled();
        co_await asio::this_coro::throw_if_cancelled(false);
        while (running) {
            try {
                co_await wait_in(joiners);
            } catch (...) { // cancelled: wait again
            }
        }
        co_await asio::this_coro::throw_if_cancelled(throwing);
    }
};

} // namespace rill::async::detail
