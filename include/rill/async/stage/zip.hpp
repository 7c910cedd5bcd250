/// \file
/// `async::zip(a, b, ...)`: pairs the i-th items of each async stream into a tuple.
#pragma once

#include <rill/async/core.hpp>
#include <rill/concepts.hpp> // rill::detail::dependent_false

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace rill::async {

/// The stream made by `async::zip(a, b, ...)`, with the sync `rill::zip`'s rules:
///
/// * Each `next()` awaits one item from each stream, left to right (one after
///   the other, not concurrently): the i-th items meet, whatever they are.
/// * If every item of the round is Ok, the item is `Ok(std::tuple{a, b, ...})`;
///   otherwise it is the round's leftmost Err, unchanged (the round's other
///   items, Ok or Err, are dropped).
/// * The run ends as soon as any stream ends; the items already pulled in that
///   last round from the streams to its left are dropped (as Rust's `zip`
///   does), and then every stream's run is closed, last stream first: the one
///   that ended with `exit_case::completed`, the others with `stopped_early`.
///   Closing the zip's run early closes every stream's run, last first, once.
template <class... S>
class zip_stream {
    static constexpr std::size_t N = sizeof...(S);

public:
    /// The type of the items' values.
    using value_type = std::tuple<value_t<S>...>;

    /// Holds the streams; made by `async::zip`, not directly.
    template <class... A>
    explicit zip_stream(std::in_place_t, A&&... a) : parts_(std::forward<A>(a)...) {}

    /// READ THIS IF YOUR COMPILE BREAKS HERE: `async::zip` has no pipe form.
    /// Write `async::zip(s, t)`, not `s | async::zip(t)`.
    template <class L>
        requires any_stream<L>
    friend auto operator|(L&&, const zip_stream&) {
        static_assert(rill::detail::dependent_false<L>,
                      "rill::async::zip takes the call form: async::zip(a, b, ...). Write async::zip(s, t), "
                      "not s | async::zip(t): zip has no pipe form.");
    }

    /// A run: one run of each stream.
    template <class... C>
    class cursor {
        using round = std::tuple<item<typename C::value_type>...>;

    public:
        /// The type of the items' values.
        using value_type = zip_stream::value_type;

        /// Takes the streams' runs (opened, not yet pulled).
        explicit cursor(C... c) : ups_{detail::upstream<C>{std::move(c)}...} {}

        /// The next round's tuple, its leftmost Err, or the end (after closing every run).
        asio::awaitable<item<value_type>> next() {
            if (ended_) co_return std::nullopt;
            round got;
            const std::size_t ended_at = co_await pull<0>(got);
            if (ended_at < N) {
                ended_ = true;
                co_await close_all<N - 1>(ended_at);
                co_return std::nullopt;
            }
            co_return std::apply([](auto&... r) { return combine(r...); }, got);
        }

        /// Closes every stream's run not closed yet, last stream first.
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            ended_ = true;
            co_await close_all<N - 1>(N, how);
        }

    private:
        // Pulls streams I, I + 1, ... into `got`; gives the index of the first
        // stream that ended, or N when the round is complete.
        template <std::size_t I>
        asio::awaitable<std::size_t> pull(round& got) {
            auto r = co_await std::get<I>(ups_).c.next();
            if (!r) co_return I;
            std::get<I>(got) = std::move(r);
            if constexpr (I + 1 < N) co_return co_await pull<I + 1>(got);
            else co_return N;
        }

        // Closes streams I, I - 1, ..., 0: the one at `ended_at` completed, the
        // others stopped early (or all with `how` when the consumer closes).
        template <std::size_t I>
        asio::awaitable<void> close_all(std::size_t ended_at, exit_case how = exit_case::stopped_early) {
            co_await std::get<I>(ups_).close(I == ended_at ? exit_case::completed : how);
            if constexpr (I > 0) co_await close_all<I - 1>(ended_at, how);
        }

        template <class... R>
        static item<value_type> combine(R&... r) {
            if ((r->has_value() && ...)) return detail::ok<value_type>(std::move(**r)...);
            err_info* first = nullptr;
            (void)((!r->has_value() ? (first = &r->error(), true) : false) || ...);
            return detail::fail<value_type>(std::move(*first));
        }

        std::tuple<detail::upstream<C>...> ups_;
        bool ended_ = false;
    };

    /// Opens a run of each stream (copies of the descriptions), left to right.
    auto open() const& {
        return std::apply([](const auto&... p) { return cursor<cursor_t<const S&>...>{p.open()...}; }, parts_);
    }
    /// Opens a run of each stream, taking the descriptions, left to right.
    auto open() && {
        return std::apply([](auto&... p) { return cursor<cursor_t<S&&>...>{std::move(p).open()...}; }, parts_);
    }

private:
    std::tuple<S...> parts_;
};

namespace detail {
struct zip_fn {
    /// READ THIS IF YOUR COMPILE BREAKS HERE: `async::zip` has no pipe form.
    /// Write `async::zip(s, t)`, not `s | async::zip`.
    template <class L>
        requires any_stream<L>
    friend auto operator|(L&&, const zip_fn&) {
        static_assert(rill::detail::dependent_false<L>,
                      "rill::async::zip takes the call form: async::zip(a, b, ...). Write async::zip(s, t), "
                      "not s | async::zip: zip has no pipe form.");
    }

    template <class... S>
    auto operator()(S&&... s) const {
        static_assert(sizeof...(S) >= 1, "rill::async::zip: give it at least one stream.");
        static_assert((any_stream<S> && ...),
                      "rill::async::zip: every argument must be an async stream (wrap a sync rill stream with "
                      "async::from).");
        if constexpr (sizeof...(S) >= 1 && (any_stream<S> && ...))
            return zip_stream<std::remove_cvref_t<S>...>(std::in_place, std::forward<S>(s)...);
    }
};
} // namespace detail

/// The i-th items of each async stream together: `async::zip(a, b)` gives
/// `result<std::tuple<A, B>>` items (call form only). See `zip_stream` for Err
/// items and for when the run ends.
inline constexpr detail::zip_fn zip{};

} // namespace rill::async
