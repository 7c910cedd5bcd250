/// \file
/// One-item streams: `pure(x)` (monadic return, an `of(x)`) and
/// `failed<T>(e)`; `lift` builds on `single_stream`.
#pragma once

#include <rill/detail/stream_base.hpp>
#include <rill/source/of.hpp>

#include <optional>
#include <type_traits>
#include <utility>

namespace rill {

/// A stream of exactly one item, held inline (never on the heap).
template <class T>
class single_stream : public stream_base<single_stream<T>> {
public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = T;

    /// Holds the description; made by the matching function object, not directly.
    explicit constexpr single_stream(result<T> item) : item_(std::move(item)) {}

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = T;
        /// Starts the run's state; called by `start`.
        explicit constexpr cursor(result<T> item) : item_(std::in_place, std::move(item)) {}
        /// The next item of the run, or `std::nullopt` at its end.
        constexpr std::optional<result<T>> next() {
            std::optional<result<T>> out = std::move(item_);
            item_.reset();
            return out;
        }

        /// Pushes the item, if it has not been taken yet, into `sink`.
        template <class K>
        constexpr bool drain(K& sink) {
            if (!item_) return true;
            result<T>& r = *item_;
            const bool more = r.has_value() ? sink.ok(std::move(*r)) : sink.err(std::move(r.error()));
            item_.reset();
            return more;
        }

    private:
        std::optional<result<T>> item_;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
        requires std::is_constructible_v<result<T>, detail::like_t<Self, result<T>>>
    static constexpr cursor start(Self&& self) {
        return cursor(detail::fwd_like<Self>(self.item_));
    }

private:
    result<T> item_;
};

/// The one-item stream `Ok(x)`: monadic return. It is `of(x)`: the value
/// held inline, no `err_info` beside it, so `and_then(... pure(y))` costs
/// what a loop costs.
template <class T>
constexpr auto pure(T&& x) {
    using V = std::decay_t<T>;
    if constexpr (is_result_v<V>) // of(r) would take a result as the item itself
        return single_stream<V>(result<V>(tl::in_place, std::forward<T>(x)));
    else
        return of_stream<V, 1>(std::in_place, std::forward<T>(x));
}

/// The one-item stream `Err(e)`.
template <class T>
single_stream<T> failed(err_info e) {
    return single_stream<T>(result<T>(tl::unexpect, std::move(e)));
}

} // namespace rill
