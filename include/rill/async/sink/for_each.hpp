/// \file
/// `async::for_each(s, f)`: calls `f` on each Ok value; returns the Err items.
#pragma once

#include <rill/async/detail/drive.hpp>

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill::async {
namespace detail {
template <class T, class F>
struct for_each_sink {
    F f;
    std::vector<err_info> errors{};
    bool ok(T&& x)
        requires(!returns_awaitable<F, T&&>)
    {
        std::invoke(f, std::move(x));
        return true;
    }
    asio::awaitable<bool> ok(T&& x)
        requires returns_awaitable<F, T&&>
    {
        co_await std::invoke(f, std::move(x));
        co_return true;
    }
    bool err(err_info&& e) {
        errors.push_back(std::move(e));
        return true;
    }
    std::vector<err_info> finish() && { return std::move(errors); }
};
} // namespace detail

/// Runs `s` to its end, calling `f(T&&)` (plain, or returning an awaitable that
/// is awaited before the next pull) on each Ok value. Err items do not reach
/// `f`: the awaitable gives them, in order, so none is lost.
template <any_stream S, class F>
asio::awaitable<std::vector<err_info>> for_each(S&& s, F f) {
    using T = value_t<S>;
    static_assert(std::is_invocable_v<F&, T&&>, "rill::async::for_each: f must be callable with each Ok value (T&&).");
    return detail::drive(std::forward<S>(s).open(), detail::for_each_sink<T, F>{std::move(f), {}});
}

} // namespace rill::async
