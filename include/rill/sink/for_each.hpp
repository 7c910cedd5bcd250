/// \file
/// `for_each(s, f)`: calls `f` on each Ok value; returns the errors seen.
/// `for_each(s, f, on_err)`: hands each Err item to `on_err` instead (O(1) memory).
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill {
namespace detail {
struct for_each_fn : sink_object {
    template <class S, class F>
        requires any_stream<S>
    std::vector<err_info> operator()(S&& s, F f) const {
        std::vector<err_info> errors;
        (*this)(std::forward<S>(s), std::move(f), [&](err_info&& e) { errors.push_back(std::move(e)); });
        return errors;
    }
    template <class S, class F, class E>
        requires any_stream<S>
    E operator()(S&& s, F f, E on_err) const {
        static_assert(std::is_invocable_v<F&, value_t<S>&&>,
                      "rill::for_each: the function must be callable with each Ok value (an rvalue T).");
        static_assert(std::is_invocable_v<E&, err_info&&>,
                      "rill::for_each: the error handler must be callable with each Err item's err_info (an "
                      "rvalue rill::err_info), e.g. rill::error_summary(10).");
        if constexpr (std::is_invocable_v<F&, value_t<S>&&> && std::is_invocable_v<E&, err_info&&>) {
            struct sink {
                F& f;
                E& on_err;
                bool ok(value_t<S>&& x) {
                    std::invoke(f, std::move(x));
                    return true;
                }
                bool err(err_info&& e) {
                    std::invoke(on_err, std::move(e));
                    return true;
                }
            } k{f, on_err};
            auto c = std::forward<S>(s).open();
            drain(c, k);
        }
        return on_err;
    }
    template <class F>
        requires(!any_stream<F>)
    constexpr auto operator()(F f) const {
        return make_closure<for_each_fn>(std::move(f));
    }
    template <class F, class E>
        requires(!any_stream<F>)
    constexpr auto operator()(F f, E on_err) const {
        return make_closure<for_each_fn>(std::move(f), std::move(on_err));
    }
};
} // namespace detail

/// Runs the stream to its end, calling `f(value)` for each Ok item; Err items
/// do not stop the run.
///
/// * `for_each(s, f)` returns the Err items, in order, so none is lost
///   silently: memory grows with the number of errors.
/// * `for_each(s, f, on_err)` calls `on_err(err_info&&)` for each Err item
///   instead, and returns `on_err` (as `std::for_each` returns its function):
///   with `rill::error_summary(k)` it is the count and the first k errors, in
///   O(k) memory however long the run. The form for long runs.
inline constexpr detail::for_each_fn for_each{};

} // namespace rill
