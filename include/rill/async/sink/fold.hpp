/// \file
/// `async::fold(s, init, f)`: folds the Ok values; stops at the first Err.
#pragma once

#include <rill/async/detail/drive.hpp>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {
template <class T, class A, class F>
struct fold_sink {
    A acc;
    F f;
    std::optional<err_info> error{};
    bool ok(T&& x)
        requires(!returns_awaitable<F, A&&, T&&>)
    {
        acc = std::invoke(f, std::move(acc), std::move(x));
        return true;
    }
    asio::awaitable<bool> ok(T&& x)
        requires returns_awaitable<F, A&&, T&&>
    {
        A next = co_await std::invoke(f, std::move(acc), std::move(x));
        acc = std::move(next);
        co_return true;
    }
    bool err(err_info&& e) {
        error.emplace(std::move(e));
        return false;
    }
    result<A> finish() && {
        if (error) return rill::err(std::move(*error));
        return result<A>(std::move(acc));
    }
};
} // namespace detail

/// Folds the Ok values with `acc = f(std::move(acc), value)` (`f` returns an
/// `A` or an `asio::awaitable<A>`) and gives `result<A>`: the final
/// accumulator, or the first Err item, where the run stops and is closed (as
/// the sync `rill::fold` does).
template <any_stream S, class A, class F>
asio::awaitable<result<A>> fold(S&& s, A init, F f) {
    using T = value_t<S>;
    static_assert(std::is_invocable_v<F&, A&&, T&&>, "rill::async::fold: f must be callable as f(A, T).");
    return detail::drive(std::forward<S>(s).open(), detail::fold_sink<T, A, F>{std::move(init), std::move(f), {}});
}

} // namespace rill::async
