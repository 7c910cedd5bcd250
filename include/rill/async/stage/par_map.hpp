/// \file
/// `async::par_map(f, opts)`: `f` on up to `opts.concurrency` Ok items at once,
/// each call its own coroutine on the run's executor, in input order or in
/// order of completion.
#pragma once

#include <rill/async/channel.hpp> // the consumer's wait
#include <rill/async/core.hpp>

#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace rill::async {

/// Options of `async::par_map`, for designated initialisers: `{.concurrency = 8, .ordered = false}`.
struct par_options {
    /// Calls of `f` at once, at most (and items pulled ahead of the consumer); at least 1.
    std::size_t concurrency = 4;
    /// True: items come out in input order (a slow item holds back the ones after
    /// it); false: in order of completion.
    bool ordered = true;
};

namespace detail {

struct par_map_stage {
    template <class T, class F, class O>
    using value = std::remove_cvref_t<call_t<F, T&&>>;

    template <class T, class F, class O>
    static constexpr void check() {
        static_assert(invocable<F, T&&>,
                      "rill::async::par_map: the function cannot be called with the stream's item type (it is "
                      "called with each Ok value as an rvalue T).");
        if constexpr (invocable<F, T&&>)
            static_assert(!std::is_void_v<call_t<F, T&&>>, "rill::async::par_map: the function returns void.");
        static_assert(std::is_same_v<O, par_options>, "rill::async::par_map: the options are a par_options.");
    }

    template <class C, class F, class O>
    class cursor {
        using in = typename C::value_type;

    public:
        using value_type = value<in, F, O>;

    private:
        // One item of the window: a call of `f` in flight, or its outcome.
        struct slot {
            item<value_type> out{};
            std::exception_ptr error{};
            bool done = false;
            asio::cancellation_signal cancel{};
        };
        // What the calls share with the cursor: they may outlive a cursor
        // destroyed without close().
        struct shared {
            explicit shared(F fn) : f(std::move(fn)) {}
            F f;
            std::size_t running = 0;
            waiter_list consumer{}; // the consumer waiting for a call to end
        };

        static asio::awaitable<void> call(std::shared_ptr<shared> sh, in x, std::shared_ptr<slot> sl) {
            if constexpr (returns_awaitable<F, in&&>) {
                value_type v = co_await std::invoke(sh->f, std::move(x));
                sl->out = ok<value_type>(std::move(v));
            } else {
                sl->out = ok<value_type>(std::invoke(sh->f, std::move(x)));
            }
        }

    public:
        template <class G>
        cursor(C up, G&& f, par_options o)
            : up_{std::move(up)}, sh_(std::make_shared<shared>(F(std::forward<G>(f)))), opts_(o) {}
        cursor(cursor&&) = default;
        cursor& operator=(cursor&&) = delete;

        ~cursor() {
            if (sh_ && sh_->running > 0) { // not closed: the calls are cancelled and end on their own
                for (auto& sl : window_)
                    if (!sl->done) sl->cancel.emit(asio::cancellation_type::terminal);
                count_unclosed();
            }
        }

        asio::awaitable<item<value_type>> next() {
            for (;;) {
                while (!up_ended_ && window_.size() < opts_.concurrency) co_await pull();
                if (window_.empty()) co_return std::nullopt;
                auto ready = window_.begin();
                if (!opts_.ordered) {
                    while (ready != window_.end() && !(*ready)->done) ++ready;
                }
                if (ready != window_.end() && (*ready)->done) {
                    std::shared_ptr<slot> sl = std::move(*ready);
                    window_.erase(ready);
                    if (sl->error) std::rethrow_exception(sl->error);
                    co_return std::move(sl->out);
                }
                co_await wait_in(sh_->consumer);
            }
        }

        /// Cancels the calls in flight, awaits their end, then closes upstream.
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            if (closed_) co_return;
            closed_ = true;
            for (auto& sl : window_)
                if (!sl->done) sl->cancel.emit(asio::cancellation_type::terminal);
            while (sh_->running > 0) {
                try {
                    co_await wait_in(sh_->consumer);
                } catch (...) { // close() does not throw; the calls end all the same
                }
            }
            window_.clear();
            co_await up_.close(how);
        }

    private:
        // Pulls one item into the window: an Err takes its place done, an Ok
        // item starts a call of `f`.
        asio::awaitable<void> pull() {
            auto r = co_await up_.c.next();
            if (!r) {
                up_ended_ = true;
                co_return;
            }
            auto sl = std::make_shared<slot>();
            window_.push_back(sl);
            if (!r->has_value()) {
                sl->out = fail<value_type>(std::move(r->error()));
                sl->done = true;
                co_return;
            }
            auto ex = co_await asio::this_coro::executor;
            ++sh_->running;
            auto on_end = [sh = sh_, sl](std::exception_ptr e) {
                sl->error = e;
                sl->done = true;
                --sh->running;
                notify_one(sh->consumer);
            };
            asio::co_spawn(ex, call(sh_, std::move(**r), sl), asio::bind_cancellation_slot(sl->cancel.slot(), on_end));
        }

        upstream<C> up_;
        std::shared_ptr<shared> sh_;
        par_options opts_;
        std::deque<std::shared_ptr<slot>> window_{}; // in pull order
        bool up_ended_ = false;
        bool closed_ = false;
    };
};

struct par_map_fn {
    template <class S, class F>
        requires any_stream<S>
    auto operator()(S&& s, F f, par_options o = {}) const {
        if (o.concurrency == 0) throw std::invalid_argument("rill::async::par_map: opts.concurrency must be at least 1");
        return stage_fn<par_map_stage>{}(std::forward<S>(s), std::move(f), o);
    }
    template <class F>
        requires(!any_stream<F>)
    auto operator()(F f, par_options o = {}) const {
        if (o.concurrency == 0) throw std::invalid_argument("rill::async::par_map: opts.concurrency must be at least 1");
        return make_closure<par_map_fn>(std::move(f), o);
    }
};

} // namespace detail

/// Applies `f` (`T -> asio::awaitable<U>`, or plain `T -> U`, which gains
/// nothing) to up to `opts.concurrency` Ok items at once, each call a coroutine
/// spawned on the run's executor: `s | async::par_map(fetch, {.concurrency = 8})`.
/// Err items keep their place and `f` is not called for them. Look-ahead: at
/// most `opts.concurrency` items are pulled and not yet returned. An exception
/// from `f` is rethrown by `next()` (at its position when ordered); closing
/// the run cancels the calls in flight and awaits their end.
inline constexpr detail::par_map_fn par_map{};

} // namespace rill::async
