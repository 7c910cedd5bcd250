/// \file
/// `recover(f)`: `err_info -> T` or `err_info -> result<T>` on Err items.
#pragma once

#include <rill/detail/stage.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct recover_stage : no_checks {
    template <class T, class F>
    using value = T;

    template <class T, class F>
    static constexpr bool check() {
        static_assert(std::is_invocable_v<F&, err_info&&>,
                      "rill::recover: the function must take an err_info and return a T or a result<T>.");
        if constexpr (std::is_invocable_v<F&, err_info&&>)
            static_assert(std::is_constructible_v<result<T>, std::invoke_result_t<F&, err_info&&>>,
                          "rill::recover: the function must return the stream's item type T or a result<T>.");
        return [] {
            if constexpr (std::is_invocable_v<F&, err_info&&>) return std::is_constructible_v<result<T>, std::invoke_result_t<F&, err_info&&>>;
            else return false;
        }();
    }

    template <class C, class F>
    class cursor {
    public:
        using value_type = typename C::value_type;

        template <class G>
        constexpr cursor(C up, G&& f) : up_(std::move(up)), f_(std::forward<G>(f)) {}

        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        constexpr bool drain(K& sink) {
            struct adapter {
                cursor& self;
                K& down;
                constexpr bool ok(value_type&& x) {
                    ++self.index_;
                    return down.ok(std::move(x));
                }
                constexpr bool err(err_info&& e) {
                    result<value_type> r = self.recovered(std::move(e));
                    return r.has_value() ? down.ok(std::move(*r)) : down.err(std::move(r.error()));
                }
            } a{*this, sink};
            return detail::drain(up_, a);
        }

    private:
        result<value_type> recovered(err_info&& e) {
            const std::size_t index = index_++;
            result<value_type> out = std::invoke(f_, std::move(e));
            if (!out.has_value()) stamp(out, "recover", index);
            return out;
        }

        C up_;
        F f_;
        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Replaces each Err item by `f(error)`, a `T` (the error is recovered) or a
/// `result<T>` (which may still be an Err); Ok items pass unchanged.
inline constexpr detail::stage_fn<detail::recover_stage> recover{};

} // namespace rill
