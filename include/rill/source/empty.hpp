/// \file
/// `empty<T>()`: the stream with no items.
#pragma once

#include <rill/detail/stream_base.hpp>

#include <optional>

namespace rill {

/// A stream with no items.
template <class T>
class empty_stream : public stream_base<empty_stream<T>> {
public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = T;

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    struct cursor {
        /// The type of the items' values.
        using value_type = T;
        /// The next item of the run, or `std::nullopt` at its end.
        constexpr std::optional<result<T>> next() { return std::nullopt; }
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static constexpr cursor start(Self&&) { return {}; }
};

/// The stream with no items.
template <class T>
constexpr empty_stream<T> empty() { return {}; }

} // namespace rill
