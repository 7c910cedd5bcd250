/// \file
/// `drop(n)`: all but the first `n` items, Ok and Err alike.
#pragma once

#include <rill/detail/stage.hpp>

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct drop_stage : no_checks {
    template <class T, class N>
    using value = T;

    template <class T, class N>
    static constexpr bool check() {
        static_assert(std::is_integral_v<N>, "rill::drop: the count must be an integer.");
        return std::is_integral_v<N>;
    }

    template <class C, class N>
    class cursor {
    public:
        using value_type = typename C::value_type;

        constexpr cursor(C up, N n) : up_(std::move(up)), skip_(n > 0 ? std::size_t(n) : 0) {}

        constexpr std::optional<result<value_type>> next() {
            for (; skip_ > 0; --skip_)
                if (!up_.next()) {
                    skip_ = 0;
                    return std::nullopt;
                }
            return up_.next();
        }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            for (; skip_ > 0; --skip_)
                if (!up_.next()) {
                    skip_ = 0;
                    return true;
                }
            return detail::drain(up_, sink);
        }

    private:
        C up_;
        std::size_t skip_;
    };
};

} // namespace detail

/// All but the first `n` items (Ok and Err alike: positions): `s | rill::drop(2)`.
inline constexpr detail::stage_fn<detail::drop_stage> drop{};

} // namespace rill
