/// \file
/// `async::merge(a, b, ...)`: runs the streams concurrently, one coroutine
/// each on the run's executor, and gives their items in the order they arrive.
#pragma once

#include <rill/async/channel.hpp> // waiter_list, wait_in, notify_one
#include <rill/async/core.hpp>
#include <rill/async/detail/task.hpp>

#include <array>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace rill::async {

/// The items of all the streams, as they arrive (made by `async::merge`).
///
/// * Each stream (a side) runs in its own coroutine, spawned on the run's
///   executor by the first `next()`. A side that has an item parks until the
///   consumer has taken it: the run holds at most one item per side, and once
///   the consumer has called `next()` k times, the sides have been asked for at
///   most k + N items (N sides).
/// * Items of one side keep their relative order; Err items are items, passed
///   unchanged (their provenance is the side's).
/// * A side's run is closed (`completed`) as soon as it ends; the merged run
///   ends when every side has ended.
/// * An exception from a side closes that side (`failed`) and reaches the
///   consumer in arrival order, once, after every other side has been
///   cancelled, awaited and closed (`failed`).
/// * `close()` cancels every side's coroutine where it waits (for its item or
///   for the consumer), awaits them all, then closes every side still open,
///   each exactly once, with the exit case it was given. A side interrupted
///   in the middle of a pull has had a cancellation go through it, so a
///   `using_resource` inside it has already released with `failed`.
template <class... S>
class merge_stream {
public:
    /// The type of the items' values (the same for every stream).
    using value_type = value_t<std::tuple_element_t<0, std::tuple<S...>>>;

    /// Holds the descriptions; made by `async::merge`, not directly.
    template <class... A>
    explicit merge_stream(std::in_place_t, A&&... a) : parts_(std::forward<A>(a)...) {}

    /// A run: one coroutine per side, started by the first `next()`.
    template <class... C>
    class cursor {
        static constexpr std::size_t n = sizeof...(C);

    public:
        /// The type of the items' values.
        using value_type = merge_stream::value_type;

    private:
        struct side {
            item<value_type> held{};  // handed out, waiting for the consumer
            std::exception_ptr error{}; // escaped the side's next()
            detail::waiter_list taken{};
            detail::task pump{};
        };
        // What the sides' coroutines share with the cursor: they may outlive a
        // cursor destroyed without close().
        struct state {
            explicit state(C&&... c) : ups(detail::upstream<C>{std::move(c)}...) {}
            std::tuple<detail::upstream<C>...> ups;
            std::array<side, n> sides{};
            std::deque<std::size_t> ready{}; // sides with an item (or an exception), in arrival order
            detail::waiter_list consumer{};
            std::size_t live = n; // sides not yet ended
            bool closing = false;
        };

    public:
        /// Takes the sides' runs (not yet pulled).
        explicit cursor(C... c) : st_(std::make_shared<state>(std::move(c)...)) {}
        /// Moves a run.
        cursor(cursor&&) = default;
        cursor& operator=(cursor&&) = delete;

        /// Not closed: the sides' coroutines are cancelled and end on their own
        /// later, on the run's executor; the sides' runs are destroyed with them.
        ~cursor() {
            if (!st_ || closed_ || !started_) return;
            st_->closing = true;
            bool pending = false;
            for (auto& sd : st_->sides) {
                if (!sd.pump.running) continue;
                pending = true;
                sd.pump.cancel();
            }
            if (pending) detail::count_unclosed();
        }

        /// The next item to arrive from any side; empty once every side has ended.
        asio::awaitable<item<value_type>> next() {
            if (done_) co_return std::nullopt;
            if (!started_) {
                started_ = true;
                auto ex = co_await asio::this_coro::executor;
                start(ex, std::index_sequence_for<C...>{});
            }
            for (;;) {
                if (!st_->ready.empty()) {
                    const std::size_t i = st_->ready.front();
                    st_->ready.pop_front();
                    side& sd = st_->sides[i];
                    if (sd.error) {
                        std::exception_ptr ep = std::exchange(sd.error, nullptr);
                        done_ = closed_ = true;
                        RILL_ASYNC_SHIELDED(co_await shutdown(exit_case::failed));
                        std::rethrow_exception(ep);
                    }
                    item<value_type> out = std::move(sd.held);
                    sd.held.reset();
                    detail::notify_one(sd.taken);
                    co_return out;
                }
                if (st_->live == 0) {
                    done_ = true;
                    co_return std::nullopt;
                }
                co_await detail::wait_in(st_->consumer);
            }
        }

