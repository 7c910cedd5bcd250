/// \file
/// Interop with range-v3: the only rill header that includes it.
///
/// Every rill stream is already a C++20 input range (move-only iterators) and
/// `rill::from` accepts range-v3 ranges. range-v3's algorithms and views want
/// copyable iterators; `rill::ranges::view(s)` gives them a view of a stream
/// whose iterators share one run.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <range/v3/iterator/default_sentinel.hpp>
#include <range/v3/view/facade.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

namespace rill::ranges {

/// A range-v3 input view of a rill stream: each `begin()` starts a fresh run
/// (one allocation, so that copies of the iterator share it); items are the
/// stream's `result<T>`.
template <class S>
class stream_view : public ::ranges::view_facade<stream_view<S>, ::ranges::unknown> {
    friend ::ranges::range_access;
    using cursor_type = cursor_t<const S&>;
    using item = result<value_t<S>>;

    struct run {
        explicit run(cursor_type c) : cursor(std::move(c)) { current = cursor.next(); }
        cursor_type cursor;
        std::optional<item> current;
    };

    struct view_cursor {
        std::shared_ptr<run> state;
        item& read() const { return *state->current; }
        void next() { state->current = state->cursor.next(); }
        bool equal(::ranges::default_sentinel_t) const { return !state->current; }
    };

    view_cursor begin_cursor() const { return view_cursor{std::make_shared<run>(stream_->open())}; }

public:
    stream_view() = default;
    /// Holds the stream; made by `rill::ranges::view`.
    explicit stream_view(S s) : stream_(std::make_shared<const S>(std::move(s))) {}

private:
    // Shared, so that the view is semiregular (range-v3 views must be default
    // constructible and assignable) whatever the stream holds.
    std::shared_ptr<const S> stream_;
};

namespace detail {
struct view_fn {
    template <class S>
        requires replayable_stream<S>
    auto operator()(S&& s) const {
        return stream_view<std::remove_cvref_t<S>>(std::forward<S>(s));
    }
    constexpr auto operator()() const { return rill::detail::make_closure<view_fn>(); }
};
} // namespace detail

/// A range-v3 view of a replayable stream's `result<T>` items: `view(s)` or `s | view()`; each `begin()` starts a run.
inline constexpr detail::view_fn view{};

} // namespace rill::ranges
