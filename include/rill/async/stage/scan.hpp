/// \file
/// `async::scan(init, f)`: the running accumulator `acc = f(acc, x)` after each
/// Ok item; `f` returns an `A` or an `asio::awaitable<A>`.
#pragma once

#include <rill/async/core.hpp>

#include <functional>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

struct scan_stage {
    template <class T, class A, class F>
    using value = A;

    template <class T, class A, class F>
    static constexpr void check() {
        static_assert(invocable<F, const A&, T&&>,
                      "rill::async::scan: the function must be callable as f(acc, item) with the accumulator "
                      "(const A&) and an Ok value (T&&).");
        if constexpr (invocable<F, const A&, T&&>)
            static_assert(std::is_assignable_v<A&, call_t<F, const A&, T&&>>,
                          "rill::async::scan: the function must return the accumulator's type (or an "
                          "asio::awaitable of it).");
        static_assert(std::is_copy_constructible_v<A>, "rill::async::scan: the accumulator must be copyable.");
    }

    template <class C, class A, class F>
    class cursor {
        using in = typename C::value_type;

    public:
        using value_type = A;

        template <class B, class G>
        cursor(C up, B&& init, G&& f) : up_{std::move(up)}, acc_(std::forward<B>(init)), f_(std::forward<G>(f)) {}

        asio::awaitable<item<A>> next() {
            auto r = co_await up_.c.next();
            if (!r) co_return std::nullopt;
            if (!r->has_value()) [[unlikely]]
                co_return fail<A>(std::move(r->error()));
            if constexpr (returns_awaitable<F, const A&, in&&>) {
                A next = co_await std::invoke(f_, std::as_const(acc_), std::move(**r));
                acc_ = std::move(next);
            } else {
                acc_ = std::invoke(f_, std::as_const(acc_), std::move(**r));
            }
            co_return ok<A>(acc_);
        }

        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        upstream<C> up_;
        A acc_; // the run's copy of init, then the running value
        F f_;
    };
};

} // namespace detail

/// Emits `acc = f(acc, x)` after each Ok item `x`, starting from a copy of
/// `init` (not emitted), as the sync `rill::scan` does: `s | async::scan(0, f)`
/// or `async::scan(s, 0, f)`. `f(const A&, T&&)` returns an `A` or an
/// `asio::awaitable<A>` (awaited before the next pull). Err items pass through
/// in position, unchanged, and leave the accumulator as it is.
inline constexpr detail::stage_fn<detail::scan_stage> scan{};

} // namespace rill::async
