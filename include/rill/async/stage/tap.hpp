/// \file
/// `async::tap(f)`: calls `f(const T&)` (plain, or returning `asio::awaitable<void>`)
/// on each Ok item for its side effect; every item passes unchanged.
#pragma once

#include <rill/async/core.hpp>

#include <functional>
#include <utility>

namespace rill::async {
namespace detail {

struct tap_stage {
    template <class T, class F>
    using value = T;

    template <class T, class F>
    static constexpr void check() {
        static_assert(invocable<F, const T&>,
                      "rill::async::tap: the function cannot be called with the stream's item type (it is "
                      "called with each Ok value as a const T&).");
    }

    template <class C, class F>
    class cursor : public fn_cursor<C, F> {
    public:
        using value_type = typename C::value_type;

        using fn_cursor<C, F>::fn_cursor;

        asio::awaitable<item<value_type>> next() {
            auto r = co_await this->up_.c.next();
            if (r && r->has_value()) {
                const value_type& x = **r;
                if constexpr (returns_awaitable<F, const value_type&>) co_await std::invoke(this->f_, x);
                else std::invoke(this->f_, x);
            }
            co_return r;
        }

    };
};

} // namespace detail

/// Observes each Ok item (logging, metrics) without changing the stream; Err items do not reach `f`.
inline constexpr detail::stage_fn<detail::tap_stage> tap{};

} // namespace rill::async
