/// \file
/// `using_resource(acquire, [release,] use)`: a resource acquired at the start
/// of each run and released exactly once when the run is done with it.
#pragma once

#include <rill/detail/recycled_box.hpp>
#include <rill/detail/stop_slot.hpp>
#include <rill/detail/stream_base.hpp>

#include <exception>
#include <functional>
#include <iosfwd>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {

/// How a run ended, as the explicit `release` of `using_resource` sees it.
enum class exit_case {
    completed,     ///< the inner stream was exhausted
    stopped_early, ///< the consumer stopped before the end (break, take, destroyed cursor)
    failed,        ///< an exception is propagating through the run
};

/// Prints `completed`, `stopped_early` or `failed`. (A template, so that this
/// header needs only `<iosfwd>`: the program that prints includes `<ostream>`.)
template <class Traits>
std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& os, exit_case e) {
    switch (e) {
    case exit_case::completed: return os << "completed";
    case exit_case::stopped_early: return os << "stopped_early";
    case exit_case::failed: return os << "failed";
    }
    return os;
}

namespace detail {

/// The release of the two-argument form: the resource's destructor does it.
struct destructor_release {};

template <class Rel, class R>
void call_release(Rel& rel, R& r, exit_case how) {
    if constexpr (std::is_same_v<Rel, destructor_release>) {
        (void)rel, (void)r, (void)how;
    } else if constexpr (std::is_invocable_v<Rel&, R&, exit_case>) {
        std::invoke(rel, r, how);
    } else {
        std::invoke(rel, r);
    }
}

template <class Acq>
using acquired_t = unwrap_result_t<std::invoke_result_t<Acq&>>;

template <class Acq, class Use>
using use_stream_t = std::remove_cvref_t<std::invoke_result_t<Use&, acquired_t<Acq>&>>;

} // namespace detail

/// The stream made by `using_resource`.
///
/// A run acquires when its first item is pulled, keeps the resource at a stable
/// address (on the heap, in memory recycled from the previous run on the same
/// thread: a loop of runs allocates once), runs `use(resource)` and releases the
/// resource, after the inner run's own resources, as soon as: the inner stream
/// is exhausted (`completed`), the cursor is destroyed before that
/// (`stopped_early`), or an exception passes through (`failed`). A failed
/// acquire is the run's only item. `release` must not throw.
template <class Acq, class Rel, class Use>
class using_resource_stream : public stream_base<using_resource_stream<Acq, Rel, Use>> {
    using R = detail::acquired_t<Acq>;
    using inner = detail::use_stream_t<Acq, Use>;

public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = value_t<inner>;
    /// True when the stream can be run only once, because a part of it can.
    static constexpr bool one_shot = detail::any_one_shot<inner>;

    /// Holds the description; made by the matching function object, not directly.
    constexpr using_resource_stream(Acq a, Rel r, Use u) : acquire_(std::move(a)), release_(std::move(r)), use_(std::move(u)) {}

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = using_resource_stream::value_type;

        /// Starts the run's state; called by `start`.
        template <class A, class L, class U>
        cursor(A&& a, L&& l, U&& u) : acquire_(std::forward<A>(a)), release_(std::forward<L>(l)), use_(std::forward<U>(u)) {}

        /// Moves the run to a new cursor.
        cursor(cursor&&) = default;
        ~cursor() {
            if (resource_) finish(exit_on_destruction());
        }

        /// The next item of the run, or `std::nullopt` at its end.
        std::optional<result<value_type>> next() {
            if (!inner_) [[unlikely]] {
                if (started_) return std::nullopt;
                if (auto failure = begin()) [[unlikely]]
                    return detail::fail<value_type>(std::move(*failure));
            }
            try {
                auto r = inner_->next();
                if (r) return r;
            } catch (...) {
                finish(exit_case::failed);
                throw;
            }
            finish(exit_on_end());
            return std::nullopt;
        }

        /// Pushes the rest of the run's items into `sink`: the push protocol beside `next()`.
        template <class K>
        bool drain(K& sink) {
            if (!inner_) [[unlikely]] {
                if (started_) return true;
                if (auto failure = begin()) [[unlikely]]
                    return sink.err(std::move(*failure));
            }
            bool ended;
            try {
                ended = detail::drain(*inner_, sink);
            } catch (...) {
                finish(exit_case::failed);
                throw;
            }
            if (ended) finish(exit_on_end());
            return ended;
        }

    private:
        using inner_cursor = cursor_t<inner&&>;
        struct opener {
            Use& use;
            R& res;
            operator inner_cursor() const { return std::invoke(use, res).open(); }
        };

