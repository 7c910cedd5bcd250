/// \file
/// The async stream model: cursors with `next()` and `close()`, the stream
/// concept, awaitable user functions, and the closure machinery behind
/// `s | async::op(...)`.
///
/// An async stream is a replayable description, as a sync rill stream is:
/// building it does nothing, and every `open()` starts a fresh run. A run's
/// cursor has
///
///     asio::awaitable<std::optional<result<T>>> next();  // empty at the end
///     asio::awaitable<void> close();                      // idempotent, never throws
///
/// `close()` releases what the run acquired, in reverse order of
/// acquisition, awaiting asynchronous releases. rill's sinks and operators
/// always close what they open: at the end, on an early stop, when a user
/// function throws and when the awaiting coroutine is cancelled.
///
/// A cursor destroyed without `close()` still leaks nothing, but it cannot
/// await: what it holds is released synchronously by its destructor (a sync
/// stream's cursor, a plain `release`), a generator body is cancelled at the
/// await it is suspended at and unwinds by itself later on the run's executor,
/// and an awaitable `release` of `using_resource` is started detached on the
/// run's executor (it runs when that executor runs again; if the io_context
/// is destroyed first, the release's frame and the resource are destroyed
/// without it). Each such deferred release counts in `unclosed_releases()`.
/// See docs/13-async.md.
#pragma once

#include <rill/async/asio.hpp>
#include <rill/concepts.hpp> // rill::detail::any_one_shot
#include <rill/result.hpp>
#include <rill/stage/using_resource.hpp> // exit_case

#include <atomic>
#include <concepts>
#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

/// Awaits a close (or any cleanup) even when the coroutine was cancelled: asio
/// makes every `co_await` of a cancelled coroutine throw until this is turned
/// off, so the switch has to be inline in the coroutine that closes (a helper
/// coroutine's own `co_await` would throw first).
#define RILL_ASYNC_SHIELDED(...)                                                        \
    do {                                                                                \
        const bool rill_async_throw_ = co_await ::asio::this_coro::throw_if_cancelled(); \
        co_await ::asio::this_coro::throw_if_cancelled(false);                          \
        __VA_ARGS__;                                                                    \
        co_await ::asio::this_coro::throw_if_cancelled(rill_async_throw_);              \
    } while (false)

