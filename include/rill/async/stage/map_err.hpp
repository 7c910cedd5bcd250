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
    class cursor : public fn_cursor<C, F>,
                   public sync_stage<cursor<C, F>, typename C::value_type, typename C::value_type> {
    public:
        using value_type = typename C::value_type;

        using fn_cursor<C, F>::fn_cursor;

    private:
        friend sync_stage<cursor, value_type, value_type>;
        static constexpr bool plain = !returns_awaitable<F, err_info&&>;

        template <class K>
        struct pusher {
            cursor& self;
            K& down;
            bool ok(value_type&& x) {
                ++self.index_;
                return down.ok(std::move(x));
            }
            bool err(err_info&& e) {
                const std::size_t index = self.index_++;
                // The trace is provenance: it follows the error through its relabelling.
                auto trace = std::move(e.trace);
                err_info out = std::invoke(self.f_, std::move(e));
                if (out.trace.empty()) out.trace = std::move(trace);
                out.at("map_err", index);
                return down.err(std::move(out));
            }
        };

        asio::awaitable<item<value_type>> next_awaiting() {
            auto r = co_await this->up_.c.next();
            if (!r) co_return r;
            const std::size_t index = index_++;
            if (r->has_value()) co_return r;
            auto trace = std::move(r->error().trace);
            err_info e = co_await std::invoke(this->f_, std::move(r->error()));
            if (e.trace.empty()) e.trace = std::move(trace);
            co_return fail_at<value_type>(std::move(e), "map_err", index);
        }

        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Rewrites each Err item's error; its provenance is kept and gains a `map_err` frame.
inline constexpr detail::stage_fn<detail::map_err_stage> map_err{};

} // namespace rill::async
