/// \file
/// `async::run(context, awaitable)`: runs an awaitable to its end on an
/// io_context and returns its result (or rethrows its exception), for `main`
/// and tests.
#pragma once

#include <rill/async/core.hpp>

#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

template <class T>
asio::awaitable<void> run_into(asio::awaitable<T> a, std::optional<T>& out) {
    T v = co_await std::move(a);
    out.emplace(std::move(v));
}

inline asio::awaitable<void> run_into(asio::awaitable<void> a, std::optional<bool>& out) {
    co_await std::move(a);
    out.emplace(true);
}

} // namespace detail

/// Spawns `a` on `ctx` and runs `ctx` until `a` is done, then runs what else is
/// ready (so the handlers a run left behind, such as a closed generator's last
/// steps, finish). Returns `a`'s value, or rethrows its exception. `ctx` may
/// be used again afterwards.
template <class T>
T run(asio::io_context& ctx, asio::awaitable<T> a) {
    using slot = std::conditional_t<std::is_void_v<T>, bool, T>;
    std::optional<slot> out;
    std::exception_ptr ep;
    bool done = false;
    asio::co_spawn(ctx, detail::run_into(std::move(a), out), [&](std::exception_ptr e) {
        ep = e;
        done = true;
    });
    ctx.restart();
    while (!done && ctx.run_one()) {
    }
    ctx.poll();
    if (ep) std::rethrow_exception(ep);
    if (!done)
        throw std::logic_error("rill::async::run: the io_context stopped before the awaitable finished");
    if constexpr (!std::is_void_v<T>) return std::move(*out);
}

/// `run` on the io_context of the executor `ex`.
template <class T>
T run(const asio::io_context::executor_type& ex, asio::awaitable<T> a) {
    return run(ex.context(), std::move(a));
}

/// `run` on a private io_context, made and destroyed for this call.
template <class T>
T run(asio::awaitable<T> a) {
    asio::io_context ctx;
    return run(ctx, std::move(a));
}

} // namespace rill::async
