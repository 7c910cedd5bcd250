/// \file
/// `map(f)`: `T -> U` on Ok items; Err items pass unchanged.
#pragma once

#include <rill/detail/stage.hpp>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct map_stage : no_checks {
    template <class T, class F>
    using value = std::remove_cvref_t<std::invoke_result_t<F&, T&&>>;

    template <class T, class F>
    static constexpr bool check() {
        static_assert(std::is_invocable_v<F&, T&&>,
                      "rill::map: the function cannot be called with the stream's item type (it is called "
                      "with each Ok value as an rvalue T).");
        if constexpr (std::is_invocable_v<F&, T&&>) {
            static_assert(!std::is_void_v<std::invoke_result_t<F&, T&&>>,
                          "rill::map: the function returns void. Did you mean rill::tap (a side effect on "
                          "each Ok item) or rill::for_each (a sink)?");
        }
        return [] {
            if constexpr (std::is_invocable_v<F&, T&&>) return !std::is_void_v<std::invoke_result_t<F&, T&&>>;
            else return false;
        }();
    }
    template <class F>
    static constexpr void check_args() {
        static_assert(std::is_copy_constructible_v<F>, "rill::map: the function must be copyable.");
    }

    template <class C, class F>
    class cursor {
    public:
        using value_type = value<typename C::value_type, F>;

        template <class G>
        constexpr cursor(C up, G&& f) : up_(std::move(up)), f_(std::forward<G>(f)) {}

        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            struct adapter : forward_errors<K> {
                F& f;
                [[gnu::always_inline]] constexpr bool ok(typename C::value_type&& x) {
                    return this->down.ok(value_type(std::invoke(f, std::move(x))));
                }
            } a{{sink}, f_};
            return detail::drain(up_, a);
        }

    private:
        C up_;
        F f_;
    };
};

} // namespace detail

/// Applies `f` to every Ok item: `s | rill::map(f)` or `rill::map(s, f)`.
inline constexpr detail::stage_fn<detail::map_stage> map{};

} // namespace rill
