/// \file
/// `lift(f)`: turns `T -> result<U>` into `T -> (stream of one item)`, for `and_then`.
#pragma once

#include <rill/source/single.hpp>

#include <functional>
#include <type_traits>
#include <utility>

namespace rill {

namespace detail {
template <class F>
struct lifted {
    F f;
    template <class T>
    constexpr auto operator()(T&& x) const {
        using R = std::invoke_result_t<const F&, T&&>;
        static_assert(is_result_v<R>, "rill::lift: the function must return rill::result<U>.");
        return single_stream<unwrap_result_t<R>>(std::invoke(f, std::forward<T>(x)));
    }
};
} // namespace detail

/// `lift(f)(x)` is the one-item stream of `f(x)`: `and_then(lift(f))` has the
/// same items as `try_map(f)`.
template <class F>
constexpr detail::lifted<std::decay_t<F>> lift(F&& f) {
    return {std::forward<F>(f)};
}

} // namespace rill
