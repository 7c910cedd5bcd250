/// \file
/// `async::take(n)`: the first `n` items, Ok and Err alike; pulls at most `n`
/// items upstream and closes upstream as soon as the n-th is out.
#pragma once

#include <rill/async/core.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

struct take_stage {
    template <class T, class N>
    using value = T;

    template <class T, class N>
    static constexpr void check() {
        static_assert(std::is_integral_v<N>, "rill::async::take: the count must be an integer.");
    }

    template <class C, class N>
    class cursor {
    public:
        using value_type = typename C::value_type;

        cursor(C up, N n) : up_{std::move(up)}, left_(n > 0 ? std::size_t(n) : 0) {}

        asio::awaitable<item<value_type>> next() {
            if (left_ == 0) {
                // Upstream is closed as soon as the n-th item is out, not when the
                // whole run ends: a resource above `take` is held no longer than needed.
                co_await up_.close(exit_case::stopped_early);
                co_return std::nullopt;
            }
            auto r = co_await up_.c.next();
            if (!r) {
                left_ = 0;
                co_await up_.close(exit_case::completed);
                co_return r;
            }
            if (--left_ == 0) co_await up_.close(exit_case::stopped_early);
            co_return r;
        }

        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        upstream<C> up_;
        std::size_t left_;
    };
};

} // namespace detail

/// The first `n` items (Ok and Err alike: positions): `s | async::take(3)`.
inline constexpr detail::stage_fn<detail::take_stage> take{};

} // namespace rill::async
