/// \file
/// `async::generate<T>(body)`: a coroutine body that may `co_await` anything
/// asio offers between items and hands items out with `co_await out(x)`.
///
///     auto ticks = async::generate<int>([](async::yielder<int>& out) -> asio::awaitable<void> {
///         for (int i = 0; i < 3; ++i)
///             if (!co_await out(i)) co_return; // false: the run was closed early
///     });
///
/// Each run calls a fresh copy of `body` (kept at a stable address for the
/// run), started on the first `next()`, on the awaiting coroutine's executor.
/// The body stays parked inside `co_await out(x)` until the consumer pulls
/// again. When the run is closed while the body is parked, `out(x)` returns
/// false there and `close()` waits for the body to return: its cleanup, which
/// may `co_await`, runs before `close()` returns. A body that yields again
/// after that gets the exception `generator_stopped` (which ends it quietly).
///
/// When the run is closed while the body is busy (the consumer's `next()` was
/// cancelled), the body is cancelled at the operation it awaits (asio's
/// `operation_aborted`; call `co_await asio::this_coro::reset_cancellation_state()`
/// in the body before awaiting cleanup), and `close()` waits for it to return.
/// An exception that escapes the body is rethrown by the consumer's `next()`;
/// one thrown during the cleanup after a close is dropped (`close()` never throws).
///
/// A cursor destroyed without `close()` cancels the body where it waits; the
/// body then unwinds later on its executor, and `unclosed_releases()` counts it.
///
/// g++ 12: yield an error through a function call or a named local,
/// `co_await out(rill::err("E", "m"))`, never a braced temporary (see docs/13-async.md).
#pragma once

#include <rill/async/core.hpp>
#include <rill/async/detail/parking.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <system_error>
#include <type_traits>
#include <utility>

namespace rill::async {

/// Thrown by `yielder::operator()` when the body yields again after its run
/// was closed; the body's runner catches it and ends the body quietly.
struct generator_stopped : std::exception {
    /// The reason, for a handler that sees it.
    const char* what() const noexcept override { return "rill::async::generate: the run was closed"; }
};

namespace detail {

/// What the consumer and the body of one run of `generate` share. The body
/// and the consumer take turns: the consumer's pull resumes the parked body
/// inline (`parking::wake_now`), and the body's next yield leaves the item in
/// `slot` and parks again, so an item that the body yields without awaiting
/// anything else crosses over without a trip through the event loop.
template <class T>
struct generator_state {
    parking body;     // the body, parked in `out(x)` until the next pull or the close
    parking consumer; // the consumer, parked in next() or close() while the body is busy
    item<T> slot{};   // the item the body yielded, until the consumer takes it
    bool more = true; // what a woken body's `out(x)` returns: pulled again, or closed
    asio::cancellation_signal cancel;
    std::exception_ptr error{}; // escaped the body: rethrown by next()
    bool stopping = false;      // the body must not hand out more items
    bool finished = false;      // the runner has returned
};

} // namespace detail

/// What a `generate` body hands its items to: `co_await out(x)` with a `T`, a
/// `result<T>` or `rill::err(...)`. It returns true when the consumer pulled
/// again, false when the run was closed (then return, after any cleanup).
template <class T>
class yielder {
public:
    /// Built by the run; not copyable.
    explicit yielder(detail::generator_state<T>& st) : st_(st) {}
    yielder(const yielder&) = delete;
    yielder& operator=(const yielder&) = delete;

    /// Hands out one item and waits until the consumer pulls again (true) or closes the run (false).
    template <class U>
        requires std::is_constructible_v<result<T>, U&&>
    asio::awaitable<bool> operator()(U&& value) {
        if (st_.stopping) throw generator_stopped{};
        st_.slot.emplace(std::forward<U>(value));
        // A consumer that had to wait (this body awaited something) is resumed from the queue.
        if (st_.consumer.parked()) st_.consumer.wake_later();
        co_await st_.body.wait();
        if (!st_.more) st_.stopping = true;
        co_return st_.more;
    }

private:
    detail::generator_state<T>& st_;
};

namespace detail {

template <class T, class Body>
struct generator_run : generator_state<T> {
    explicit generator_run(Body b) : body_fn(std::move(b)), out(*this) {}
    Body body_fn; // the run's copy, at a stable address: a lambda's captures stay valid
    yielder<T> out;
};

template <class T, class Body>
asio::awaitable<void> run_generator(std::shared_ptr<generator_run<T, Body>> st) {
    std::exception_ptr ep;
    try {
        co_await st->body_fn(st->out);
    } catch (const generator_stopped&) {
    } catch (...) {
        ep = std::current_exception();
    }
    if (!st->stopping) st->error = ep; // the consumer is still pulling: next() rethrows it
    st->finished = true;
    if (st->consumer.parked()) st->consumer.wake_later();
}

} // namespace detail

/// The replayable stream made by `generate<T>(body)`.
template <class T, class Body>
class generate_stream {
public:
    /// The type of the items' values.
    using value_type = T;

