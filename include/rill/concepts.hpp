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

/// A sink that builds the first item it is given in `item` and stops the run
/// there: how the async stages take one item. (The sync pull path keeps the Ok
/// value apart from the Err item instead: see `first_slot`.)
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

// g++ -O3 cannot tell that a `first_slot`'s objects are only read when its
// state says they were built, and warns (-Wmaybe-uninitialized) where a run is
// inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
/// Room for one `T`, built and destroyed by hand (a union: no constructor runs).
template <class T>
union uninit {
    constexpr uninit() noexcept {}
    constexpr ~uninit() {}
    T value;
};

/// What a `first_slot` was given: nothing yet, an Ok value or an Err item.
enum class slot_state : unsigned char { empty, ok, err };

/// A sink that builds the first item it is given in place and stops the run
/// there: where `pull` takes `next()`'s item from. The Ok value and the Err
/// item are kept in two objects, not in one `result<T>`: a `std::string` keeps
/// its own address (its short-string buffer), and a compiler keeps in memory
/// every field of an object whose address is kept, so the Ok value, held apart,
/// stays in a register (clang 14: a cheap pipeline's `next()` 2.6x -> 1.1x the
/// hand loop). Not a default-constructed `std::optional<result<T>>` either:
/// g++ 12 zero-fills all of one (about 100 bytes, a `rep stos`). Both of its
/// paths are inlined: a call that is handed the sink keeps the sink in memory.
template <class T>
struct first_slot {
    uninit<T>& value;
    uninit<err_info>& error;
    slot_state& state;

    [[gnu::always_inline]] bool ok(T&& x) {
        ::new (static_cast<void*>(&value)) T(std::move(x));
        state = slot_state::ok;
        return false;
    }
    [[gnu::always_inline]] bool err(err_info&& e) {
        ::new (static_cast<void*>(&error)) err_info(std::move(e));
        state = slot_state::err;
        return false;
    }
};

/// Destroys the object in `u` when it goes out of scope.
template <class T>
struct destroy_at_exit {
    uninit<T>& u;
    [[gnu::always_inline]] ~destroy_at_exit() { u.value.~T(); }
};

/// Runs `c`'s pipeline up to the first item out of its last stage, kept in a
/// `first_slot`, and hands that item to `out`: `out.ok(T&&)`, `out.err(err_info&&)`,
/// or `out.end()` when the run is over. What `pull` and `pull_into` share.
///
/// Nothing guards the slot while `c.drain` runs: a drain returns as soon as its
/// sink says stop (the push protocol), so once the slot holds its item no code
/// of the run is left to throw. (A guard there, an exception edge in the loop,
/// made g++ keep the source's position in memory: a range-for 1.2x -> 1.6x.)
template <class C, class Out>
[[gnu::always_inline]] inline decltype(auto) drain_first(C& c, Out out) {
    using T = typename C::value_type;
    uninit<T> value;
    uninit<err_info> error;
    slot_state state = slot_state::empty;
    first_slot<T> k{value, error, state};
    c.drain(k);
    if (state == slot_state::ok) [[likely]] {
        destroy_at_exit<T> d{value};
        return out.ok(std::move(value.value));
    }
    if (state == slot_state::err) {
        destroy_at_exit<err_info> d{error};
        return out.err(std::move(error.value));
    }
    return out.end();
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// `drain_first`'s item as `next()` returns it.
template <class T>
struct as_next_item {
    [[gnu::always_inline]] std::optional<result<T>> ok(T&& x) {
        return std::optional<result<T>>(std::in_place, tl::in_place, std::move(x));
    }
    [[gnu::always_inline]] std::optional<result<T>> err(err_info&& e) {
        return std::optional<result<T>>(std::in_place, tl::unexpect, std::move(e));
    }
    [[gnu::always_inline]] std::optional<result<T>> end() { return std::nullopt; }
};

/// `drain_first`'s item moved into an (empty) `std::optional` that outlives the call.
template <class T>
struct into_item {
    std::optional<result<T>>& item;
    [[gnu::always_inline]] void ok(T&& x) { item.emplace(tl::in_place, std::move(x)); }
    [[gnu::always_inline]] void err(err_info&& e) { item.emplace(tl::unexpect, std::move(e)); }
    [[gnu::always_inline]] void end() {}
};

/// The next item of `c`: through `drain` into a `first_slot` when the cursor
/// can drain (its whole pipeline runs in one loop that stops at the first item
/// out of the last stage), else `c.next()`. Stages with a `drain` define their
/// `next()` as this (inlined: left out of line, clang 14's `next()` over a
/// cheap pipeline cost 2.5x the hand loop instead of 1.0x).
template <class C>
[[gnu::always_inline]] inline std::optional<result<typename C::value_type>> pull(C& c) {
    using T = typename C::value_type;
    if constexpr (requires(first_slot<T>& k) { c.drain(k); }) {
        return drain_first(c, as_next_item<T>{});
    } else {
        return c.next();
    }
}

/// Replaces `item` with the next item of `c` (empty at the end), like
/// `item = c.next()`, and the same way as `pull`: the item is taken through
/// `drain_first` when the cursor can drain and moved into `item`. Iterators
/// (range-for) pull this way. (Built straight into `item`, a `std::optional`
/// inside the iterator, the Ok value went through memory: a range-for over a
/// cheap pipeline cost 2.0x the hand loop with clang 14 instead of 1.5x.)
template <class C>
[[gnu::always_inline]] inline void pull_into(C& c, std::optional<result<typename C::value_type>>& item) {
    using T = typename C::value_type;
    if constexpr (requires(first_slot<T>& k) { c.drain(k); }) {
        item.reset();
        drain_first(c, into_item<T>{item});
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
