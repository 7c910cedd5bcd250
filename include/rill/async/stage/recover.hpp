/// \file
/// `async::recover(f)`: `err_info -> T`, `err_info -> result<T>`, or an
/// `asio::awaitable` of either, on Err items; Ok items pass unchanged.
#pragma once

#include <rill/async/core.hpp>

#include <cstddef>
#include <functional>
#include <utility>

namespace rill::async {
namespace detail {

struct recover_stage {
    template <class T, class F>
    using value = T;

    template <class T, class F>
    static constexpr void check() {
        static_assert(invocable<F, err_info&&>,
                      "rill::async::recover: the function must take an err_info and return a T or a result<T>.");
        if constexpr (invocable<F, err_info&&>)
            static_assert(std::is_constructible_v<result<T>, call_t<F, err_info&&>>,
                          "rill::async::recover: the function must return the stream's item type T or a "
                          "result<T> (or an awaitable of one).");
    }

    template <class C, class F>
    class cursor : public fn_cursor<C, F> {
    public:
        using value_type = typename C::value_type;

        using fn_cursor<C, F>::fn_cursor;

        asio::awaitable<item<value_type>> next() {
            auto r = co_await this->up_.c.next();
            if (!r) co_return r;
            const std::size_t index = index_++;
            if (r->has_value()) co_return r;
            item<value_type> out;
            if constexpr (returns_awaitable<F, err_info&&>) {
                call_t<F, err_info&&> v = co_await std::invoke(this->f_, std::move(r->error()));
                out.emplace(std::move(v));
            } else {
                out.emplace(std::invoke(this->f_, std::move(r->error())));
            }
            if (!out->has_value()) rill::detail::stamp(*out, "recover", index);
            co_return out;
        }

    private:
        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Replaces each Err item by `f(error)`: a `T` (recovered) or a `result<T>` (which may still be an Err).
inline constexpr detail::stage_fn<detail::recover_stage> recover{};

} // namespace rill::async
