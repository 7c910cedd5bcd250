/// \file
/// `take(n)`: the first `n` items, Ok and Err alike; pulls at most `n` items upstream.
#pragma once

#include <rill/detail/stage.hpp>

#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct take_stage : no_checks {
    template <class T, class N>
    using value = T;

    template <class T, class N>
    static constexpr bool check() {
        static_assert(std::is_integral_v<N>, "rill::take: the count must be an integer.");
        return std::is_integral_v<N>;
    }

    template <class C, class N>
    class cursor {
    public:
        using value_type = typename C::value_type;

        constexpr cursor(C up, N n) : up_(std::in_place, std::move(up)), left_(n > 0 ? std::size_t(n) : 0) {
            if (left_ == 0) up_.reset();
        }

        // Through `drain`, as the per-item stages do: upstream gives exactly the
        // items `next()` would pull, and the n-th releases it (see `drain`).
        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            if (!up_) return true;
            struct adapter {
                K& down;
                std::size_t& left;
                bool down_stopped = false;
                [[gnu::always_inline]] constexpr bool pass(bool more) {
                    down_stopped = !more;
                    return --left > 0 && more;
                }
                [[gnu::always_inline]] constexpr bool ok(value_type&& x) { return pass(down.ok(std::move(x))); }
                constexpr bool err(err_info&& e) { return pass(down.err(std::move(e))); }
            } a{sink, left_};
            const bool ended = detail::drain(*up_, a);
            // Upstream is released as soon as the n-th item is out, not when the
            // whole run ends: a resource above `take` is held no longer than needed.
            if (ended || left_ == 0) up_.reset();
            return !a.down_stopped && (ended || left_ == 0);
        }

    private:
        std::optional<C> up_;
        std::size_t left_;
    };
};

} // namespace detail

/// The first `n` items (Ok and Err alike: positions): `s | rill::take(3)`.
/// Pulls at most `n` items from upstream and releases upstream right after the n-th.
inline constexpr detail::stage_fn<detail::take_stage> take{};

} // namespace rill
