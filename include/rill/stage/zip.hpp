/// \file
/// `zip(a, b, ...)`: pairs the i-th items of each stream into a tuple.
#pragma once

#include <rill/detail/stream_base.hpp>

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace rill {

/// Pulls one item from each stream, left to right, and emits them together.
///
/// * Position by position: the i-th items meet, whatever they are.
/// * If every item of a round is Ok, the item is `Ok(std::tuple{a, b, ...})`;
///   otherwise it is the leftmost Err of the round (the round's other items,
///   Ok or Err, are dropped).
/// * The run ends as soon as any stream ends; the items already pulled in that
///   last round from the streams to its left are dropped (as Rust's `zip` does),
///   and every stream's run is released then.
template <class... S>
class zip_stream : public stream_base<zip_stream<S...>> {
public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = std::tuple<value_t<S>...>;
    /// True when the stream can be run only once, because a part of it can.
    static constexpr bool one_shot = detail::any_one_shot<S...>;

    /// Holds the description; made by the matching function object, not directly.
    template <class... A>
    explicit constexpr zip_stream(std::in_place_t, A&&... a) : parts_(std::forward<A>(a)...) {}

    /// READ THIS IF YOUR COMPILE BREAKS HERE: `zip` has no pipe form. Write
    /// `rill::zip(s, t)`, not `s | rill::zip(t)`.
    template <class L>
        requires any_stream<L>
    friend constexpr auto operator|(L&&, const zip_stream&) {
        static_assert(detail::dependent_false<L>,
                      "rill::zip takes the call form: rill::zip(a, b, ...). Write rill::zip(s, t), "
                      "not s | rill::zip(t) or s | rill::zip: zip has no pipe form.");
    }

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    template <class... C>
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = zip_stream::value_type;

        /// Starts the run's state; called by `start`.
        explicit constexpr cursor(C... c) : cursors_(std::move(c)...) {}
        /// Moves the run to a new cursor.
        cursor(cursor&&) = default;
        ~cursor() { release(); }

        /// The next item of the run, or `std::nullopt` at its end.
        constexpr std::optional<result<value_type>> next() {
            if (ended_) return std::nullopt;
            auto items = pull_all(std::index_sequence_for<C...>{});
            if (!items) {
                release();
                return std::nullopt;
            }
            return std::apply([](auto&... r) { return combine(r...); }, *items);
        }

    private:
        // Left to right, stopping at the first stream that has ended.
        template <std::size_t... I>
        constexpr std::optional<std::tuple<result<typename C::value_type>...>> pull_all(std::index_sequence<I...>) {
            std::tuple<std::optional<result<typename C::value_type>>...> got;
            bool ended = false;
            (void)((ended || (std::get<I>(got) = std::get<I>(cursors_)->next(), ended = !std::get<I>(got)), !ended) &&
                   ...);
            if (ended) return std::nullopt;
            return std::apply([](auto&... o) { return std::optional(std::tuple(std::move(*o)...)); }, got);
        }

        template <class... R>
        static constexpr std::optional<result<value_type>> combine(R&... r) {
            if ((r.has_value() && ...)) return detail::ok<value_type>(std::move(*r)...);
            err_info* first = nullptr;
            (void)((!r.has_value() ? (first = &r.error(), true) : false) || ...);
            return detail::fail<value_type>(std::move(*first));
        }

        // Runs are released in reverse order of opening (last stream first).
        constexpr void release() noexcept {
            ended_ = true;
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                constexpr std::size_t n = sizeof...(I);
                ((std::get<n - 1 - I>(cursors_).reset()), ...);
            }(std::index_sequence_for<C...>{});
        }

        std::tuple<std::optional<C>...> cursors_;
        bool ended_ = false;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
        requires(detail::opens<detail::like_t<Self, S>> && ...)
    static constexpr auto start(Self&& self) {
        return std::apply(
            // Braces: the streams are opened left to right.
            [](auto&... p) { return cursor<cursor_t<detail::like_t<Self, S>>...>{detail::fwd_like<Self>(p).open()...}; },
            self.parts_);
    }

private:
    std::tuple<S...> parts_;
};

namespace detail {
struct zip_fn {
    /// READ THIS IF YOUR COMPILE BREAKS HERE: `zip` has no pipe form. Write
    /// `rill::zip(s, t)`, not `s | rill::zip`.
    template <class L>
        requires any_stream<L>
    friend constexpr auto operator|(L&&, const zip_fn&) {
        static_assert(dependent_false<L>,
                      "rill::zip takes the call form: rill::zip(a, b, ...). Write rill::zip(s, t), "
                      "not s | rill::zip(t) or s | rill::zip: zip has no pipe form.");
    }

    template <class... S>
    constexpr auto operator()(S&&... s) const {
        static_assert(sizeof...(S) >= 1, "rill::zip: give it at least one stream.");
        static_assert((any_stream<S> && ...), "rill::zip: every argument must be a rill stream.");
        if constexpr ((any_stream<S> && ...))
            return zip_stream<std::remove_cvref_t<S>...>(std::in_place, std::forward<S>(s)...);
    }
};
} // namespace detail

/// The i-th items of each stream together: `rill::zip(a, b)` gives
/// `result<std::tuple<A, B>>` items. See `zip_stream` for Err items and the end.
inline constexpr detail::zip_fn zip{};

} // namespace rill
