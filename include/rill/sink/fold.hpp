/// \file
/// `fold(s, init, f)`: folds the Ok values; stops at the first Err.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {
struct fold_fn : sink_object {
    template <class S, class A, class F>
        requires any_stream<S>
    result<A> operator()(S&& s, A init, F f) const {
        static_assert(std::is_invocable_v<F&, A&&, value_t<S>&&>,
                      "rill::fold: the function must be callable as f(std::move(acc), value).");
        if constexpr (std::is_invocable_v<F&, A&&, value_t<S>&&>) {
            static_assert(std::is_assignable_v<A&, std::invoke_result_t<F&, A&&, value_t<S>&&>>,
                          "rill::fold: the function must return the accumulator's type.");
            struct sink {
                A& acc;
                F& f;
                std::optional<err_info> error{};
                constexpr bool ok(value_t<S>&& x) {
                    acc = std::invoke(f, std::move(acc), std::move(x));
                    return true;
                }
                bool err(err_info&& e) {
                    error.emplace(std::move(e));
                    return false;
                }
            } k{init, f};
            auto c = std::forward<S>(s).open();
            detail::drain(c, k);
            if (k.error) [[unlikely]]
                return tl::unexpected<err_info>(std::move(*k.error));
            return init;
        }
    }
    template <class A, class F>
    constexpr auto operator()(A init, F f) const {
        return make_closure<fold_fn>(std::move(init), std::move(f));
    }
};
} // namespace detail

/// Folds the Ok values with `acc = f(std::move(acc), value)` and returns
/// `result<Acc>`: the final accumulator, or the first Err item, where the run
/// stops (as `try_collect` does). To fold past errors, `partition` first or
/// `recover` them upstream.
inline constexpr detail::fold_fn fold{};

} // namespace rill
