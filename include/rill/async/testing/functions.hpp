/// \file
/// Async functions for the checkers, made from the sync kit's printable
/// function families (`int_fn`, `int_result_fn`, `int_stream_fn`,
/// `nest_fn<T>`, or any function of the user's): `from_fn` (a sync stream
/// function made async with `async::from`), `awaited_fn` (the same function as
/// a coroutine that first waits on the event loop, `zero_wait()`) and
/// `generated_fn` (the items of a stream function handed out by an
/// `async::generate` body, with a wait before each). Each prints as what it
/// wraps, so a counterexample names it.
///
///     auto f = rill::async::testing::gen_awaited(rill::async::testing::gen_from(rill::testing::gen_int_stream_fn()));
///     // x -> co_await zero_wait(), then async::from(int_stream_fn(x))
#pragma once

#include <rill/async/core.hpp>
#include <rill/async/source/from.hpp>
#include <rill/async/source/generate.hpp>
#include <rill/testing/functions.hpp>

#include <asio/post.hpp>

#include <rapidcheck.h>

#include <chrono>
#include <functional>
#include <ostream>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill::async::testing {

/// Suspends the awaiting coroutine through the event loop (a post to its
/// executor): other handlers run before it resumes, as during a real wait, in
/// no time. (A post, not a zero timer: a timer costs system calls, which
/// thousands of property cases feel.)
inline asio::awaitable<void> zero_wait() {
    auto ex = co_await asio::this_coro::executor;
    co_await asio::post(ex, asio::use_awaitable);
}

namespace detail {

/// Prints `f` if it is printable, else `f`.
template <class F>
std::ostream& print_fn(std::ostream& os, const F& f) {
    if constexpr (requires { os << f; }) return os << f;
    else return os << "f";
}

/// `co_await f(args...)` when `f` returns an awaitable, else `f(args...)`: an
/// awaitable either way. The arguments are referred to: await it at once.
template <class F, class... A>
asio::awaitable<async::detail::call_t<F, A&&...>> await_call(F& f, A&&... args) {
    using R = async::detail::call_t<F, A&&...>;
    if constexpr (async::detail::returns_awaitable<F, A&&...>) {
        if constexpr (std::is_void_v<R>) co_await std::invoke(f, std::forward<A>(args)...);
        else {
            R r = co_await std::invoke(f, std::forward<A>(args)...);
            co_return r;
        }
    } else {
        if constexpr (std::is_void_v<R>) {
            std::invoke(f, std::forward<A>(args)...);
            co_return;
        } else {
            co_return std::invoke(f, std::forward<A>(args)...);
        }
    }
}

} // namespace detail

/// `x -> async::from(f(x))`: a function returning a sync rill stream, made to
/// return an async one (for `async::and_then`).
template <class F>
struct from_fn {
    F f; ///< the sync stream function

    /// `async::from(f(x))`.
    template <class X>
    auto operator()(X&& x) const {
        return async::from(std::invoke(f, std::forward<X>(x)));
    }
    /// Prints `from . f`.
    friend std::ostream& operator<<(std::ostream& os, const from_fn& g) {
        os << "from . (";
        return detail::print_fn(os, g.f) << ")";
    }
};

/// `x -> f(x)` as a coroutine that first waits on the event loop
/// (`zero_wait()`), then returns `f(x)` (awaited, if `f` is itself awaitable):
/// the awaitable form of any function, for `async::map`, `try_map`, `and_then`.
template <class F>
struct awaited_fn {
    F f; ///< the function awaited

    /// An `asio::awaitable` of `f(x)`; the coroutine owns copies of `f` and `x`.
    template <class X>
    auto operator()(X x) const {
        return call(f, std::move(x));
    }
    /// Prints `awaited(f)`.
    friend std::ostream& operator<<(std::ostream& os, const awaited_fn& g) {
        os << "awaited(";
        return detail::print_fn(os, g.f) << ")";
    }

private:
    template <class X>
    static asio::awaitable<async::detail::call_t<const F&, X&&>> call(F f, X x) {
        co_await zero_wait();
        using R = async::detail::call_t<const F&, X&&>;
        const F& cf = f;
        R r = co_await detail::await_call(cf, std::move(x));
        co_return r;
    }
};

