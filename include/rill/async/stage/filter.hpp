/// \file
/// `async::filter(p)`: keeps the Ok items for which `p(const T&)` (a `bool` or an
/// `asio::awaitable<bool>`) holds; Err items pass.
#pragma once

#include <rill/async/core.hpp>

#include <functional>
#include <utility>

namespace rill::async {
namespace detail {

struct filter_stage {
    template <class T, class P>
    using value = T;

    template <class T, class P>
    static constexpr void check() {
        static_assert(invocable<P, const T&>,
                      "rill::async::filter: the predicate must be callable with a const T&.");
        if constexpr (invocable<P, const T&>)
            static_assert(std::is_convertible_v<call_t<P, const T&>, bool>,
                          "rill::async::filter: the predicate must return bool or asio::awaitable<bool>.");
    }

    template <class C, class P>
    class cursor {
    public:
        using value_type = typename C::value_type;

        template <class G>
        cursor(C up, G&& p) : up_{std::move(up)}, p_(std::forward<G>(p)) {}

        asio::awaitable<item<value_type>> next() {
            for (;;) {
                auto r = co_await up_.c.next();
                if (!r || !r->has_value()) co_return r;
                bool keep;
                if constexpr (returns_awaitable<P, const value_type&>) keep = co_await std::invoke(p_, std::as_const(**r));
                else keep = std::invoke(p_, std::as_const(**r));
                if (keep) co_return r;
            }
        }

        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        upstream<C> up_;
        P p_;
    };
};

} // namespace detail

/// Keeps the Ok items that satisfy `p`; Err items always pass.
inline constexpr detail::stage_fn<detail::filter_stage> filter{};

} // namespace rill::async