namespace rill::async {

/// What `next()` gives: an item, or an empty optional at the end of the run.
template <class T>
using item = std::optional<result<T>>;

/// A run in progress: `next()` awaits the next item, `close()` ends the run.
template <class C>
concept cursor = std::move_constructible<C> && requires(C& c) {
    typename C::value_type;
    { c.next() } -> std::same_as<asio::awaitable<item<typename C::value_type>>>;
    { c.close() } -> std::same_as<asio::awaitable<void>>;
};

/// What `try_drain(sink)` reports.
enum class drained : unsigned char {
    ended,   ///< the run is over
    stopped, ///< the sink returned false
    pending, ///< the next item is not ready now: `co_await next()` gives it
};

namespace detail {
/// The sink a `drains` check passes (declared only).
template <class T>
struct probe_sink {
    bool ok(T&&);
    bool err(err_info&&);
};
} // namespace detail

/// A cursor with the synchronous fast path, the push protocol of sync rill
/// cursors (`rill::detail::drain`) for what is ready: `try_drain(sink)` hands
/// every item it can give without suspending to `sink.ok(T&&)` or
/// `sink.err(err_info&&)` until one returns false (`stopped`), the run ends
/// (`ended`), or the next item needs an await (`pending`: the caller goes on
/// with `co_await next()`). A sync source and the stages whose functions are
/// plain have it, so rill's sinks run such a pipeline in one plain loop, at
/// the sync pipeline's speed, suspending once every `from_yield_every` items;
/// each such stage's `next()` uses it too (one coroutine frame per item for
/// the chain, not one per stage). Optional: other cursors are pulled with
/// `next()` only.
template <class C>
concept drains = cursor<C> && requires(C& c, detail::probe_sink<typename C::value_type>& k) {
    { c.try_drain(k) } -> std::same_as<drained>;
};

namespace detail {
template <class S>
concept opens = requires(S&& s) {
    { std::forward<S>(s).open() } -> cursor;
};
} // namespace detail

/// Any async rill stream: a description with a `value_type` whose `open()`
/// starts a run (named as the sync `rill::any_stream` is; `async::stream<T>`
/// is the type-erased async stream, in stream.hpp).
template <class S>
concept any_stream = requires { typename std::remove_cvref_t<S>::value_type; } &&
    (detail::opens<const std::remove_cvref_t<S>&> || detail::opens<std::remove_cvref_t<S>&&>);

/// The `T` of an async stream of `result<T>`.
template <class S>
using value_t = typename std::remove_cvref_t<S>::value_type;

/// The cursor type a run of `S` uses (an lvalue opens a copy of the description).
template <class S>
using cursor_t = decltype(std::declval<S>().open());

/// How many releases a cursor destroyed without `close()` could not await and
/// left to its executor (a generator body stopped by cancellation, an
/// awaitable `release` started detached). Zero in a program whose runs are all
/// consumed by rill's sinks; tests check it.
inline std::size_t unclosed_releases() noexcept;

namespace detail {

inline std::atomic<std::size_t> unclosed_count{0};

inline void count_unclosed() noexcept { unclosed_count.fetch_add(1, std::memory_order_relaxed); }

// --- awaitable user functions ---------------------------------------------------

template <class R>
struct awaited {
    using type = R;
    static constexpr bool is_awaitable = false;
};
template <class U, class Ex>
struct awaited<asio::awaitable<U, Ex>> {
    using type = U;
    static constexpr bool is_awaitable = true;
};

/// True for `asio::awaitable<U>`.
template <class R>
inline constexpr bool is_awaitable_v = awaited<std::remove_cvref_t<R>>::is_awaitable;

/// `U` for `asio::awaitable<U>`, `R` itself otherwise: what `co_await f(x)` gives.
template <class R>
using awaited_t = typename awaited<std::remove_cvref_t<R>>::type;

/// True when `f(args...)` returns an `asio::awaitable`: the caller co_awaits it.
template <class F, class... A>
inline constexpr bool returns_awaitable = is_awaitable_v<std::invoke_result_t<F&, A...>>;

/// What calling `f(args...)` gives once awaited (when it returns an awaitable).
template <class F, class... A>
using call_t = awaited_t<std::invoke_result_t<F&, A...>>;

template <class F, class... A>
inline constexpr bool invocable = std::is_invocable_v<F&, A...>;

/// A predicate on `const T&` that returns a `bool` or an `asio::awaitable<bool>`.
template <class P, class T>
concept predicate_on = std::is_invocable_v<P&, const T&> && std::is_convertible_v<call_t<P, const T&>, bool>;

// --- closing ---------------------------------------------------------------------

/// Closes `c`, telling it how the run ended when it listens (rill's own cursors
/// do: `using_resource` passes it to `release`); `close()` otherwise.
template <class C>
asio::awaitable<void> close_with(C& c, exit_case how) {
    if constexpr (requires { c.close(how); }) return c.close(how);
    else return c.close();
}

/// The exit case a consumer closes with: `failed` when an exception stopped
/// it, `completed` when the run ended, `stopped_early` otherwise.
inline exit_case how_ended(bool threw, bool ended) noexcept {
    return threw ? exit_case::failed : ended ? exit_case::completed : exit_case::stopped_early;
}

// --- the synchronous fast path ----------------------------------------------------

/// The `next()` and `try_drain()` of a stage whose work on an item is
/// synchronous. `Derived` (which befriends this class) holds its upstream as
/// `up_` (an `upstream<C>`), has a `static constexpr bool plain` (its
/// functions are plain; false: `next()` is its own `next_awaiting()`, and
/// there is no `try_drain`), and a member template `pusher<K>`, built as
/// `{derived, sink}`: the stage's work on one upstream item, as a sink that
/// passes its items on to `sink`, as the sync stages' drain adapters do.
///
/// (The coroutine is a member, not a function template taking the stage: g++
/// warns about a coroutine frame that holds a parameter whose type uses an
/// anonymous namespace, as a stage holding a user's lambda does; `this` it
/// accepts.)
template <class Derived, class In, class Out>
class sync_stage {
    template <class D>
    using upstream_t = decltype(std::declval<D&>().up_.c);

public:
    /// The next item: see `pull_one`.
    asio::awaitable<item<Out>> next() {
        if constexpr (Derived::plain) return pull_one();
        else return derived().next_awaiting();
    }

