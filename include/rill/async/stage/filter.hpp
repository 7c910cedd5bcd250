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
        static_assert(predicate_on<P, T>, "rill::async::filter: the predicate must be callable with a const T& "
                                          "and return bool or asio::awaitable<bool>.");
    }

    template <class C, class P>
    class cursor : public fn_cursor<C, P>,
                   public sync_stage<cursor<C, P>, typename C::value_type, typename C::value_type> {
    public:
        using value_type = typename C::value_type;

        using fn_cursor<C, P>::fn_cursor;

    private:
        friend sync_stage<cursor, value_type, value_type>;
        static constexpr bool plain = !returns_awaitable<P, const value_type&>;

        template <class K>
        struct pusher {
            cursor& self;
            K& down;
            bool ok(value_type&& x) {
                if (!std::invoke(self.f_, std::as_const(x))) return true; // dropped
                return down.ok(std::move(x));
            }
            bool err(err_info&& e) { return down.err(std::move(e)); }
        };

        asio::awaitable<item<value_type>> next_awaiting() {
            for (;;) {
                auto r = co_await this->up_.c.next();
                if (!r || !r->has_value()) co_return r;
                const value_type& x = **r;
                const bool keep = co_await std::invoke(this->f_, x);
                if (keep) co_return r;
            }
        }
    };
};

} // namespace detail

/// Keeps the Ok items that satisfy `p`; Err items always pass.
inline constexpr detail::stage_fn<detail::filter_stage> filter{};

} // namespace rill::async
