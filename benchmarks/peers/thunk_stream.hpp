// Peer: the naive design rill must not be. A stream is a thunk,
// `std::function<std::shared_ptr<const cell>()>`, and a cell holds one item and
// the thunk of the rest (a lazy list, as a direct port of a Haskell/Scala
// stream would be). Every item of every stage costs a shared_ptr cell and a
// std::function holding the rest; items are rill::result<T>, as in rill.
#pragma once

#include <rill/result.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

namespace peers::thunk {

template <class T>
struct cell;

/// A stream: calling it evaluates its first cell (nullptr at the end).
template <class T>
using stream = std::function<std::shared_ptr<const cell<T>>()>;

template <class T>
struct cell {
    rill::result<T> head;
    stream<T> tail;
};

template <class T>
std::shared_ptr<const cell<T>> make_cell(rill::result<T> head, stream<T> tail) {
    return std::make_shared<const cell<T>>(cell<T>{std::move(head), std::move(tail)});
}

template <class T>
stream<T> empty() {
    return [] { return std::shared_ptr<const cell<T>>(); };
}

/// first, first + 1, ..., last - 1.
template <class T>
stream<T> iota(T first, T last) {
    return [first, last]() -> std::shared_ptr<const cell<T>> {
        if (!(first < last)) return nullptr;
        return make_cell<T>(first, iota(first + 1, last));
    };
}

/// first, first + 1, ... without end.
template <class T>
stream<T> iota_from(T first) {
    return [first] { return make_cell<T>(first, iota_from(first + 1)); };
}

template <class T, class F>
auto map(stream<T> s, F f) -> stream<std::invoke_result_t<F&, const T&>> {
    using U = std::invoke_result_t<F&, const T&>;
    return [s, f]() -> std::shared_ptr<const cell<U>> {
        auto c = s();
        if (!c) return nullptr;
        rill::result<U> head = c->head ? rill::result<U>(f(*c->head)) : rill::result<U>(tl::unexpect, c->head.error());
        return make_cell<U>(std::move(head), map(c->tail, f));
    };
}

template <class T, class P>
stream<T> filter(stream<T> s, P p) {
    return [s, p]() -> std::shared_ptr<const cell<T>> {
        auto c = s();
        while (c && c->head && !p(*c->head)) c = c->tail();
        if (!c) return nullptr;
        return make_cell<T>(c->head, filter(c->tail, p));
    };
}

template <class T, class F>
auto try_map(stream<T> s, F f) -> stream<typename std::invoke_result_t<F&, const T&>::value_type> {
    using U = typename std::invoke_result_t<F&, const T&>::value_type;
    return [s, f]() -> std::shared_ptr<const cell<U>> {
        auto c = s();
        if (!c) return nullptr;
        rill::result<U> head = c->head ? f(*c->head) : rill::result<U>(tl::unexpect, c->head.error());
        return make_cell<U>(std::move(head), try_map(c->tail, f));
    };
}

/// The items of `a`, then those of `b`.
template <class T>
stream<T> append(stream<T> a, stream<T> b) {
    return [a, b]() -> std::shared_ptr<const cell<T>> {
        auto c = a();
        if (!c) return b();
        return make_cell<T>(c->head, append(c->tail, b));
    };
}

/// Monadic bind: `f(x)` returns a stream<U>.
template <class T, class F>
auto and_then(stream<T> s, F f) -> std::invoke_result_t<F&, const T&> {
    using S = std::invoke_result_t<F&, const T&>;
    using C = typename S::result_type::element_type;
    return [s, f]() -> std::shared_ptr<C> {
        auto c = s();
        if (!c) return nullptr;
        if (!c->head) return make_cell(decltype(C::head)(tl::unexpect, c->head.error()), and_then(c->tail, f));
        return append(f(*c->head), and_then(c->tail, f))();
    };
}

template <class T>
stream<T> take(stream<T> s, std::int64_t k) {
    return [s, k]() -> std::shared_ptr<const cell<T>> {
        if (k <= 0) return nullptr;
        auto c = s();
        if (!c) return nullptr;
        return make_cell<T>(c->head, take(c->tail, k - 1));
    };
}

/// Runs the stream: `ok(value)` for each Ok item, `err(error)` for each Err item.
template <class T, class Ok, class Err>
void run(const stream<T>& s, Ok ok, Err err) {
    for (auto c = s(); c; c = c->tail()) {
        if (c->head) ok(*c->head);
        else err(c->head.error());
    }
}

} // namespace peers::thunk