    /// Pushes what the stage can give without suspending (see `drains`).
    template <class K, class D = Derived>
        requires(D::plain && drains<upstream_t<D>>)
    drained try_drain(K& sink) {
        typename Derived::template pusher<K> p{derived(), sink};
        return derived().up_.c.try_drain(p);
    }

private:
    /// The first item the stage pushes, taken through `try_drain` while
    /// upstream can answer, and through upstream's `next()` when not.
    asio::awaitable<item<Out>> pull_one() {
        item<Out> out;
        rill::detail::first_item<Out> sink{out};
        for (;;) {
            if constexpr (requires { this->try_drain(sink); }) {
                const drained d = this->try_drain(sink);
                if (d == drained::ended) co_return std::nullopt;
                if (d == drained::stopped) co_return out;
            }
            auto r = co_await static_cast<Derived*>(this)->up_.c.next();
            if (!r) co_return std::nullopt;
            push_one(std::move(*r), sink);
            if (out) co_return out;
            // The stage dropped the item (filter): pull again.
        }
    }

    Derived& derived() { return static_cast<Derived&>(*this); }

    void push_one(result<In>&& r, rill::detail::first_item<Out>& sink) {
        typename Derived::template pusher<rill::detail::first_item<Out>> p{derived(), sink};
        if (r.has_value()) (void)p.ok(std::move(*r));
        else (void)p.err(std::move(r.error()));
    }
};

// --- items -----------------------------------------------------------------------

template <class T, class... Args>
item<T> ok(Args&&... args) {
    return item<T>(std::in_place, tl::in_place, std::forward<Args>(args)...);
}
template <class T>
item<T> fail(err_info&& e) {
    return item<T>(std::in_place, tl::unexpect, std::move(e));
}
template <class T>
item<T> fail_at(err_info&& e, op_name op, std::size_t index) {
    e.at(op, index);
    return item<T>(std::in_place, tl::unexpect, std::move(e));
}

// --- the closure machinery -------------------------------------------------------
//
// Its own, beside rill::detail's: the sync `operator|` overloads that explain
// misuse would be ambiguous with an async stream on the left.

struct async_pipeable {};

template <class T>
concept pipeable = std::is_base_of_v<async_pipeable, std::remove_cvref_t<T>>;

/// `Fn` with its trailing arguments bound; applied by `s | closure`.
template <class Fn, class... Args>
struct closure : async_pipeable {
    std::tuple<Args...> args;

    template <class S, class Self>
    static constexpr auto apply(S&& s, Self&& self) {
        return std::apply([&](auto&&... a) { return Fn{}(std::forward<S>(s), std::forward<decltype(a)>(a)...); },
                          std::forward<Self>(self).args);
    }
};

/// Two closures applied one after the other: `a | b`.
template <class A, class B>
struct composed : async_pipeable {
    A first;
    B second;