        // Only a release that takes the exit case needs to tell `failed` from
        // `stopped_early` when the cursor is destroyed; the others skip the
        // count of uncaught exceptions (an out-of-line call into the runtime,
        // through a thread-local lookup: most of a short run's cost).
        static constexpr bool wants_exit_case =
            !std::is_same_v<Rel, detail::destructor_release> && std::is_invocable_v<Rel&, R&, exit_case>;

        // An inner stream that ends while its run is being stopped (a wait
        // inside it was woken by the stop, see rill/run_stop.hpp) did not
        // complete: a release told the exit case hears `stopped_early`.
        exit_case exit_on_end() const noexcept {
            if constexpr (wants_exit_case) {
                if (detail::run_stopping()) [[unlikely]]
                    return exit_case::stopped_early;
            }
            return exit_case::completed;
        }

        // A cursor destroyed while it holds the resource stopped early, unless
        // an exception that was not yet propagating when the run began is.
        exit_case exit_on_destruction() const noexcept {
            if constexpr (wants_exit_case) {
                if (std::uncaught_exceptions() > uncaught_) return exit_case::failed;
            }
            return exit_case::stopped_early;
        }

        // Acquires and opens the inner run; a failed acquire is returned as the
        // run's only item (stamped), and nothing is released for it.
        std::optional<err_info> begin() {
            started_ = true;
            if constexpr (wants_exit_case) uncaught_ = std::uncaught_exceptions();
            auto acquired = std::invoke(acquire_);
            if constexpr (is_result_v<decltype(acquired)>) {
                if (!acquired.has_value()) [[unlikely]] {
                    acquired.error().at("using_resource", 0);
                    return std::move(acquired.error());
                }
                resource_.emplace(std::move(*acquired));
            } else {
                resource_.emplace(std::move(acquired));
            }
            try {
                inner_.emplace(opener{use_, *resource_});
            } catch (...) {
                finish(exit_case::failed);
                throw;
            }
            return std::nullopt;
        }

        void finish(exit_case how) noexcept {
            inner_.reset(); // what the inner run acquired goes first: reverse order
            if (resource_) {
                detail::call_release(release_, *resource_, how);
                resource_.reset();
            }
        }

        Acq acquire_;
        Rel release_;
        Use use_;
        detail::recycled_box<R> resource_{}; // a stable address for the run
        std::optional<inner_cursor> inner_{};
        int uncaught_ = 0; // uncaught exceptions when the run began (wants_exit_case only)
        bool started_ = false;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static cursor start(Self&& self) {
        return cursor(detail::fwd_like<Self>(self.acquire_), detail::fwd_like<Self>(self.release_),
                      detail::fwd_like<Self>(self.use_));
    }

private:
    Acq acquire_;
    Rel release_;
    Use use_;
};

namespace detail {
struct using_resource_fn {
    template <class Acq, class Use>
    constexpr auto operator()(Acq acquire, Use use) const {
        return (*this)(std::move(acquire), destructor_release{}, std::move(use));
    }

    template <class Acq, class Rel, class Use>
    constexpr auto operator()(Acq acquire, Rel release, Use use) const {
        static_assert(std::is_invocable_v<Acq&>,
                      "rill::using_resource: acquire must be callable with no arguments and return R or result<R>.");
        using R = acquired_t<Acq>;
        static_assert(std::is_move_constructible_v<R>, "rill::using_resource: the resource must be movable.");
        static_assert(std::is_invocable_v<Use&, R&>,
                      "rill::using_resource: use must be callable with the resource as R&.");
        if constexpr (std::is_invocable_v<Use&, R&>) {
            static_assert(any_stream<std::invoke_result_t<Use&, R&>>,
                          "rill::using_resource: use must return a stream (use(R&) -> stream).");
        }
        static_assert(std::is_same_v<Rel, destructor_release> || std::is_invocable_v<Rel&, R&, exit_case> ||
                          std::is_invocable_v<Rel&, R&>,
                      "rill::using_resource: release must be callable as release(R&) or release(R&, exit_case).");
        return using_resource_stream<Acq, Rel, Use>(std::move(acquire), std::move(release), std::move(use));
    }
};
} // namespace detail

/// A stream that holds a resource for each run: `acquire() -> R | result<R>`,
/// `use(R&) -> stream`, and optionally `release(R&)` or `release(R&, exit_case)`.
inline constexpr detail::using_resource_fn using_resource{};

} // namespace rill
