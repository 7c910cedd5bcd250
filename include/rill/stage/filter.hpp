/// \file
/// `filter(p)`: keeps the Ok items for which `p(item)` holds; Err items pass.
#pragma once

#include <rill/detail/stage.hpp>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct filter_stage : no_checks {
    template <class T, class P>
    using value = T;

    template <class T, class P>
    static constexpr bool check() {
        static_assert(std::is_invocable_v<P&, const T&>,
                      "rill::filter: the predicate cannot be called with the stream's item type (it is called "
                      "with each Ok value as a const T&).");
        if constexpr (std::is_invocable_v<P&, const T&>)
            static_assert(std::is_convertible_v<std::invoke_result_t<P&, const T&>, bool>,
                          "rill::filter: the predicate must return something convertible to bool.");
        return std::is_invocable_r_v<bool, P&, const T&>;
    }
    template <class P>
    static constexpr void check_args() {
        static_assert(std::is_copy_constructible_v<P>, "rill::filter: the predicate must be copyable.");
    }

    template <class C, class P>
    class cursor {
    public:
        using value_type = typename C::value_type;

        template <class G>
        constexpr cursor(C up, G&& p) : up_(std::move(up)), p_(std::forward<G>(p)) {}

        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            struct adapter : forward_errors<K> {
                P& p;
                [[gnu::always_inline]] constexpr bool ok(value_type&& x) {
                    return !std::invoke(p, std::as_const(x)) || this->down.ok(std::move(x));
                }
            } a{{sink}, p_};
            return detail::drain(up_, a);
        }

    private:
        C up_;
        P p_;
    };
};

} // namespace detail

/// Keeps the Ok items that satisfy `p`; Err items always pass.
inline constexpr detail::stage_fn<detail::filter_stage> filter{};

} // namespace rill
