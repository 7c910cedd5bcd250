/// \file
/// `async::offload(pool, f)`: a blocking sync function, run on a thread pool
/// from an async pipeline, which waits for it without blocking its own thread
/// and resumes on its own executor.
#pragma once

#include <rill/async/core.hpp>
#include <rill/async/stage/par_map.hpp>

#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/is_executor.hpp>
#include <asio/execution/executor.hpp>
#include <asio/execution/outstanding_work.hpp>
#include <asio/post.hpp>
#include <asio/prefer.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace rill::async {

/// Options of `async::offload`, for designated initialisers: `{.concurrency = 4}`.
struct offload_options {
    /// Calls of `f` in flight at most, each on a thread of the pool (items stay
    /// in input order); at least 1. With more than 1, `f` is called from several
    /// threads at once.
    std::size_t concurrency = 1;
};

namespace detail {

/// The executor of a pool given to `offload`: an execution context's
/// (`asio::thread_pool`, `asio::io_context`), or the executor itself.
template <class P>
auto pool_executor(P& p) {
    if constexpr (asio::is_executor<P>::value || asio::execution::is_executor<P>::value) {
        return p;
    } else {
        static_assert(requires { p.get_executor(); },
                      "rill::async::offload: the pool must be an asio execution context (such as "
                      "asio::thread_pool) or an executor.");
        return p.get_executor();
    }
}

// The three steps of one offloaded call: the job on a pool thread, then its
// outcome handed back to the awaiting coroutine on that coroutine's executor.
template <class R, class Handler, class Work>
struct offload_resume {
    Handler handler;
    std::exception_ptr error;
    std::optional<R> value;
    Work work; // released here, on the awaiting coroutine's thread, with this handler
    void operator()() { std::move(handler)(error, std::move(value)); }
};

template <class R, class Handler, class Job, class Work>
struct offload_job {
    Handler handler; // owns the awaiting coroutine while the job runs
    Job job;
    Work work; // keeps the awaiting coroutine's executor from running out of work meanwhile

    void operator()() {
        std::exception_ptr error;
        std::optional<R> value;
        try {
            value.emplace(job());
        } catch (...) {
            error = std::current_exception();
        }
        // The work guard travels with the outcome and is released on the
        // coroutine's thread. Once the outcome is posted, this thread must not
        // touch that executor's context again: the coroutine may end at once,
        // and its context be destroyed (async::run returns as soon as its
        // awaitable is done, outstanding work or not). So the post goes
        // through an untracked copy of the executor, whose destruction here
        // does not reach the context.
        const auto home = asio::prefer(work.get_executor(), asio::execution::outstanding_work.untracked);
        asio::post(home, offload_resume<R, Handler, Work>{std::move(handler), error, std::move(value), std::move(work)});
    }
};

template <class R, class PoolEx>
struct offload_initiation {
    PoolEx pool;

    template <class Handler, class Job>
    void operator()(Handler&& handler, Job job) const {
        auto work = asio::make_work_guard(asio::get_associated_executor(handler));
        using work_t = decltype(work);
        asio::post(pool, offload_job<R, std::decay_t<Handler>, Job, work_t>{std::forward<Handler>(handler),
                                                                           std::move(job), std::move(work)});
    }
};

/// `job()` on `pool`, awaited: gives its value or rethrows its exception, on
/// the awaiting coroutine's executor. Not cancellable: a blocking call cannot
/// be interrupted, so the await always lasts until `job` has returned.
template <class R, class PoolEx, class Job>
asio::awaitable<std::optional<R>> on_pool(const PoolEx& pool, Job job) {
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr, std::optional<R>)>(
        offload_initiation<R, PoolEx>{pool}, asio::use_awaitable, std::move(job));
}

/// One call of the user's `f` with its item, run by a pool thread.
template <class F, class T>
struct offload_bound {
    F* f;
    T x;
    decltype(auto) operator()() { return std::invoke(*f, std::move(x)); }
};

/// What `offload` gives `par_map`: an awaitable function that runs `f` on the pool.
template <class PoolEx, class F>
struct offload_call {
    PoolEx pool;
    F f; // lives in par_map's shared state for the whole run: the pool threads call it there

    template <class T>
    asio::awaitable<std::remove_cvref_t<std::invoke_result_t<F&, T&&>>> operator()(T x) {
        using U = std::remove_cvref_t<std::invoke_result_t<F&, T&&>>;
        offload_bound<F, T> job{&f, std::move(x)};
        std::optional<U> v = co_await on_pool<U>(pool, std::move(job));
        co_return std::move(*v);
    }
};

struct offload_fn {
    template <class S, class P, class F>
        requires any_stream<S>
    auto operator()(S&& s, P&& pool, F f, offload_options o = {}) const {
        using T = value_t<S>;
        static_assert(std::is_invocable_v<F&, T&&>,
                      "rill::async::offload: the function cannot be called with the stream's item type (it is "
                      "called with each Ok value as an rvalue T).");
        if constexpr (std::is_invocable_v<F&, T&&>) {
            using R = std::invoke_result_t<F&, T&&>;
            static_assert(!std::is_void_v<R>, "rill::async::offload: the function returns void.");
            static_assert(!is_awaitable_v<R>,
                          "rill::async::offload: the function returns an asio::awaitable; offload is for blocking "
                          "sync functions (use async::map or async::par_map for a coroutine).");
        }
        check(o);
        auto ex = pool_executor(pool);
        using call = offload_call<decltype(ex), F>;
        return rill::async::par_map(std::forward<S>(s), call{std::move(ex), std::move(f)},
                       par_options{.concurrency = o.concurrency, .ordered = true});
    }
    template <class P, class F>
        requires(!any_stream<P>)
    auto operator()(P&& pool, F f, offload_options o = {}) const {
        check(o);
        return make_closure<offload_fn>(pool_executor(pool), std::move(f), o);
    }

private:
    static void check(const offload_options& o) {
        if (o.concurrency == 0)
            throw std::invalid_argument("rill::async::offload: opts.concurrency must be at least 1");
    }
};

} // namespace detail

/// Runs a blocking sync function on a thread pool: `s | async::offload(pool, f)`
/// or `async::offload(s, pool, f, {.concurrency = 4})`, `pool` an
/// `asio::thread_pool` (or any execution context or executor) that outlives
/// the run. Each Ok item `x` is `f(std::move(x))` called on a pool thread while
/// the pipeline's coroutine waits without blocking its thread, and resumes on
/// its own executor with the value. Err items keep their place and `f` is not
/// called for them. Up to `opts.concurrency` calls run at once (default 1),
/// items in input order; at most that many items are pulled and not yet
/// returned. An exception from `f` is rethrown by `next()` at its position.
/// A call cannot be interrupted: a cancelled `next()`, and `close()`, wait
/// until the calls in flight have returned, so none outlives the run.
inline constexpr detail::offload_fn offload{};

} // namespace rill::async
