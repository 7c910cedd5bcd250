/// \file
/// `async::drop(n)`: all but the first `n` items, Ok and Err alike.
#pragma once

#include <rill/async/core.hpp>

#include <cstddef>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

struct drop_stage {
    template <class T, class N>
    using value = T;

    template <class T, class N>
    static constexpr void check() {
        static_assert(std::is_integral_v<N>, "rill::async::drop: the count must be an integer.");
    }

    template <class C, class N>
    class cursor {
    public:
        using value_type = typename C::value_type;

        cursor(C up, N n) : up_{std::move(up)}, skip_(n > 0 ? std::size_t(n) : 0) {}

        asio::awaitable<item<value_type>> next() {
            for (; skip_ > 0; --skip_) {
                auto r = co_await up_.c.next();
                if (!r) {
                    skip_ = 0;
                    co_return r;
                }
            }
            co_return co_await up_.c.next();
        }

        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        upstream<C> up_;
        std::size_t skip_;
    };
};

} // namespace detail

/// All but the first `n` items (Ok and Err alike): `s | async::drop(2)`.
inline constexpr detail::stage_fn<detail::drop_stage> drop{};

} // namespace rill::async