    /// Holds the description.
    explicit generate_stream(Body b) : body_(std::move(b)) {}

    /// A run: starts the body on the first `next()`.
    class cursor {
        using run = detail::generator_run<T, Body>;

    public:
        /// The type of the items' values.
        using value_type = T;

        /// Takes the run's copy of the body.
        explicit cursor(Body b) : body_(std::in_place, std::move(b)) {}
        /// Moves a run that has not started.
        cursor(cursor&&) = default;
        cursor& operator=(cursor&&) = delete;

        ~cursor() {
            if (st_ && !closed_ && !st_->finished) {
                // The body is cancelled where it waits (at its yield, or at what it awaits).
                st_->stopping = true;
                st_->cancel.emit(asio::cancellation_type::terminal);
                detail::count_unclosed();
            }
        }

        /// Resumes the body until it hands out its next item or returns.
        asio::awaitable<item<T>> next() {
            if (closed_ || ended_) co_return std::nullopt;
            if (!st_) {
                auto ex = co_await asio::this_coro::executor;
                st_ = std::make_shared<run>(std::move(*body_));
                body_.reset();
                asio::co_spawn(ex, detail::run_generator<T, Body>(st_),
                               asio::bind_cancellation_slot(st_->cancel.slot(), asio::detached));
            } else if (!st_->slot && st_->body.parked()) {
                st_->more = true;
                st_->body.wake_now(); // runs the body up to its next yield or its next real await
            }
            while (!st_->slot && !st_->finished) co_await st_->consumer.wait();
            if (!st_->slot) {
                ended_ = true;
                if (st_->error) std::rethrow_exception(std::exchange(st_->error, nullptr));
                co_return std::nullopt;
            }
            item<T> it = std::move(st_->slot);
            st_->slot.reset();
            const std::size_t index = index_++;
            if (!it->has_value()) [[unlikely]]
                rill::detail::stamp(*it, "generate", index);
            co_return it;
        }

        /// Stops the body (see the header) and waits until it has returned.
        asio::awaitable<void> close(exit_case = exit_case::stopped_early) {
            if (closed_) co_return;
            closed_ = true;
            if (!st_ || st_->finished) co_return;
            st_->slot.reset();
            if (st_->body.parked()) {
                st_->more = false;
                st_->body.wake_now(); // out(x) returns false: the body's cleanup runs now
            } else {
                st_->stopping = true; // busy: cancelled at the operation it awaits
                st_->cancel.emit(asio::cancellation_type::terminal);
            }
            try {
                while (!st_->finished) co_await st_->consumer.wait();
            } catch (...) {
            }
        }

    private:
        std::optional<Body> body_;
        std::shared_ptr<run> st_{};
        std::size_t index_ = 0;
        bool ended_ = false;
        bool closed_ = false;
    };

    /// Opens a run over a copy of the body.
    cursor open() const& { return cursor(body_); }
    /// Opens a run that takes the body.
    cursor open() && { return cursor(std::move(body_)); }

private:
    Body body_;
};

/// A replayable async stream whose every run calls a copy of
/// `body(yielder<T>& out) -> asio::awaitable<void>`.
template <class T, class Body>
auto generate(Body body) {
    static_assert(std::is_invocable_v<Body&, yielder<T>&>,
                  "rill::async::generate: the body must be callable as body(rill::async::yielder<T>& out).");
    if constexpr (std::is_invocable_v<Body&, yielder<T>&>)
        static_assert(std::is_same_v<std::invoke_result_t<Body&, yielder<T>&>, asio::awaitable<void>>,
                      "rill::async::generate: the body must return asio::awaitable<void>.");
    return generate_stream<T, std::decay_t<Body>>(std::move(body));
}

} // namespace rill::async
