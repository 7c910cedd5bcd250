/// \file
/// `async::channel<T>(capacity)`: a bounded, closable queue between coroutines
/// of one event loop, many producers and many consumers; `stream()` reads it
/// as a one-shot async stream. Producers on other threads reach it through
/// the loop's executor (see `channel`).
///
/// Unlike asio's experimental channel, closing keeps what is queued: receivers
/// get every item sent before `close()`, then the end.
#pragma once

#include <rill/async/core.hpp>

#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>

#include <cstddef>
#include <deque>
#include <list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

/// One suspended sender or receiver: a timer that never expires, cancelled to wake it.
struct channel_waiter {
    asio::steady_timer* timer;
    bool notified = false;
};

using waiter_list = std::list<channel_waiter*>;

/// Wakes the first waiter of `ws`, if any.
inline void notify_one(waiter_list& ws) {
    if (ws.empty()) return;
    channel_waiter* w = ws.front();
    ws.pop_front();
    w->notified = true;
    w->timer->cancel();
}

inline void notify_all(waiter_list& ws) {
    while (!ws.empty()) notify_one(ws);
}

/// Suspends until `notify_one(ws)` picks this waiter. A cancellation of the
/// awaiting coroutine throws `operation_aborted`; a wake-up it received and
/// could not use is passed on to the next waiter, so none is lost.
inline asio::awaitable<void> wait_in(waiter_list& ws) {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex, asio::steady_timer::time_point::max());
    channel_waiter w{&timer};
    auto at = ws.insert(ws.end(), &w);
    struct unlist { // also when the frame is destroyed while suspended
        waiter_list& ws;
        waiter_list::iterator at;
        channel_waiter& w;
        ~unlist() {
            if (!w.notified) ws.erase(at);
        }
    } guard{ws, at, w};
    std::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!w.notified) throw std::system_error(asio::error::operation_aborted, "rill::async::channel wait");
}

template <class T>
struct channel_state {
    explicit channel_state(std::size_t cap) : capacity(cap) {}
    std::size_t capacity;
    std::deque<T> queue{};
    waiter_list senders{}, receivers{};
    bool closed = false;
};

} // namespace detail

/// A bounded queue for coroutines of one event loop: `co_await send(v)` waits
/// while the channel is full (backpressure) and gives false once it is closed
/// (then `v` has not been moved from); `co_await receive()` waits while it is
/// empty and gives an empty optional once it is closed and drained.
///
/// A `channel` is a handle: copies share one queue. It is not thread-safe:
/// every call (`send`, `receive`, `try_send`, `close`, `size`, ...) must run on
/// the thread of the event loop whose coroutines use the channel (an
/// `io_context` run by one thread; with several threads, one strand for all of
/// them). A producer on another thread (a `std::thread`, a pool) goes through
/// that loop's executor `ex` for every call, never touching the channel itself:
///
///     // on the producer's thread (asio/use_future.hpp):
///     bool sent = asio::co_spawn(ex, ch.send(v), asio::use_future).get(); // runs on the loop; waits for room
///     asio::post(ex, [ch] { ch.close(); });                                // close, on the loop too
///
/// `ch.send(v)` only creates the coroutine on the producer's thread (it refers
/// to `ch` and `v`, which must stay alive until it is done: `get()` sees to
/// that); it runs on the loop. `get()` blocks the producer while the channel is
/// full: backpressure across threads. Never call `get()` on the loop's own
/// thread (it would wait for itself). See docs/13-async.md, "Producers on other threads".
template <class T>
class channel {
public:
    /// A channel holding at most `capacity` items; `capacity` must be at least 1.
    explicit channel(std::size_t capacity) : st_(make_state(capacity)) {}

