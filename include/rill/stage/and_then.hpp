/// \file
/// `and_then(f)`: monadic bind. Each Ok item `x` is replaced by the items of the
/// stream `f(x)`; Err items pass unchanged and `f` is not called for them.
#pragma once

#include <rill/detail/stage.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct and_then_stage : no_checks {
    template <class T, class F>
    using inner_stream = std::remove_cvref_t<std::invoke_result_t<F&, T&&>>;

    template <class T, class F>
    using value = value_t<inner_stream<T, F>>;

    template <class T, class F>
    static constexpr bool check() {
        static_assert(std::is_invocable_v<F&, T&&>,
                      "rill::and_then: the function cannot be called with the stream's item type (it is "
                      "called with each Ok value as an rvalue T).");
        if constexpr (std::is_invocable_v<F&, T&&>)
            static_assert(any_stream<std::invoke_result_t<F&, T&&>>,
                          "rill::and_then: the function must return a stream. Did you mean rill::map (T -> U) "
                          "or rill::try_map (T -> result<U>)?");
        return [] {
            if constexpr (std::is_invocable_v<F&, T&&>) return any_stream<std::invoke_result_t<F&, T&&>>;
            else return false;
        }();
    }
    template <class F>
    static constexpr void check_args() {
        static_assert(std::is_copy_constructible_v<F>, "rill::and_then: the function must be copyable.");
    }

    template <class C, class F>
    class cursor {
        using inner = inner_stream<typename C::value_type, F>;
        using inner_cursor = cursor_t<inner&&>;

    public:
        using value_type = value_t<inner>;

        template <class G>
        constexpr cursor(C up, G&& f) : up_(std::move(up)), f_(std::forward<G>(f)) {}

        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            if (inner_ && !drain_inner(sink)) return false;
            struct outer {
                cursor& self;
                K& down;
                [[gnu::always_inline]] constexpr bool ok(typename C::value_type&& x) {
                    ++self.index_;
                    self.inner_.emplace(opener{self.f_, x});
                    return self.drain_inner(down);
                }
                constexpr bool err(err_info&& e) {
                    ++self.index_;
                    return down.err(std::move(e));
                }
            } o{*this, sink};
            return detail::drain(up_, o);
        }

    private:
        // Drains the inner run in progress; it is released once exhausted.
        template <class K>
        [[gnu::always_inline]] constexpr bool drain_inner(K& sink) {
            struct inner_sink : forward_errors<K> {
                std::size_t outer_index;
                [[gnu::always_inline]] constexpr bool ok(value_type&& x) { return this->down.ok(std::move(x)); }
                constexpr bool err(err_info&& e) {
                    e.at("and_then", outer_index);
                    return this->down.err(std::move(e));
                }
            } k{{sink}, index_ - 1};
            if (!detail::drain(*inner_, k)) return false;
            inner_.reset();
            return true;
        }

        struct opener {
            F& f;
            typename C::value_type& x;
            constexpr operator inner_cursor() const { return std::invoke(f, std::move(x)).open(); }
        };

        C up_;
        F f_;
        std::size_t index_ = 0;               // outer items pulled so far
        std::optional<inner_cursor> inner_{}; // after up_: released first
    };
};

} // namespace detail

/// Replaces each Ok item `x` by the items of `f(x)`: `s | rill::and_then(f)`.
inline constexpr detail::stage_fn<detail::and_then_stage> and_then{};

} // namespace rill
