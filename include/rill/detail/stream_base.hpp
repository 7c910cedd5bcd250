/// \file
/// The interface every rill stream shares: `open()` in its lvalue and rvalue
/// forms, and `begin()`/`end()` so that a stream is an input range.
#pragma once

#include <rill/concepts.hpp>

#include <cstddef>
#include <iterator>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {

/// The iterator of a run: owns the cursor and the current item. Each `begin()`
/// starts a fresh run and pulls its first item.
template <cursor C>
class stream_iterator {
public:
    using value_type = result<typename C::value_type>;
    using reference = value_type&;
    using difference_type = std::ptrdiff_t;
    using iterator_concept = std::input_iterator_tag;
    using iterator_category = std::input_iterator_tag;

    explicit stream_iterator(C c) : cursor_(std::move(c)) { detail::pull_into(cursor_, item_); }
    /// Starts the run `make()` opens, building its cursor in place, and pulls
    /// its first item. (Moving a cursor just built costs more than it seems: a
    /// copy of fields written a moment before stalls on store forwarding.)
    template <class Make>
        requires std::is_same_v<std::invoke_result_t<Make&>, C>
    stream_iterator(std::in_place_t, Make make) : cursor_(make()) {
        detail::pull_into(cursor_, item_);
    }

    stream_iterator(stream_iterator&&) = default;
    // Cursors need not be assignable: rebuild in place instead.
    stream_iterator& operator=(stream_iterator&& o) noexcept(std::is_nothrow_move_constructible_v<C>) {
        if (this != &o) {
            cursor_.~C();
            ::new (static_cast<void*>(&cursor_)) C(std::move(o.cursor_));
            item_ = std::move(o.item_);
        }
        return *this;
    }

    reference operator*() const { return *item_; }
    value_type* operator->() const { return &*item_; }

    [[gnu::always_inline]] stream_iterator& operator++() {
        detail::pull_into(cursor_, item_);
        return *this;
    }
    void operator++(int) { ++*this; }

    friend bool operator==(const stream_iterator& it, std::default_sentinel_t) noexcept { return !it.item_; }

private:
    // The cursor itself, not in a std::optional: g++ keeps a cursor's fields
    // in registers across a loop's iterations only when it is not inside a union.
    C cursor_;
    mutable std::optional<value_type> item_;
};

namespace detail {
template <class Self>
concept can_start = requires(Self&& self) { std::remove_cvref_t<Self>::start(std::forward<Self>(self)); };
} // namespace detail

/// Base of every stream type `D`: `D` provides `static auto start(Self&& self)`
/// (constrained on what it needs) and this gives it `open()`, `begin()`, `end()`.
template <class D>
class stream_base {
public:
    /// Starts a run over a copy of this description: the stream stays reusable.
    template <class Self = D>
        requires detail::can_start<const Self&>
    constexpr auto open() const& {
        return D::start(static_cast<const D&>(*this));
    }
    /// Starts a run that takes this description's state (no copy).
    template <class Self = D>
        requires detail::can_start<Self&&>
    constexpr auto open() && {
        return D::start(static_cast<D&&>(*this));
    }

    /// Starts a fresh run and pulls its first item.
    template <class Self = D>
        requires detail::can_start<const Self&>
    auto begin() const {
        return stream_iterator<decltype(D::start(std::declval<const D&>()))>(std::in_place, [this] { return open(); });
    }
    std::default_sentinel_t end() const noexcept { return {}; }
};

} // namespace rill