        /// Cancels the sides' coroutines, awaits their end, then closes each
        /// side still open. Idempotent; never throws.
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            if (closed_ || !st_) co_return;
            done_ = closed_ = true;
            RILL_ASYNC_SHIELDED(co_await shutdown(how));
        }

    private:
        template <std::size_t... I>
        void start(const asio::any_io_executor& ex, std::index_sequence<I...>) {
            (st_->sides[I].pump.spawn(ex, pump<I>(st_), st_), ...);
        }

        // Side I: pulls, hands the item out, parks until it is taken. At its
        // end (or on its exception) it closes its own run; when the merged run
        // is being closed it leaves that to shutdown().
        template <std::size_t I>
        static asio::awaitable<void> pump(std::shared_ptr<state> st) {
            side& sd = st->sides[I];
            auto& up = std::get<I>(st->ups);
            if (st->closing) co_return;
            sd.pump.cancellable = true;
            std::exception_ptr ep;
            try {
                for (;;) {
                    auto r = co_await up.c.next();
                    if (!r) break;
                    sd.held = std::move(r);
                    st->ready.push_back(I);
                    detail::notify_one(st->consumer);
                    while (sd.held) co_await detail::wait_in(sd.taken);
                }
            } catch (...) {
                ep = std::current_exception(); // also the cancellation by shutdown(): dropped below
            }
            sd.pump.cancellable = false;
            if (st->closing) co_return;
            co_await up.close(ep ? exit_case::failed : exit_case::completed);
            if (ep) {
                sd.error = ep;
                st->ready.push_back(I);
            }
            --st->live;
            detail::notify_one(st->consumer);
        }

        asio::awaitable<void> shutdown(exit_case how) {
            st_->closing = true;
            for (auto& sd : st_->sides) sd.pump.cancel();
            for (auto& sd : st_->sides) co_await sd.pump.join();
            co_await close_from<0>(how);
            st_->ready.clear();
            for (auto& sd : st_->sides) sd.held.reset();
        }

        template <std::size_t I>
        asio::awaitable<void> close_from(exit_case how) {
            co_await std::get<I>(st_->ups).close(how); // a no-op for a side that closed itself
            if constexpr (I + 1 < n) co_await close_from<I + 1>(how);
        }

        std::shared_ptr<state> st_;
        bool started_ = false;
        bool done_ = false;
        bool closed_ = false;
    };

    /// Opens a run over copies of the descriptions.
    auto open() const& {
        return std::apply([](const auto&... p) { return cursor<cursor_t<const S&>...>(p.open()...); }, parts_);
    }
    /// Opens a run that takes the descriptions.
    auto open() && {
        return std::apply([](auto&... p) { return cursor<cursor_t<S&&>...>(std::move(p).open()...); }, parts_);
    }

private:
    std::tuple<S...> parts_;
};

namespace detail {

struct merge_fn {
    template <class... S>
    auto operator()(S&&... s) const {
        static_assert(sizeof...(S) >= 1, "rill::async::merge: give it at least one stream.");
        static_assert((any_stream<S> && ...),
                      "rill::async::merge: every argument must be an async rill stream (wrap a sync stream "
                      "with async::from).");
        if constexpr (sizeof...(S) >= 1 && (any_stream<S> && ...)) {
            using T = value_t<std::tuple_element_t<0, std::tuple<S...>>>;
            static_assert((std::is_same_v<value_t<S>, T> && ...),
                          "rill::async::merge: every stream must have the same item type.");
            return merge_stream<std::remove_cvref_t<S>...>(std::in_place, std::forward<S>(s)...);
        }
    }
};

struct merge_with_fn {
    template <class... S>
        requires(sizeof...(S) >= 1 && (any_stream<S> && ...))
    auto operator()(S&&... s) const {
        return make_closure<merge_fn>(std::forward<S>(s)...);
    }
};

} // namespace detail

/// The items of all the streams, run concurrently on the run's executor and
/// interleaved as they arrive: `async::merge(a, b, c)`. See `merge_stream`.
inline constexpr detail::merge_fn merge{};

/// The pipe form of `merge`: `a | async::merge_with(b, c)` is `async::merge(a, b, c)`.
inline constexpr detail::merge_with_fn merge_with{};

} // namespace rill::async
