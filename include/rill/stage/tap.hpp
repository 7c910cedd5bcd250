/// \file
/// `tap(f)`: calls `f(const T&)` on each Ok item for its side effect; every
/// item passes unchanged. Err items do not reach `f`.
#pragma once

#include <rill/detail/stage.hpp>

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct tap_stage : no_checks {
    template <class T, class F>
    using value = T;

    template <class T, class F>
    static constexpr bool check() {
        static_assert(std::is_invocable_v<F&, const T&>,
                      "rill::tap: the function cannot be called with the stream's item type (it is called "
                      "with each Ok value as a const T&).");
        return std::is_invocable_v<F&, const T&>;
    }

    template <class C, class F>
    class cursor {
    public:
        using value_type = typename C::value_type;

        template <class G>
        constexpr cursor(C up, G&& f) : up_(std::move(up)), f_(std::forward<G>(f)) {}

        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            struct adapter : forward_errors<K> {
                F& f;
                [[gnu::always_inline]] constexpr bool ok(value_type&& x) {
                    std::invoke(f, std::as_const(x));
                    return this->down.ok(std::move(x));
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

/// Observes each Ok item (logging, metrics) without changing the stream.
inline constexpr detail::stage_fn<detail::tap_stage> tap{};

} // namespace rill
