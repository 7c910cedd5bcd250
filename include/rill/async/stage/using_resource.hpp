/// \file
/// `async::using_resource(acquire, [release,] use)`: a resource acquired at the
/// start of each run and released exactly once, awaited, when the run is done with it.
#pragma once

#include <rill/async/core.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

/// The release of the two-argument form: the resource's destructor does it.
struct destructor_release {};

template <class Acq>
using acquired_t = unwrap_result_t<call_t<Acq>>;

template <class Acq, class Use>
using use_stream_t = std::remove_cvref_t<std::invoke_result_t<Use&, acquired_t<Acq>&>>;

template <class Rel, class R>
inline constexpr bool release_takes_exit_case = std::is_invocable_v<Rel&, R&, exit_case>;

template <class Rel, class R>
inline constexpr bool release_is_awaitable = [] {
    if constexpr (std::is_same_v<Rel, destructor_release>) return false;
    else if constexpr (release_takes_exit_case<Rel, R>) return returns_awaitable<Rel, R&, exit_case>;
    else return returns_awaitable<Rel, R&>;
}();

/// Calls a plain `release`.
template <class Rel, class R>
void release_now(Rel& rel, R& r, exit_case how) {
    if constexpr (std::is_same_v<Rel, destructor_release>) (void)rel, (void)r, (void)how;
    else if constexpr (release_takes_exit_case<Rel, R>) std::invoke(rel, r, how);
    else std::invoke(rel, r);
}

/// Awaits an awaitable `release`.
template <class Rel, class R>
asio::awaitable<void> release_awaited(Rel& rel, R& r, exit_case how) {
    if constexpr (release_takes_exit_case<Rel, R>) co_await std::invoke(rel, r, how);
    else co_await std::invoke(rel, r);
}

/// Awaits an awaitable `release` as a coroutine of its own that no
/// cancellation reaches: a cancellation of the run's coroutine while the
/// release waits on a timer or a socket would otherwise abort that wait, and
/// the release with it. The caller waits for the release to finish.
template <class Rel, class R>
asio::awaitable<void> release_shielded(Rel& rel, R& r, exit_case how) {
    auto ex = co_await asio::this_coro::executor;
    co_await asio::co_spawn(ex, release_awaited(rel, r, how),
                            asio::bind_cancellation_slot(asio::cancellation_slot(), asio::use_awaitable));
}

/// The release a cursor destroyed without `close()` leaves to its executor:
/// its frame owns the resource (and a copy of `release`) until it has run.
template <class Rel, class R>
asio::awaitable<void> release_detached(Rel rel, std::unique_ptr<R> r) {
    co_await release_awaited(rel, *r, exit_case::stopped_early);
}

} // namespace detail

/// The stream made by `async::using_resource`.
///
/// A run acquires on its first `next()`, keeps the resource at a stable address
/// (on the heap) for the run, runs `use(resource)` and releases the resource,
/// after closing the inner run, exactly once: when the inner stream is
/// exhausted (`completed`), when an exception passes through (`failed`; also
/// when the consumer closes after an exception or a cancellation), or when
/// the run is closed before the end (`stopped_early`). A failed acquire is the
/// run's only item. `release` must not throw.
template <class Acq, class Rel, class Use>
class using_resource_stream {
    using R = detail::acquired_t<Acq>;
    using inner = detail::use_stream_t<Acq, Use>;

public:
    /// The type of the items' values.
    using value_type = value_t<inner>;

    /// Holds the description.
    using_resource_stream(Acq a, Rel r, Use u) : acquire_(std::move(a)), release_(std::move(r)), use_(std::move(u)) {}

    /// A run: the resource, the inner run, and how to release.
    class cursor {
        using inner_cursor = cursor_t<inner&&>;
        struct opener {
            inner& s;
            operator inner_cursor() const { return std::move(s).open(); }
        };

    public:
        /// The type of the items' values.
        using value_type = using_resource_stream::value_type;

        /// Takes the run's copies of the functions.
        template <class A, class L, class U>
        cursor(A&& a, L&& l, U&& u)
            : acquire_(std::forward<A>(a)), release_(std::forward<L>(l)), use_(std::forward<U>(u)) {}
        /// Moves a run that has not started.
        cursor(cursor&&) = default;
        cursor& operator=(cursor&&) = delete;

        /// Not closed: the inner run is destroyed, then a plain `release` is
        /// called, an awaitable one started detached on the run's executor.
        ~cursor() {
            if (!res_) return;
            inner_.reset();
            if constexpr (detail::release_is_awaitable<Rel, R>) {
                asio::co_spawn(ex_, detail::release_detached<Rel, R>(std::move(release_), std::move(res_)),
                               asio::detached);
                detail::count_unclosed();
            } else {
                detail::release_now(release_, *res_, exit_case::stopped_early);
            }
        }

