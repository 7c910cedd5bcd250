/// \file
/// `async::concat(a, b, ...)`: the items of `a`, then those of `b`, ...; each
/// part's run is closed before the next part's run is opened.
#pragma once

#include <rill/async/core.hpp>
#include <rill/concepts.hpp> // rill::detail::dependent_false

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace rill::async {

/// The stream made by `async::concat(a, b, ...)`: runs each part to its end,
/// one after the other. A part's run is opened when the one before it has
/// ended and has been closed (with `exit_case::completed`), so a resource held
/// by one part is released before the next part acquires its own. Items, Err
/// items included, pass unchanged.
template <class... S>
class concat_stream {
    static constexpr std::size_t N = sizeof...(S);

public:
    /// The type of the items' values (the parts all have it).
    using value_type = value_t<std::tuple_element_t<0, std::tuple<S...>>>;

    /// Holds the parts; made by `async::concat`, not directly.
    template <class... A>
    explicit concat_stream(std::in_place_t, A&&... a) : parts_(std::forward<A>(a)...) {}

    /// READ THIS IF YOUR COMPILE BREAKS HERE: `async::concat` has no pipe form.
    /// Write `async::concat(s, t)`, not `s | async::concat(t)`.
    template <class L>
        requires any_stream<L>
    friend auto operator|(L&&, const concat_stream&) {
        static_assert(rill::detail::dependent_false<L>,
                      "rill::async::concat takes the call form: async::concat(a, b, ...). Write "
                      "async::concat(s, t), not s | async::concat(t): concat has no pipe form.");
    }

    /// A run: the parts' descriptions and the run of the part in progress.
    class cursor {
        using running = std::variant<std::monostate, cursor_t<S&&>...>; // alternative I + 1: part I

    public:
        /// The type of the items' values.
        using value_type = concat_stream::value_type;

        /// Takes the run's copies of the parts; opens the first (which does nothing else).
        explicit cursor(std::tuple<S...> parts) : parts_(std::move(parts)) {
            run_.template emplace<1>(std::move(std::get<0>(parts_)).open());
        }

        /// The next item of the part in progress; at its end, closes it and goes on with the next part.
        asio::awaitable<item<value_type>> next() {
            while (run_.index() != 0) {
                auto r = co_await pull_current();
                if (r) co_return r;
            }
            co_return std::nullopt;
        }

        /// Closes the part in progress (the parts before it are closed, the ones after it never opened).
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            if (run_.index() == 0) co_return;
            co_await close_current(how);
            run_.template emplace<0>();
        }

    private:
        // One item of part I; at its end, part I is closed and part I + 1 opened.
        template <std::size_t I>
        asio::awaitable<item<value_type>> pull() {
            auto& c = std::get<I + 1>(run_);
            auto r = co_await c.next();
            if (r) co_return r;
            co_await detail::close_with(c, exit_case::completed);
            run_.template emplace<0>(); // destroyed before the next part opens
            if constexpr (I + 1 < N) run_.template emplace<I + 2>(std::move(std::get<I + 1>(parts_)).open());
            co_return r;
        }

        template <std::size_t I>
        asio::awaitable<void> close_part(exit_case how) {
            return detail::close_with(std::get<I + 1>(run_), how);
        }

        // Part run_.index() - 1's pull / close: the runtime index picks the compile-time part.
        asio::awaitable<item<value_type>> pull_current() {
            return [this]<std::size_t... I>(std::index_sequence<I...>) {
                using fn = asio::awaitable<item<value_type>> (cursor::*)();
                constexpr fn table[] = {&cursor::template pull<I>...};
                return (this->*table[run_.index() - 1])();
            }(std::make_index_sequence<N>{});
        }
        asio::awaitable<void> close_current(exit_case how) {
            return [this, how]<std::size_t... I>(std::index_sequence<I...>) {
                using fn = asio::awaitable<void> (cursor::*)(exit_case);
                constexpr fn table[] = {&cursor::template close_part<I>...};
                return (this->*table[run_.index() - 1])(how);
            }(std::make_index_sequence<N>{});
        }

        std::tuple<S...> parts_;
        running run_{};
    };

    /// Opens a run over copies of the parts.
    cursor open() const& { return cursor(parts_); }
    /// Opens a run that takes the parts.
    cursor open() && { return cursor(std::move(parts_)); }

private:
    std::tuple<S...> parts_;
};

namespace detail {
struct concat_fn {
    /// READ THIS IF YOUR COMPILE BREAKS HERE: `async::concat` has no pipe form.
    /// Write `async::concat(s, t)`, not `s | async::concat`.
    template <class L>
        requires any_stream<L>
    friend auto operator|(L&&, const concat_fn&) {
        static_assert(rill::detail::dependent_false<L>,
                      "rill::async::concat takes the call form: async::concat(a, b, ...). Write "
                      "async::concat(s, t), not s | async::concat: concat has no pipe form.");
    }

    template <class... S>
    auto operator()(S&&... s) const {
        static_assert(sizeof...(S) >= 1, "rill::async::concat: give it at least one stream.");
        static_assert((any_stream<S> && ...),
                      "rill::async::concat: every argument must be an async stream (wrap a sync rill stream "
                      "with async::from).");
        if constexpr (sizeof...(S) >= 1 && (any_stream<S> && ...)) {
            using T = value_t<std::tuple_element_t<0, std::tuple<S...>>>;
            static_assert((std::is_same_v<value_t<S>, T> && ...),
                          "rill::async::concat: every stream must have the same item type.");
            return concat_stream<std::remove_cvref_t<S>...>(std::in_place, std::forward<S>(s)...);
        }
    }
};
} // namespace detail

/// The items of each async stream in turn: `async::concat(a, b, c)` (call form
/// only). Each part's run is closed before the next one is opened.
inline constexpr detail::concat_fn concat{};

} // namespace rill::async
