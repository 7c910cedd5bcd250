/// \file
/// One-item streams: `pure(x)` (monadic return) and `failed<T>(e)`; `lift`
/// builds on the same type.
#pragma once

#include <rill/detail/stream_base.hpp>

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

/// The one-item stream `Ok(x)`: monadic return.
template <class T>
constexpr single_stream<std::decay_t<T>> pure(T&& x) {
    return single_stream<std::decay_t<T>>(result<std::decay_t<T>>(tl::in_place, std::forward<T>(x)));
}

/// The one-item stream `Err(e)`.
template <class T>
single_stream<T> failed(err_info e) {
    return single_stream<T>(result<T>(tl::unexpect, std::move(e)));
}

} // namespace rill
