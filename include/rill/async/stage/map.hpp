/// \file
/// `async::map(f)`: `T -> U` or `T -> asio::awaitable<U>` on Ok items; Err items pass unchanged.
#pragma once

#include <rill/async/core.hpp>

#include <functional>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

struct map_stage {
    template <class T, class F>
    using value = std::remove_cvref_t<call_t<F, T&&>>;

    template <class T, class F>
    static constexpr void check() {
        static_assert(invocable<F, T&&>,
                      "rill::async::map: the function cannot be called with the stream's item type (it is "
                      "called with each Ok value as an rvalue T).");
        if constexpr (invocable<F, T&&>)
            static_assert(!std::is_void_v<call_t<F, T&&>>,
                          "rill::async::map: the function returns void (or awaitable<void>). Did you mean "
                          "async::tap (a side effect on each Ok item) or async::for_each (a sink)?");
    }

    template <class C, class F>
    class cursor : public fn_cursor<C, F>,
                   public sync_stage<cursor<C, F>, typename C::value_type, value<typename C::value_type, F>> {
        using in = typename C::value_type;

    public:
        using value_type = value<in, F>;

        using fn_cursor<C, F>::fn_cursor;

    private:
        friend sync_stage<cursor, in, value_type>;
        static constexpr bool plain = !returns_awaitable<F, in&&>;

        template <class K>
        struct pusher {
            cursor& self;
            K& down;
            bool ok(in&& x) { return down.ok(std::invoke(self.f_, std::move(x))); }
            bool err(err_info&& e) { return down.err(std::move(e)); }
        };

        asio::awaitable<item<value_type>> next_awaiting() {
            auto r = co_await this->up_.c.next();
            if (!r) co_return std::nullopt;
            if (!r->has_value()) [[unlikely]]
                co_return fail<value_type>(std::move(r->error()));
            value_type v = co_await std::invoke(this->f_, std::move(**r));
            co_return ok<value_type>(std::move(v));
        }
    };
};

} // namespace detail

/// Applies `f` to every Ok item: `s | async::map(f)` or `async::map(s, f)`;
/// `f` returns a `U` or an `asio::awaitable<U>` (awaited before the next pull).
inline constexpr detail::stage_fn<detail::map_stage> map{};

} // namespace rill::async
