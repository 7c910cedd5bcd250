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
    using value_type = T;

    struct cursor {
        using value_type = T;
        constexpr std::optional<result<T>> next() { return std::nullopt; }
    };

    template <class Self>
    static constexpr cursor start(Self&&) { return {}; }
};

/// The stream with no items.
template <class T>
constexpr empty_stream<T> empty() { return {}; }

} // namespace rill
