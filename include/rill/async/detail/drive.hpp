/// \file
/// The loop behind every async sink: pulls a run to its end (or until the sink
/// stops it) and always closes it, also when an exception or a cancellation
/// stops the loop, before returning or rethrowing.
#pragma once

#include <rill/async/core.hpp>

#include <exception>
#include <utility>

namespace rill::async::detail {

/// Runs cursor `c` into sink `k`: `k.ok(T&&)` and `k.err(err_info&&)` return
/// whether to go on (a `bool`, or an `asio::awaitable<bool>` that is awaited),
/// and `std::move(k).finish()` is the result. The cursor and the sink live in
/// this coroutine's frame: a stable address for the whole run.
template <class C, class K>
asio::awaitable<decltype(std::declval<K&&>().finish())> drive(C c, K k) {
    using T = typename C::value_type;
    std::exception_ptr ep;
    bool ended = false;
    try {
        for (;;) {
            if constexpr (drains<C> && !is_awaitable_v<decltype(k.ok(std::declval<T&&>()))>) {
                // What is ready is pushed into the sink without suspending (core.hpp, `drains`).
                const drained d = c.try_drain(k);
                if (d == drained::ended) {
                    ended = true;
                    break;
                }
                if (d == drained::stopped) break;
            }
            auto r = co_await c.next();
            if (!r) {
                ended = true;
                break;
            }
            bool more;
            if (r->has_value()) {
                if constexpr (is_awaitable_v<decltype(k.ok(std::declval<T&&>()))>) more = co_await k.ok(std::move(**r));
                else more = k.ok(std::move(**r));
            } else {
                more = k.err(std::move(r->error()));
            }
            if (!more) break;
        }
    } catch (...) {
        ep = std::current_exception();
    }
    RILL_ASYNC_SHIELDED(co_await close_with(c, how_ended(ep != nullptr, ended)));
    if (ep) std::rethrow_exception(ep);
    co_return std::move(k).finish();
}

} // namespace rill::async::detail
