/// \file
/// `async::take_while(p)`: Ok items while `p(const T&)` (a `bool` or an
/// `asio::awaitable<bool>`) holds; the run ends at the first Ok item that fails
/// `p` (it is not emitted) and upstream is closed then. Err items pass and do not end it.
#pragma once

#include <rill/async/core.hpp>

#include <functional>
#include <utility>

namespace rill::async {
namespace detail {

struct take_while_stage {
    template <class T, class P>
    using value = T;

    template <class T, class P>
    static constexpr void check() {
        static_assert(predicate_on<P, T>, "rill::async::take_while: the predicate must be callable with a const T& "
                                          "and return bool or asio::awaitable<bool>.");
    }

    template <class C, class P>
    class cursor : public fn_cursor<C, P> {
    public:
        using value_type = typename C::value_type;

        using fn_cursor<C, P>::fn_cursor;

        asio::awaitable<item<value_type>> next() {
            if (over_) co_return std::nullopt;
            auto r = co_await this->up_.c.next();
            if (!r) {
                over_ = true;
                co_await this->up_.close(exit_case::completed);
                co_return r;
            }
            if (!r->has_value()) co_return r;
            bool keep;
            const value_type& x = **r;
            if constexpr (returns_awaitable<P, const value_type&>) keep = co_await std::invoke(this->f_, x);
            else keep = std::invoke(this->f_, x);
            if (keep) co_return r;
            over_ = true;
            co_await this->up_.close(exit_case::stopped_early); // the run is over: release upstream now
            co_return std::nullopt;
        }

    private:
        bool over_ = false;
    };
};

} // namespace detail

/// Ok items while `p` holds; Err items pass and do not end the run.
inline constexpr detail::stage_fn<detail::take_while_stage> take_while{};

} // namespace rill::async
