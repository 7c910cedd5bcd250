/// \file
/// `concat(a, b, ...)`: the items of `a`, then those of `b`, ...
#pragma once

#include <rill/detail/stream_base.hpp>

#include <cstddef>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace rill {

/// Runs each stream to its end, one after the other. Each part's run ends (and
/// releases what it acquired) before the next part opens.
template <class... S>
class concat_stream : public stream_base<concat_stream<S...>> {
    static constexpr std::size_t N = sizeof...(S);
    using first = std::tuple_element_t<0, std::tuple<S...>>;

public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = value_t<first>;
    /// True when the stream can be run only once, because a part of it can.
    static constexpr bool one_shot = detail::any_one_shot<S...>;

    /// Holds the description; made by the matching function object, not directly.
    template <class... A>
    explicit constexpr concat_stream(std::in_place_t, A&&... a) : parts_(std::forward<A>(a)...) {}

    /// READ THIS IF YOUR COMPILE BREAKS HERE: `concat` has no pipe form. Write
    /// `rill::concat(s, t)`, not `s | rill::concat(t)`.
    template <class L>
        requires any_stream<L>
    friend constexpr auto operator|(L&&, const concat_stream&) {
        static_assert(detail::dependent_false<L>,
                      "rill::concat takes the call form: rill::concat(a, b, ...). Write rill::concat(s, t), "
                      "not s | rill::concat(t) or s | rill::concat: concat has no pipe form.");
    }

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = concat_stream::value_type;

        /// Starts the run's state; called by `start`.
        explicit constexpr cursor(std::tuple<S...> parts) : streams_(std::move(parts)) { open_part<0>(); }

        /// The next item of the run, or `std::nullopt` at its end.
        constexpr std::optional<result<value_type>> next() {
            std::optional<result<value_type>> out;
            while (!out && running_.index() != 0) {
                [&]<std::size_t... I>(std::index_sequence<I...>) {
                    (void)((running_.index() == I + 1 ? (step<I>(out), true) : false) || ...);
                }(std::make_index_sequence<N>{});
            }
            return out;
        }

        /// Pushes the rest of the run's items into `sink`: the push protocol beside `next()`.
        template <class K>
        constexpr bool drain(K& sink) {
            bool stopped = false;
            while (!stopped && running_.index() != 0) {
                [&]<std::size_t... I>(std::index_sequence<I...>) {
                    (void)((running_.index() == I + 1 ? (stopped = !drain_part<I>(sink), true) : false) || ...);
                }(std::make_index_sequence<N>{});
            }
            return !stopped;
        }

    private:
        template <std::size_t I, class K>
        constexpr bool drain_part(K& sink) {
            if (!detail::drain(std::get<I + 1>(running_), sink)) return false;
            if constexpr (I + 1 < N) open_part<I + 1>();
            else running_.template emplace<0>();
            return true;
        }

        template <std::size_t I>
        constexpr void open_part() {
            // Variant alternative I + 1 is part I's cursor; alternative 0 means "finished".
            // The finished part's run is destroyed before the next one opens.
            running_.template emplace<0>();
            running_.template emplace<I + 1>(std::move(std::get<I>(streams_)).open());
        }

        template <std::size_t I>
        constexpr void step(std::optional<result<value_type>>& out) {
            out = std::get<I + 1>(running_).next();
            if (out) return;
            if constexpr (I + 1 < N) open_part<I + 1>();
            else running_.template emplace<0>();
        }

        std::tuple<S...> streams_;
        std::variant<std::monostate, cursor_t<S&&>...> running_{};
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
        requires(detail::opens<detail::like_t<Self, S>> && ...)
    static constexpr cursor start(Self&& self) {
        return cursor(detail::fwd_like<Self>(self.parts_));
    }

private:
    std::tuple<S...> parts_;
};

namespace detail {
struct concat_fn {
    /// READ THIS IF YOUR COMPILE BREAKS HERE: `concat` has no pipe form. Write
    /// `rill::concat(s, t)`, not `s | rill::concat`.
    template <class L>
        requires any_stream<L>
    friend constexpr auto operator|(L&&, const concat_fn&) {
        static_assert(dependent_false<L>,
                      "rill::concat takes the call form: rill::concat(a, b, ...). Write rill::concat(s, t), "
                      "not s | rill::concat(t) or s | rill::concat: concat has no pipe form.");
    }

    template <class... S>
    constexpr auto operator()(S&&... s) const {
        static_assert(sizeof...(S) >= 1, "rill::concat: give it at least one stream.");
        static_assert((any_stream<S> && ...), "rill::concat: every argument must be a rill stream.");
        if constexpr ((any_stream<S> && ...)) {
            using T = value_t<std::tuple_element_t<0, std::tuple<S...>>>;
            static_assert((std::is_same_v<value_t<S>, T> && ...),
                          "rill::concat: every stream must have the same item type.");
            return concat_stream<std::remove_cvref_t<S>...>(std::in_place, std::forward<S>(s)...);
        }
    }
};
} // namespace detail

/// The items of each stream in turn: `rill::concat(a, b, c)`.
inline constexpr detail::concat_fn concat{};

} // namespace rill
