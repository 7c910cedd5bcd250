/// \file
/// `async::and_then(f)`: monadic bind. Each Ok item `x` is replaced by the items
/// of the async stream `f(x)` (or of the stream an awaitable `f(x)` gives); Err
/// items pass unchanged and `f` is not called for them.
#pragma once

#include <rill/async/core.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

struct and_then_stage {
    template <class T, class F>
    using inner_stream = std::remove_cvref_t<call_t<F, T&&>>;

    template <class T, class F>
    using value = value_t<inner_stream<T, F>>;

    template <class T, class F>
    static constexpr void check() {
        static_assert(invocable<F, T&&>,
                      "rill::async::and_then: the function cannot be called with the stream's item type (it is "
                      "called with each Ok value as an rvalue T).");
        if constexpr (invocable<F, T&&>)
            static_assert(any_stream<call_t<F, T&&>>,
                          "rill::async::and_then: the function must return an async stream (or an "
                          "asio::awaitable of one). Did you mean async::map or async::try_map? A sync rill "
                          "stream can be wrapped with async::from.");
    }

    template <class C, class F>
    class cursor : public fn_cursor<C, F> {
        using in = typename C::value_type;
        using inner = inner_stream<in, F>;
        using inner_cursor = cursor_t<inner&&>;

        struct opener {
            inner& s;
            operator inner_cursor() const { return std::move(s).open(); }
        };

    public:
        using value_type = value_t<inner>;

        using fn_cursor<C, F>::fn_cursor;

        asio::awaitable<item<value_type>> next() {
            for (;;) {
                if (inner_) {
                    auto r = co_await inner_->next();
                    if (r) {
                        if (!r->has_value()) [[unlikely]]
                            rill::detail::stamp(*r, "and_then", index_ - 1);
                        co_return r;
                    }
                    // The inner run ends (and releases) before the next outer item is pulled.
                    // Shielded, as every close: a cancellation must not cut it short.
                    RILL_ASYNC_SHIELDED(co_await close_with(*inner_, exit_case::completed));
                    inner_.reset();
                }
                auto o = co_await this->up_.c.next();
                if (!o) co_return std::nullopt;
                ++index_;
                if (!o->has_value()) [[unlikely]]
                    co_return fail<value_type>(std::move(o->error()));
                if constexpr (returns_awaitable<F, in&&>) {
                    inner s = co_await std::invoke(this->f_, std::move(**o));
                    inner_.emplace(opener{s});
                } else {
                    inner s = std::invoke(this->f_, std::move(**o));
                    inner_.emplace(opener{s});
                }
            }
        }

        /// Closes the inner run first (it was opened last), then upstream.
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            if (inner_) {
                co_await close_with(*inner_, how);
                inner_.reset();
            }
            co_await this->up_.close(how);
        }

    private:
        std::size_t index_ = 0;               // outer items pulled so far
        std::optional<inner_cursor> inner_{}; // the inner run in progress
    };
};

} // namespace detail

/// Replaces each Ok item `x` by the items of the async stream `f(x)`:
/// `s | async::and_then(f)`. Each inner run is closed before the next outer
/// item is pulled.
inline constexpr detail::stage_fn<detail::and_then_stage> and_then{};

} // namespace rill::async
