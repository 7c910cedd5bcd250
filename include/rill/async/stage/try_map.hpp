/// \file
/// `async::try_map(f)`: `T -> result<U>` or `T -> asio::awaitable<result<U>>` on
/// Ok items; an Err returned by `f` becomes an Err item stamped with its position.
#pragma once

#include <rill/async/core.hpp>

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

struct try_map_stage {
    template <class T, class F>
    using value = unwrap_result_t<call_t<F, T&&>>;

    template <class T, class F>
    static constexpr void check() {
        static_assert(invocable<F, T&&>,
                      "rill::async::try_map: the function cannot be called with the stream's item type (it is "
                      "called with each Ok value as an rvalue T).");
        if constexpr (invocable<F, T&&>)
            static_assert(is_result_v<call_t<F, T&&>>,
                          "rill::async::try_map: the function must return rill::result<U> or "
                          "asio::awaitable<rill::result<U>>. Did you mean async::map?");
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
            bool ok(in&& x) {
                const std::size_t index = self.index_++;
                auto r = std::invoke(self.f_, std::move(x));
                if (r.has_value()) [[likely]]
                    return down.ok(std::move(*r));
                rill::detail::stamp(r, "try_map", index);
                return down.err(std::move(r.error()));
            }
            bool err(err_info&& e) {
                ++self.index_;
                return down.err(std::move(e));
            }
        };

        asio::awaitable<item<value_type>> next_awaiting() {
            auto r = co_await this->up_.c.next();
            if (!r) co_return std::nullopt;
            const std::size_t index = index_++;
            if (!r->has_value()) [[unlikely]]
                co_return fail<value_type>(std::move(r->error()));
            result<value_type> v = co_await std::invoke(this->f_, std::move(**r));
            item<value_type> out(std::in_place, std::move(v));
            if (!out->has_value()) [[unlikely]]
                rill::detail::stamp(*out, "try_map", index);
            co_return out;
        }

        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Applies a fallible `f` (`T -> result<U>`, or `T -> asio::awaitable<result<U>>`)
/// to every Ok item; Err items pass unchanged and `f` is not called for them.
inline constexpr detail::stage_fn<detail::try_map_stage> try_map{};

} // namespace rill::async