        /// The next item of the inner run (acquiring first); releases at its end.
        asio::awaitable<item<value_type>> next() {
            if (!inner_) {
                if (started_) co_return std::nullopt;
                started_ = true;
                ex_ = co_await asio::this_coro::executor;
                std::optional<err_info> failure = co_await acquire();
                if (failure) [[unlikely]]
                    co_return detail::fail_at<value_type>(std::move(*failure), "using_resource", 0);
                std::exception_ptr ep;
                try {
                    inner s = std::invoke(use_, *res_);
                    inner_.emplace(opener{s});
                } catch (...) {
                    ep = std::current_exception();
                }
                if (ep) {
                    RILL_ASYNC_SHIELDED(co_await finish(exit_case::failed));
                    std::rethrow_exception(ep);
                }
            }
            std::exception_ptr ep;
            try {
                auto r = co_await inner_->next();
                if (r) co_return r;
            } catch (...) {
                ep = std::current_exception();
            }
            RILL_ASYNC_SHIELDED(co_await finish(ep ? exit_case::failed : exit_case::completed));
            if (ep) std::rethrow_exception(ep);
            co_return std::nullopt;
        }

        /// Closes the inner run, then releases the resource (once).
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            started_ = true;
            return finish(how);
        }

    private:
        // Acquires; an Err from acquire is returned (nothing to release for it).
        asio::awaitable<std::optional<err_info>> acquire() {
            using got = detail::call_t<Acq>;
            std::optional<got> acquired;
            if constexpr (detail::returns_awaitable<Acq>) {
                got g = co_await std::invoke(acquire_);
                acquired.emplace(std::move(g));
            } else {
                acquired.emplace(std::invoke(acquire_));
            }
            if constexpr (is_result_v<got>) {
                if (!acquired->has_value()) co_return std::move(acquired->error());
                res_ = std::make_unique<R>(std::move(**acquired));
            } else {
                res_ = std::make_unique<R>(std::move(*acquired));
            }
            co_return std::nullopt;
        }

        asio::awaitable<void> finish(exit_case how) {
            if (inner_) {
                co_await detail::close_with(*inner_, how); // what the inner run acquired goes first
                inner_.reset();
            }
            if (res_) {
                auto r = std::move(res_); // exactly once, even if release throws
                if constexpr (detail::release_is_awaitable<Rel, R>) co_await detail::release_shielded(release_, *r, how);
                else detail::release_now(release_, *r, how);
            }
        }

        Acq acquire_;
        Rel release_;
        Use use_;
        asio::any_io_executor ex_{};
        std::unique_ptr<R> res_{};            // a stable address for the run
        std::optional<inner_cursor> inner_{}; // after res_: destroyed first
        bool started_ = false;
    };

    /// Opens a run over copies of the functions.
    cursor open() const& { return cursor(acquire_, release_, use_); }
    /// Opens a run that takes the functions.
    cursor open() && { return cursor(std::move(acquire_), std::move(release_), std::move(use_)); }

private:
    Acq acquire_;
    Rel release_;
    Use use_;
};

namespace detail {
struct using_resource_fn {
    template <class Acq, class Use>
    auto operator()(Acq acquire, Use use) const {
        return (*this)(std::move(acquire), destructor_release{}, std::move(use));
    }
    template <class Acq, class Rel, class Use>
    auto operator()(Acq acquire, Rel release, Use use) const {
        static_assert(std::is_invocable_v<Acq&>,
                      "rill::async::using_resource: acquire must be callable with no arguments and return R, "
                      "result<R>, or an asio::awaitable of either.");
        using R = acquired_t<Acq>;
        static_assert(std::is_invocable_v<Use&, R&>,
                      "rill::async::using_resource: use must be callable with the resource as R&.");
        if constexpr (std::is_invocable_v<Use&, R&>)
            static_assert(any_stream<std::invoke_result_t<Use&, R&>>,
                          "rill::async::using_resource: use must return an async stream (wrap a sync rill "
                          "stream with async::from).");
        static_assert(std::is_same_v<Rel, destructor_release> || std::is_invocable_v<Rel&, R&, exit_case> ||
                          std::is_invocable_v<Rel&, R&>,
                      "rill::async::using_resource: release must be callable as release(R&) or "
                      "release(R&, exit_case), returning void or asio::awaitable<void>.");
        return using_resource_stream<Acq, Rel, Use>(std::move(acquire), std::move(release), std::move(use));
    }
};
} // namespace detail

/// A stream that holds a resource for each run: `acquire() -> R | result<R>`
/// (or an awaitable of either), `use(R&) -> async stream`, and optionally
/// `release(R&)` or `release(R&, exit_case)` returning `void` or `asio::awaitable<void>`.
inline constexpr detail::using_resource_fn using_resource{};

} // namespace rill::async
