/// \file
/// `for_each(s, f)`: calls `f` on each Ok value; returns the errors seen.
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
        static_assert(std::is_invocable_v<F&, value_t<S>&&>,
                      "rill::for_each: the function must be callable with each Ok value (an rvalue T).");
        std::vector<err_info> errors;
        if constexpr (std::is_invocable_v<F&, value_t<S>&&>) {
            struct sink {
                F& f;
                std::vector<err_info>& errors;
                bool ok(value_t<S>&& x) {
                    std::invoke(f, std::move(x));
                    return true;
                }
                bool err(err_info&& e) {
                    errors.push_back(std::move(e));
                    return true;
                }
            } k{f, errors};
            auto c = std::forward<S>(s).open();
            drain(c, k);
        }
        return errors;
    }
    template <class F>
        requires(!any_stream<F>)
    constexpr auto operator()(F f) const {
        return make_closure<for_each_fn>(std::move(f));
    }
};
} // namespace detail

/// Runs the stream to its end, calling `f(value)` for each Ok item; Err items
/// do not stop the run and are returned, in order, so none is lost silently.
inline constexpr detail::for_each_fn for_each{};

} // namespace rill
