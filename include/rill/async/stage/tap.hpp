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
    class cursor {
    public:
        using value_type = typename C::value_type;

        template <class G>
        cursor(C up, G&& f) : up_{std::move(up)}, f_(std::forward<G>(f)) {}

        asio::awaitable<item<value_type>> next() {
            auto r = co_await up_.c.next();
            if (r && r->has_value()) {
                if constexpr (returns_awaitable<F, const value_type&>) co_await std::invoke(f_, std::as_const(**r));
                else std::invoke(f_, std::as_const(**r));
            }
            co_return r;
        }

        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        upstream<C> up_;
        F f_;
    };
};

} // namespace detail

/// Observes each Ok item (logging, metrics) without changing the stream; Err items do not reach `f`.
inline constexpr detail::stage_fn<detail::tap_stage> tap{};

} // namespace rill::async
