/// \file
/// `async::buffer(n)`: a coroutine pulls upstream ahead of the consumer, into
/// a queue of at most `n` items.
#pragma once

#include <rill/async/channel.hpp> // waiter_list, wait_in, notify_one
#include <rill/async/core.hpp>
#include <rill/async/detail/task.hpp>

#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

struct buffer_stage : no_checks {
    template <class T, class N>
    using value = T;

    template <class C, class N>
    class cursor {
    public:
        using value_type = typename C::value_type;

    private:
        // What the prefetcher shares with the cursor: it may outlive a cursor
        // destroyed without close().
        struct state {
            state(C c, std::size_t cap) : up{std::move(c)}, capacity(cap) {}
            upstream<C> up;
            std::size_t capacity;
            std::deque<result<value_type>> queue{};
            waiter_list consumer{}, producer{};
            std::exception_ptr error{}; // escaped upstream's next(): rethrown after the queued items
            bool ended = false;         // upstream ended (and was closed): the queue is all there is
            bool closing = false;
            task prefetcher{};
        };

        // Pulls only into a free place of the queue: upstream is never asked
        // for more than n items the consumer has not taken.
        static asio::awaitable<void> prefetch(std::shared_ptr<state> st) {
            if (st->closing) co_return;
            st->prefetcher.cancellable = true;
            std::exception_ptr ep;
            try {
                for (;;) {
                    while (st->queue.size() >= st->capacity) co_await wait_in(st->producer);
                    auto r = co_await st->up.c.next();
                    if (!r) break;
                    st->queue.push_back(std::move(*r));
                    notify_one(st->consumer);
                }
            } catch (...) {
                ep = std::current_exception(); // also the cancellation by close(): dropped below
            }
            st->prefetcher.cancellable = false;
            if (st->closing) co_return;
            co_await st->up.close(ep ? exit_case::failed : exit_case::completed);
            st->error = ep;
            st->ended = true;
            notify_one(st->consumer);
        }

    public:
        cursor(C up, std::size_t n) : st_(std::make_shared<state>(std::move(up), n)) {}
        cursor(cursor&&) = default;
        cursor& operator=(cursor&&) = delete;

        ~cursor() {
            if (!st_ || closed_ || !st_->prefetcher.running) return;
            st_->closing = true;
            st_->prefetcher.cancel();
            count_unclosed();
        }

        asio::awaitable<item<value_type>> next() {
            if (done_) co_return std::nullopt;
            if (!started_) {
                started_ = true;
                auto ex = co_await asio::this_coro::executor;
                st_->prefetcher.spawn(ex, prefetch(st_), st_);
            }
            for (;;) {
                if (!st_->queue.empty()) {
                    item<value_type> out(std::in_place, std::move(st_->queue.front()));
                    st_->queue.pop_front();
                    notify_one(st_->producer);
                    co_return out;
                }
                if (st_->ended) {
                    done_ = true;
                    if (st_->error) std::rethrow_exception(std::exchange(st_->error, nullptr));
                    co_return std::nullopt;
                }
                co_await wait_in(st_->consumer);
            }
        }

        /// Cancels the prefetcher, awaits its end, then closes upstream (once).
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            if (closed_ || !st_) co_return;
            done_ = closed_ = true;
            RILL_ASYNC_SHIELDED(co_await shutdown(how));
        }

    private:
        asio::awaitable<void> shutdown(exit_case how) {
            st_->closing = true;
            st_->prefetcher.cancel();
            co_await st_->prefetcher.join();
            co_await st_->up.close(how); // a no-op when the prefetcher closed it at its end
            st_->queue.clear();
        }

        std::shared_ptr<state> st_;
        bool started_ = false;
        bool done_ = false;
        bool closed_ = false;
    };
};

struct buffer_fn {
    template <class S, class N>
        requires any_stream<S>
    auto operator()(S&& s, N n) const {
        return stage_fn<buffer_stage>{}(std::forward<S>(s), capacity(n));
    }
    template <class N>
        requires(!any_stream<N>)
    auto operator()(N n) const {
        return make_closure<buffer_fn>(capacity(n));
    }

private:
    template <class N>
    static std::size_t capacity(N n) {
        static_assert(std::is_integral_v<N>, "rill::async::buffer: the capacity must be an integer.");
        if constexpr (std::is_integral_v<N>) {
            bool positive = n != 0;
            if constexpr (std::is_signed_v<N>) positive = n > 0;
            if (!positive) throw std::invalid_argument("rill::async::buffer: the capacity must be at least 1");
        }
        return static_cast<std::size_t>(n);
    }
};

} // namespace detail

/// Pulls upstream ahead of the consumer, in a coroutine spawned on the run's
/// executor by the first `next()`, into a queue of at most `n` items:
/// `s | async::buffer(8)`. Exact bound: once the consumer has called `next()`
/// k times, upstream has been asked for at most k + n items. Items pass
/// unchanged, Err items included. Upstream is closed (`completed`) as soon as
/// it ends; an exception from upstream closes it (`failed`) and is rethrown by
/// `next()` after the items queued before it. `close()` cancels the
/// prefetcher where it waits, awaits it, then closes upstream (a prefetcher
/// interrupted in the middle of a pull has had a cancellation go through
/// upstream: a `using_resource` there has already released with `failed`).
/// Throws
/// `std::invalid_argument` if `n` is not at least 1.
inline constexpr detail::buffer_fn buffer{};

} // namespace rill::async
