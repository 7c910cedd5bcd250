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
    class cursor : public fn_cursor<C, F>,
                   public sync_stage<cursor<C, F>, typename C::value_type, typename C::value_type> {
    public:
        using value_type = typename C::value_type;

        using fn_cursor<C, F>::fn_cursor;

    private:
        friend sync_stage<cursor, value_type, value_type>;
        static constexpr bool plain = !returns_awaitable<F, const value_type&>;

        template <class K>
        struct pusher {
            cursor& self;
            K& down;
            bool ok(value_type&& x) {
                std::invoke(self.f_, std::as_const(x));
                return down.ok(std::move(x));
            }
            bool err(err_info&& e) { return down.err(std::move(e)); }
        };

        asio::awaitable<item<value_type>> next_awaiting() {
            auto r = co_await this->up_.c.next();
            if (r && r->has_value()) {
                const value_type& x = **r;
                co_await std::invoke(this->f_, x);
            }
            co_return r;
        }
    };
};

} // namespace detail

/// Observes each Ok item (logging, metrics) without changing the stream; Err items do not reach `f`.
inline constexpr detail::stage_fn<detail::tap_stage> tap{};

} // namespace rill::async
