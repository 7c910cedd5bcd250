/// \file
/// `of(a, b, ...)`: a stream of the given values, held inline.
#pragma once

#include <rill/detail/stream_base.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {

/// A stream of `N` items held inline in the description (and in each run's cursor).
/// `E` is either `T` (Ok items) or `result<T>` (items as they are).
template <class E, std::size_t N>
class of_stream : public stream_base<of_stream<E, N>> {
public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = unwrap_result_t<E>;

    /// Holds the description; made by the matching function object, not directly.
    template <class... A>
    explicit constexpr of_stream(std::in_place_t, A&&... a) : items_{E(std::forward<A>(a))...} {}

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = unwrap_result_t<E>;
        /// Starts the run's state; called by `start`.
        explicit constexpr cursor(std::array<E, N> items) : items_(std::move(items)) {}
        /// The next item of the run, or `std::nullopt` at its end.
        constexpr std::optional<result<value_type>> next() {
            if (pos_ == N) return std::nullopt;
            E& e = items_[pos_++];
            if constexpr (is_result_v<E>) {
                if (!e.has_value()) {
                    auto out = detail::fail<value_type>(std::move(e.error()));
                    detail::stamp(*out, "of", pos_ - 1);
                    return out;
                }
                return detail::ok<value_type>(std::move(*e));
            } else {
                return detail::ok<value_type>(std::move(e));
            }
        }

        /// Pushes the rest of the run's items into `sink`: the push protocol beside `next()`.
        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            while (pos_ < N) {
                E& e = items_[pos_++];
                if constexpr (is_result_v<E>) {
                    if (!e.has_value()) {
                        e.error().at("of", pos_ - 1);
                        if (!sink.err(std::move(e.error()))) return false;
                        continue;
                    }
                    if (!sink.ok(std::move(*e))) return false;
                } else {
                    if (!sink.ok(std::move(e))) return false;
                }
            }
            return true;
        }

    private:
        std::array<E, N> items_;
        std::size_t pos_ = 0;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
        requires std::is_constructible_v<std::array<E, N>, detail::like_t<Self, std::array<E, N>>>
    static constexpr cursor start(Self&& self) {
        return cursor(detail::fwd_like<Self>(self.items_));
    }

private:
    std::array<E, N> items_;
};

/// The stream of the given values as Ok items (values that are `result<T>`s are
/// taken as they are, so `of(result<int>(1), result<int>(rill::err("E", "m")))`
/// makes an Ok and an Err item).
template <class A, class... B>
constexpr auto of(A&& a, B&&... b) {
    using E = std::common_type_t<std::decay_t<A>, std::decay_t<B>...>;
    return of_stream<E, 1 + sizeof...(B)>(std::in_place, std::forward<A>(a), std::forward<B>(b)...);
}

} // namespace rill
