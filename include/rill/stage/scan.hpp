/// \file
/// `scan(init, f)`: the running accumulator `acc = f(acc, x)` after each Ok item.
#pragma once

#include <rill/detail/stage.hpp>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct scan_stage : no_checks {
    template <class T, class A, class F>
    using value = A;

    template <class T, class A, class F>
    static constexpr bool check() {
        static_assert(std::is_invocable_v<F&, const A&, T&&>,
                      "rill::scan: the function must be callable as f(acc, item) with the accumulator and an "
                      "Ok value.");
        if constexpr (std::is_invocable_v<F&, const A&, T&&>)
            static_assert(std::is_assignable_v<A&, std::invoke_result_t<F&, const A&, T&&>>,
                          "rill::scan: the function must return the accumulator's type.");
        static_assert(std::is_copy_constructible_v<A>, "rill::scan: the accumulator must be copyable.");
        return [] {
            if constexpr (std::is_invocable_v<F&, const A&, T&&>) return std::is_assignable_v<A&, std::invoke_result_t<F&, const A&, T&&>> && std::is_copy_constructible_v<A>;
            else return false;
        }();
    }

    template <class C, class A, class F>
    class cursor {
    public:
        using value_type = A;

        template <class B, class G>
        constexpr cursor(C up, B&& init, G&& f) : up_(std::move(up)), acc_(std::forward<B>(init)), f_(std::forward<G>(f)) {}

        [[gnu::always_inline]] std::optional<result<A>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            struct adapter : forward_errors<K> {
                cursor& self;
                [[gnu::always_inline]] constexpr bool ok(typename C::value_type&& x) {
                    self.acc_ = std::invoke(self.f_, std::as_const(self.acc_), std::move(x));
                    return this->down.ok(A(self.acc_));
                }
            } a{{sink}, *this};
            return detail::drain(up_, a);
        }

    private:
        C up_;
        A acc_;
        F f_;
    };
};

} // namespace detail

/// Emits `acc = f(acc, x)` after each Ok item `x`, starting from `init` (which
/// is not emitted), as Rust's `scan` and range-v3's `partial_sum` do. Err items
/// pass through in position and leave the accumulator unchanged.
inline constexpr detail::stage_fn<detail::scan_stage> scan{};

} // namespace rill