    /// Puts `value` in the channel, waiting while it is full. False when the
    /// channel is (or gets) closed before there is room: `value` is untouched then.
    template <class U>
        requires std::is_constructible_v<T, U&&>
    asio::awaitable<bool> send(U&& value) const {
        auto st = st_; // the state outlives the wait, whatever happens to this handle
        for (;;) {
            if (st->closed) co_return false;
            if (st->queue.size() < st->capacity) {
                st->queue.emplace_back(std::forward<U>(value));
                detail::notify_one(st->receivers);
                co_return true;
            }
            co_await waiting(st->senders, st->senders);
        }
    }

    /// Puts `value` in the channel if there is room and it is open; never waits.
    template <class U>
        requires std::is_constructible_v<T, U&&>
    bool try_send(U&& value) const {
        if (st_->closed || st_->queue.size() >= st_->capacity) return false;
        st_->queue.emplace_back(std::forward<U>(value));
        detail::notify_one(st_->receivers);
        return true;
    }

    /// The next item, waiting while the channel is empty and open; empty once
    /// it is closed and drained.
    asio::awaitable<std::optional<T>> receive() const {
        auto st = st_;
        for (;;) {
            if (!st->queue.empty()) {
                std::optional<T> out(std::in_place, std::move(st->queue.front()));
                st->queue.pop_front();
                detail::notify_one(st->senders);
                co_return out;
            }
            if (st->closed) co_return std::nullopt;
            co_await waiting(st->receivers, st->receivers);
        }
    }

    /// Refuses further sends and wakes every waiting sender and receiver; what
    /// is queued can still be received. Idempotent.
    void close() const {
        st_->closed = true;
        detail::notify_all(st_->senders);
        detail::notify_all(st_->receivers);
    }

    /// True once `close()` was called.
    bool closed() const noexcept { return st_->closed; }
    /// The number of items queued.
    std::size_t size() const noexcept { return st_->queue.size(); }
    /// The most items the channel holds.
    std::size_t capacity() const noexcept { return st_->capacity; }

    /// The async stream of the items received from this channel (Ok items); it
    /// ends when the channel is closed and drained. One-shot: a run takes the
    /// items out of the channel, so two runs share them. Closing a run early
    /// leaves the channel open.
    class stream_type {
    public:
        /// The type of the items' values.
        using value_type = T;
        /// Runs take items out of the channel: a second run does not replay the first.
        static constexpr bool one_shot = true;

        /// Reads `ch`.
        explicit stream_type(channel ch) : ch_(std::move(ch)) {}

        /// A run: receives until the channel is closed and drained.
        class cursor {
        public:
            /// The type of the items' values.
            using value_type = T;
            /// Reads `ch`.
            explicit cursor(channel ch) : ch_(std::move(ch)) {}
            /// The next item received.
            asio::awaitable<item<T>> next() {
                std::optional<T> v = co_await ch_.receive();
                if (!v) co_return std::nullopt;
                co_return detail::ok<T>(std::move(*v));
            }
            /// Nothing to release: the channel stays as it is.
            asio::awaitable<void> close(exit_case = exit_case::stopped_early) { co_return; }

        private:
            channel ch_;
        };

        /// Opens a run.
        cursor open() const { return cursor(ch_); }

    private:
        channel ch_;
    };

    /// See `stream_type`.
    stream_type stream() const { return stream_type(*this); }

private:
    using state = detail::channel_state<T>;

    static std::shared_ptr<state> make_state(std::size_t capacity) {
        if (capacity == 0)
            throw std::invalid_argument("rill::async::channel: the capacity must be at least 1");
        return std::make_shared<state>(capacity);
    }

    // Waits in `ws`; a wake-up taken by a waiter that then throws (it was
    // cancelled) goes to the next one in `pass_to`.
    static asio::awaitable<void> waiting(detail::waiter_list& ws, detail::waiter_list& pass_to) {
        try {
            co_await detail::wait_in(ws);
        } catch (...) {
            detail::notify_one(pass_to);
            throw;
        }
    }

    std::shared_ptr<state> st_;
};

} // namespace rill::async