    template <class S, class Self>
    static constexpr auto apply(S&& s, Self&& self) {
        auto mid = A::apply(std::forward<S>(s), std::forward<Self>(self).first);
        return B::apply(std::move(mid), std::forward<Self>(self).second);
    }
};

template <class Fn, class... Args>
constexpr auto make_closure(Args&&... args) {
    return closure<Fn, std::decay_t<Args>...>{{}, std::tuple<std::decay_t<Args>...>(std::forward<Args>(args)...)};
}

/// Applies a stage to an async stream: `s | async::map(f)`.
template <class S, pipeable C>
    requires any_stream<S>
constexpr auto operator|(S&& s, C&& c) {
    return std::remove_cvref_t<C>::apply(std::forward<S>(s), std::forward<C>(c));
}

/// Composes two stages into one fragment: `async::map(f) | async::take(3)`.
template <pipeable A, pipeable B>
constexpr auto operator|(A&& a, B&& b) {
    return composed<std::remove_cvref_t<A>, std::remove_cvref_t<B>>{{}, std::forward<A>(a), std::forward<B>(b)};
}

// --- the stage stream ------------------------------------------------------------

/// The stream type behind every single-upstream async stage: an upstream
/// description plus the stage's arguments. `Op` provides `value<T, Args...>`
/// and `cursor<C, Args...>`.
template <class Op, class Up, class... Args>
class stage_stream {
public:
    using value_type = typename Op::template value<value_t<Up>, Args...>;
    /// One-shot when its upstream is (a channel's stream): the mark travels down the pipeline.
    static constexpr bool one_shot = rill::detail::any_one_shot<Up>;

    template <class U, class... A>
    constexpr stage_stream(std::in_place_t, U&& up, A&&... args)
        : up_(std::forward<U>(up)), args_(std::forward<A>(args)...) {}

    auto open() const& { return start(*this); }
    auto open() && { return start(std::move(*this)); }

private:
    template <class Self>
    static auto start(Self&& self) {
        if constexpr (std::is_lvalue_reference_v<Self>) {
            using cur = typename Op::template cursor<cursor_t<const Up&>, Args...>;
            return std::apply([&](const auto&... a) { return cur(self.up_.open(), a...); }, self.args_);
        } else {
            using cur = typename Op::template cursor<cursor_t<Up&&>, Args...>;
            return std::apply([&](auto&... a) { return cur(std::move(self.up_).open(), std::move(a)...); },
                              self.args_);
        }
    }

    Up up_;
    std::tuple<Args...> args_;
};

/// The two call forms of a stage: `op(s, args...)` and `op(args...)` (a closure).
template <class Op>
struct stage_fn {
    template <class S, class... A>
        requires any_stream<S>
    constexpr auto operator()(S&& s, A&&... args) const {
        Op::template check<value_t<S>, std::decay_t<A>...>();
        return stage_stream<Op, std::remove_cvref_t<S>, std::decay_t<A>...>(std::in_place, std::forward<S>(s),
                                                                            std::forward<A>(args)...);
    }
    template <class... A>
        requires(!any_stream<A> && ...)
    constexpr auto operator()(A&&... args) const {
        return make_closure<stage_fn>(std::forward<A>(args)...);
    }
};

/// Base of the stage policies: no checks.
struct no_checks {
    template <class T, class... A>
    static constexpr void check() {}
};

/// The upstream cursor and whether it was closed: what every stage holds.
/// `close` is idempotent.
template <class C>
struct upstream {
    C c;
    bool closed = false;

    asio::awaitable<void> close(exit_case how) {
        if (closed) co_return;
        closed = true;
        // Shielded: a stage closes upstream inside next() too (take's n-th
        // item), where a cancellation would otherwise cut the close short.
        RILL_ASYNC_SHIELDED(co_await close_with(c, how));
    }
};

/// The state of a stage that applies a user function `F` to upstream `C`'s
/// items: the upstream run, the run's copy of `F`, and `close()` (which closes
/// upstream). Stages derive their cursor from it and add `next()`.
template <class C, class F>
class fn_cursor {
public:
    template <class G>
    fn_cursor(C up, G&& f) : up_{std::move(up)}, f_(std::forward<G>(f)) {}

    asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

protected:
    upstream<C> up_;
    F f_;
};

} // namespace detail

inline std::size_t unclosed_releases() noexcept {
    return detail::unclosed_count.load(std::memory_order_relaxed);
}

} // namespace rill::async
