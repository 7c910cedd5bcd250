/// \file
/// `async::map_err(f)`: `err_info -> err_info` (or `-> asio::awaitable<err_info>`)
/// on Err items; Ok items pass unchanged.
#pragma once

#include <rill/async/core.hpp>

#include <cstddef>
#include <functional>
#include <utility>

namespace rill::async {
namespace detail {

struct map_err_stage {
    template <class T, class F>
    using value = T;

    template <class T, class F>
    static constexpr void check() {
        static_assert(invocable<F, err_info&&>,
                      "rill::async::map_err: the function must take an err_info and return an err_info.");
        if constexpr (invocable<F, err_info&&>)
            static_assert(std::is_convertible_v<call_t<F, err_info&&>, err_info>,
                          "rill::async::map_err: the function must return an err_info (or an awaitable of one).");
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
            // The trace is provenance: it follows the error through its relabelling.
            auto trace = std::move(r->error().trace);
            err_info e;
            if constexpr (returns_awaitable<F, err_info&&>) e = co_await std::invoke(this->f_, std::move(r->error()));
            else e = std::invoke(this->f_, std::move(r->error()));
            if (e.trace.empty()) e.trace = std::move(trace);
            co_return fail_at<value_type>(std::move(e), "map_err", index);
        }

    private:
        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Rewrites each Err item's error; its provenance is kept and gains a `map_err` frame.
inline constexpr detail::stage_fn<detail::map_err_stage> map_err{};

} // namespace rill::async