/// `awaited_fn<F>{f}`.
template <class F>
awaited_fn<std::decay_t<F>> awaited(F&& f) {
    return {std::forward<F>(f)};
}

namespace detail {
/// A `generate` body that hands out `items`, waiting (`zero_wait()`) before each.
template <class T>
struct yield_items {
    std::vector<result<T>> items;
    bool wait = true;

    asio::awaitable<void> operator()(yielder<T>& out) const {
        for (const auto& r : items) {
            if (wait) co_await zero_wait();
            if (!co_await out(r)) co_return;
        }
    }
};
} // namespace detail

/// `x -> async::generate` of the items `f.items(x)`, with a wait before each:
/// a coroutine-generated inner stream for `async::and_then`, from any function
/// with `items(x)` (`int_stream_fn`, `nest_fn<T>`).
template <class F>
struct generated_fn {
    F f; ///< gives the items

    /// The generated stream of `f.items(x)`.
    template <class X>
    auto operator()(const X& x) const {
        using T = typename std::remove_cvref_t<decltype(f.items(x))>::value_type::value_type;
        return async::generate<T>(detail::yield_items<T>{f.items(x), true});
    }
    /// Prints `generate . f`.
    friend std::ostream& operator<<(std::ostream& os, const generated_fn& g) {
        os << "generate . (";
        return detail::print_fn(os, g.f) << ")";
    }
};

/// A generator of `from_fn<F>` over the functions of `g`.
template <class F>
rc::Gen<from_fn<F>> gen_from(rc::Gen<F> g) {
    return rc::gen::map(std::move(g), [](F f) { return from_fn<F>{std::move(f)}; });
}

/// A generator of `awaited_fn<F>` over the functions of `g`.
template <class F>
rc::Gen<awaited_fn<F>> gen_awaited(rc::Gen<F> g) {
    return rc::gen::map(std::move(g), [](F f) { return awaited_fn<F>{std::move(f)}; });
}

/// A generator of `generated_fn<F>` over the functions of `g`.
template <class F>
rc::Gen<generated_fn<F>> gen_generated(rc::Gen<F> g) {
    return rc::gen::map(std::move(g), [](F f) { return generated_fn<F>{std::move(f)}; });
}

namespace detail {

/// `x -> k(f(x))` where `f` and `k` may each return an awaitable: a plain
/// function when both are plain, else one returning an awaitable that owns
/// copies of `f`, `k` and `x`. The checkers build `g . f`, `pure . f`,
/// `lift(f)` and `x -> f(x) | and_then(g)` with it.
template <class F, class K>
struct then_fn {
    F f;
    K k;

    template <class X>
    auto operator()(X x) const {
        using Y = async::detail::call_t<const F&, X&&>;
        if constexpr (!async::detail::returns_awaitable<const F&, X&&> && !async::detail::returns_awaitable<const K&, Y&&>)
            return std::invoke(k, std::invoke(f, std::move(x)));
        else return call(f, k, std::move(x));
    }

private:
    template <class X>
    static asio::awaitable<async::detail::call_t<const K&, async::detail::call_t<const F&, X&&>&&>> call(F f, K k, X x) {
        using Y = async::detail::call_t<const F&, X&&>;
        using Z = async::detail::call_t<const K&, Y&&>;
        const F& cf = f;
        const K& ck = k;
        Y y = co_await await_call(cf, std::move(x));
        Z z = co_await await_call(ck, std::move(y));
        co_return z;
    }
};

template <class F, class K>
then_fn<F, K> then(F f, K k) {
    return {std::move(f), std::move(k)};
}

} // namespace detail

} // namespace rill::async::testing
