/// \file
/// The requirements on cursors and streams, and the traits derived from them.
#pragma once

#include <rill/result.hpp>

#include <concepts>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {

/// A run in progress: `next()` gives the next item, or an empty optional at the end.
/// Cursors move (they own their state) but need not be assignable: they hold
/// the user's functions, and capturing lambdas are not.
template <class C>
concept cursor = std::move_constructible<C> && requires(C& c) {
    typename C::value_type;
    { c.next() } -> std::same_as<std::optional<result<typename C::value_type>>>;
};

namespace detail {
template <class S>
concept opens = requires(S&& s) {
    { std::forward<S>(s).open() } -> cursor;
};
template <class S>
concept declares_one_shot = requires { requires std::remove_cvref_t<S>::one_shot; };
} // namespace detail

/// Any rill stream: a description with a `value_type` whose `open()` starts a run.
template <class S>
concept any_stream = requires { typename std::remove_cvref_t<S>::value_type; } &&
    (detail::opens<const std::remove_cvref_t<S>&> || detail::opens<std::remove_cvref_t<S>&&>);

/// A stream that can be run any number of times: copyable, openable through a
/// const reference, and not a one-shot source (a channel, an input-only range).
template <class S>
concept replayable_stream = any_stream<S> && std::copy_constructible<std::remove_cvref_t<S>> &&
    detail::opens<const std::remove_cvref_t<S>&> && !detail::declares_one_shot<S>;

/// A stream whose items are `result<T>`.
template <class S, class T>
concept stream_of = any_stream<S> && std::same_as<typename std::remove_cvref_t<S>::value_type, T>;

/// The `T` of a stream of `result<T>`.
template <class S>
using value_t = typename std::remove_cvref_t<S>::value_type;

/// The cursor type a stream's run uses when opened from an `S` (an lvalue opens a copy).
template <class S>
using cursor_t = decltype(std::declval<S>().open());

namespace detail {

/// True when any of the streams is one-shot: an operator over them is one-shot too.
template <class... S>
inline constexpr bool any_one_shot = (declares_one_shot<S> || ...);

template <class T>
inline constexpr bool dependent_false = false;

/// `const M&` when `Self` is an lvalue, `M&&` when it is an rvalue: how a run
/// started from `Self` takes the member `M` (an lvalue description is copied).
template <class Self, class M>
using like_t = std::conditional_t<std::is_lvalue_reference_v<Self>, const M&, M&&>;

template <class Self, class M>
constexpr like_t<Self, M> fwd_like(M& m) noexcept {
    return static_cast<like_t<Self, M>>(m);
}

/// The ways of making items, kept out of line of the hot path's syntax.
template <class T, class... Args>
constexpr std::optional<result<T>> ok(Args&&... args) {
    return std::optional<result<T>>(std::in_place, tl::in_place, std::forward<Args>(args)...);
}
template <class T>
constexpr std::optional<result<T>> fail(err_info&& e) {
    return std::optional<result<T>>(std::in_place, tl::unexpect, std::move(e));
}

/// The push protocol beside `next()`: `drain(c, sink)` hands every remaining
/// item of cursor `c` to `sink.ok(T&&)` or `sink.err(err_info&&)` until one of
/// them returns false. Returns true when the run is exhausted, false when the
/// sink stopped it (the cursor can still be pulled or drained further).
///
/// A cursor may implement `drain(sink)` itself to keep the whole pipeline in
/// one loop (no `optional<result<T>>` per item and per stage); the fallback
/// pulls with `next()`.
///
/// `drain`, `pull`, `pull_into` and the `drain` of the per-item stages and
/// sources are `[[gnu::always_inline]]`: the one loop exists only if each
/// stage's drain is inlined into the next one's, and clang 14's inliner, left
/// to its cost model, stopped one or two stages short (two calls per item
/// pulled, 1.5x slower).
template <class C, class K>
[[gnu::always_inline]] constexpr bool drain(C& c, K& sink) {
    if constexpr (requires { c.drain(sink); }) {
        return c.drain(sink);
    } else {
        while (auto r = c.next()) {
            if (r->has_value() ? !sink.ok(std::move(**r)) : !sink.err(std::move(r->error()))) return false;
        }
        return true;
    }
}

/// A sink that keeps the first item it is given and stops the run there.
template <class T>
struct first_item {
    std::optional<result<T>>& item;
    [[gnu::always_inline]] constexpr bool ok(T&& x) {
        item.emplace(tl::in_place, std::move(x));
        return false;
    }
    constexpr bool err(err_info&& e) {
        item.emplace(tl::unexpect, std::move(e));
        return false;
    }
};

// g++ -O3 cannot tell that `first_slot::item_` is only read when `full_` says
// it was built, and warns (-Wmaybe-uninitialized) where a run is inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
/// A sink that builds the first item it is given in place and stops the run
/// there: where `pull` takes `next()`'s item from. Not a default-constructed
/// `std::optional<result<T>>`: g++ 12 zero-fills all of one (about 100 bytes,
/// a `rep stos`), which cost a cheap pipeline's `next()` 5 ns an item.
template <class T>
class first_slot {
public:
    first_slot() noexcept {}
    first_slot(const first_slot&) = delete;
    first_slot& operator=(const first_slot&) = delete;
    ~first_slot() {
        if (full_) item_.~result<T>();
    }

    [[gnu::always_inline]] bool ok(T&& x) {
        ::new (static_cast<void*>(&item_)) result<T>(tl::in_place, std::move(x));
        full_ = true;
        return false;
    }
    bool err(err_info&& e) {
        ::new (static_cast<void*>(&item_)) result<T>(tl::unexpect, std::move(e));
        full_ = true;
        return false;
    }

    /// The item, moved into `next()`'s return value; empty if the run ended first.
    std::optional<result<T>> take() {
        if (!full_) return std::nullopt;
        return std::optional<result<T>>(std::in_place, std::move(item_));
    }

private:
    union {
        result<T> item_;
    };
    bool full_ = false;
};

/// The next item of `c`: through `drain` into a `first_slot` when the cursor
/// can drain (its whole pipeline runs in one loop that stops at the first item
/// out of the last stage), else `c.next()`. Stages with a `drain` define their
/// `next()` as this.
template <class C>
[[gnu::always_inline]] constexpr std::optional<result<typename C::value_type>> pull(C& c) {
    if constexpr (requires(first_slot<typename C::value_type>& k) { c.drain(k); }) {
        first_slot<typename C::value_type> k;
        c.drain(k);
        return k.take();
    } else {
        return c.next();
    }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// Replaces `item` with the next item of `c` (empty at the end), like
/// `item = c.next()`. When the cursor can `drain`, its whole pipeline runs in
/// one loop that stops at the first item out of the last stage, built in place
/// in `item` (a `first_item` sink). Iterators (range-for) pull this way. (Through
/// a local `first_slot` moved into `item` afterwards, as `pull` does, a
/// range-for over `and_then` was 1.6x slower with g++ 12.)
template <class C>
[[gnu::always_inline]] constexpr void pull_into(C& c, std::optional<result<typename C::value_type>>& item) {
    if constexpr (requires(first_item<typename C::value_type>& k) { c.drain(k); }) {
        item.reset();
        first_item<typename C::value_type> k{item};
        c.drain(k);
    } else {
        item = c.next();
    }
}

/// A sink that forwards Err items unchanged to `down`: stages derive their
/// drain adapters from it and add `ok`.
template <class K>
struct forward_errors {
    K& down;
    constexpr bool err(err_info&& e) { return down.err(std::move(e)); }
};

} // namespace detail
} // namespace rill
