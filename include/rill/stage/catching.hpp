/// \file
/// `catching(f)`: the opt-in that turns an exception thrown by `f` into an Err
/// item (code `"exception"`, message `what()`). Without it exceptions propagate.
#pragma once

#include <rill/result.hpp>

#include <exception>
#include <functional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

template <class F>
struct catching_fn {
    F f;

    template <class... A>
    auto operator()(A&&... args) const -> result<unwrap_result_t<std::invoke_result_t<const F&, A&&...>>> {
        using R = std::invoke_result_t<const F&, A&&...>;
        static_assert(!std::is_void_v<R>, "rill::catching: the function must return a value or a result<U>.");
        try {
            return std::invoke(f, std::forward<A>(args)...);
        } catch (const std::exception& e) {
            return err("exception", e.what());
        } catch (...) {
            return err("exception", "unknown exception");
        }
    }
};

} // namespace detail

/// Wraps `f` (returning `U` or `result<U>`) into a function returning
/// `result<U>` that reports a thrown exception as the Err `{"exception", what()}`.
/// Use it where a fallible function goes: `s | rill::try_map(rill::catching(f))`.
template <class F>
constexpr detail::catching_fn<std::decay_t<F>> catching(F&& f) {
    return {std::forward<F>(f)};
}

} // namespace rill
