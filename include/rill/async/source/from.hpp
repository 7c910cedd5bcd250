/// \file
/// `async::from(s)`: a sync rill stream (or a range) as an async stream, and the
/// simple sources made from it: `of`, `pure`, `empty`, `failed`, `iota`.
#pragma once

#include <rill/async/core.hpp>
#include <rill/concepts.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/source/single.hpp>

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill::async {

/// How many items `from` passes before it lets other handlers of the event
/// loop run (a `post` to its executor): a long synchronous stream does not
/// starve timers and sockets.
inline constexpr std::size_t from_yield_every = 256;

/// The async stream over a sync rill stream `S`: each `next()` pulls one item
/// of the sync run, on the awaiting coroutine's thread; `close()` (or the end
/// of the sync run) destroys the sync cursor, which releases what it holds.
template <class S>
class from_stream {
public:
    /// The type of the items' values.
    using value_type = rill::value_t<S>;

    /// Holds the sync description.
    explicit from_stream(S s) : s_(std::move(s)) {}

    /// A run: owns a run of the sync stream.
    template <class C>
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = typename C::value_type;

        /// Takes the sync run (not yet pulled).
        explicit cursor(C c) : c_(std::in_place, std::move(c)) {}

        /// The next item of the sync run.
        asio::awaitable<item<value_type>> next() {
            if (!c_) co_return std::nullopt;
            if (++pulled_ % from_yield_every == 0) {
                auto ex = co_await asio::this_coro::executor;
                co_await asio::post(ex, asio::use_awaitable);
            }
            auto r = c_->next();
            if (!r) c_.reset(); // released at the end of the run
            co_return r;
        }

        /// Pushes the sync run's items into `sink` through the sync push
        /// protocol, up to the next point where `next()` lets the event loop
        /// run (then `pending`).
        template <class K>
        drained try_drain(K& sink) {
            if (!c_) return drained::ended;
            const std::size_t budget = from_yield_every - 1 - pulled_ % from_yield_every;
            if (budget == 0) return drained::pending;
            budgeted<K> b{sink, budget};
            const bool exhausted = rill::detail::drain(*c_, b);
            pulled_ += budget - b.left;
            if (exhausted) {
                c_.reset(); // released at the end of the run
                return drained::ended;
            }
            return b.sink_stopped ? drained::stopped : drained::pending;
        }

        /// Destroys the sync cursor: its synchronous release.
        asio::awaitable<void> close(exit_case = exit_case::stopped_early) {
            c_.reset();
            co_return;
        }

    private:
        // Passes items on to the sink, and stops the sync drain when the sink
        // does or when `left` items have gone by.
        template <class K>
        struct budgeted {
            K& down;
            std::size_t left;
            bool sink_stopped = false;

            bool ok(value_type&& x) { return pass(down.ok(std::move(x))); }
            bool err(err_info&& e) { return pass(down.err(std::move(e))); }
            bool pass(bool more) {
                --left;
                sink_stopped = !more;
                return more && left > 0;
            }
        };

        std::optional<C> c_;
        std::size_t pulled_ = 0;
    };

    /// Opens a run over a copy of the sync description.
    auto open() const& { return cursor<rill::cursor_t<const S&>>(s_.open()); }
    /// Opens a run that takes the sync description.
    auto open() && { return cursor<rill::cursor_t<S&&>>(std::move(s_).open()); }

private:
    S s_;
};

namespace detail {
struct from_fn {
    /// A sync rill stream as an async stream.
    template <class S>
        requires rill::any_stream<S>
    auto operator()(S&& s) const {
        return from_stream<std::remove_cvref_t<S>>(std::forward<S>(s));
    }
    /// A range (of `T` or `result<T>`) as an async stream: `async::from(rill::from(range))`.
    template <class R>
        requires(!rill::any_stream<R> && requires(R&& r) { rill::from(std::forward<R>(r)); })
    auto operator()(R&& r) const {
        return (*this)(rill::from(std::forward<R>(r)));
    }
};
} // namespace detail

/// A sync rill stream or a range as an async stream: `async::from(rill::iota(0, 10))`.
/// It lets the event loop run every `from_yield_every` items. (A sync stream
/// that blocks, blocks the event loop: run it on another thread.)
inline constexpr detail::from_fn from{};

/// The async stream of the given values as Ok items (a `result<T>` argument is taken as it is).
template <class A, class... B>
auto of(A&& a, B&&... b) {
    return from(rill::of(std::forward<A>(a), std::forward<B>(b)...));
}

/// The one-item async stream `Ok(x)` (monadic return).
template <class T>
auto pure(T&& x) {
    return from(rill::pure(std::forward<T>(x)));
}

/// The async stream with no items.
template <class T>
auto empty() {
    return from(rill::empty<T>());
}

/// The async stream whose only item is the Err `e`.
template <class T>
auto failed(err_info e) {
    return from(rill::failed<T>(std::move(e)));
}

/// Ok(first), ..., Ok(last - 1).
template <std::weakly_incrementable I>
auto iota(I first, std::type_identity_t<I> last) {
    return from(rill::iota(first, last));
}

/// Ok(first), Ok(first + 1), ... without end.
template <std::weakly_incrementable I>
auto iota(I first) {
    return from(rill::iota(first));
}

} // namespace rill::async
