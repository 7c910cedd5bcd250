/// \file
/// The closure machinery behind `s | op(args...)`: `op(args...)` binds the
/// arguments, `s | closure` calls `op(s, args...)`, and `closure | closure`
/// composes into a reusable pipeline fragment.
#pragma once

#include <rill/concepts.hpp>

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct pipeable_base {};

template <class T>
concept pipeable = std::is_base_of_v<pipeable_base, std::remove_cvref_t<T>>;

/// `Fn` with its trailing arguments bound; applied by `s | closure`.
template <class Fn, class... Args>
struct closure : pipeable_base {
    std::tuple<Args...> args;

    template <class S, class Self>
    static constexpr decltype(auto) apply(S&& s, Self&& self) {
        // Unpacked by hand rather than with std::apply: a misuse then reports
        // from the operator after a few lines, not a page of std::invoke.
        return unpack(std::forward<S>(s), std::forward<Self>(self), std::index_sequence_for<Args...>{});
    }

private:
    template <class S, class Self, std::size_t... I>
    static constexpr decltype(auto) unpack(S&& s, Self&& self, std::index_sequence<I...>) {
        return Fn{}(std::forward<S>(s), std::get<I>(std::forward<Self>(self).args)...);
    }
};

/// Two closures applied one after the other: `a | b`.
template <class A, class B>
struct composed : pipeable_base {
    A first;
    B second;

    template <class S, class Self>
    static constexpr decltype(auto) apply(S&& s, Self&& self) {
        auto mid = std::remove_cvref_t<A>::apply(std::forward<S>(s), std::forward<Self>(self).first);
        return std::remove_cvref_t<B>::apply(std::move(mid), std::forward<Self>(self).second);
    }
};

template <class Fn, class... Args>
constexpr auto make_closure(Args&&... args) {
    return closure<Fn, std::decay_t<Args>...>{{}, std::tuple<std::decay_t<Args>...>(std::forward<Args>(args)...)};
}

/// Applies a stage (or a sink's pipe form) to a stream: `s | rill::map(f)`.
template <class S, pipeable C>
    requires any_stream<S>
constexpr decltype(auto) operator|(S&& s, C&& c) {
    return std::remove_cvref_t<C>::apply(std::forward<S>(s), std::forward<C>(c));
}

/// Composes two stages into one: `auto parse = rill::try_map(f) | rill::named("parse");`
template <pipeable A, pipeable B>
constexpr auto operator|(A&& a, B&& b) {
    return composed<std::remove_cvref_t<A>, std::remove_cvref_t<B>>{
        {}, std::forward<A>(a), std::forward<B>(b)};
}

/// READ THIS IF YOUR COMPILE BREAKS HERE: the left side of `|` must be a rill
/// stream (from `of`, `from`, `iota`, `generate`, ...). Wrap a range with
/// `rill::from(range)` first.
template <class X, pipeable C>
    requires(!any_stream<X> && !pipeable<X>)
constexpr auto operator|(X&&, C&&) {
    static_assert(dependent_false<X>,
                  "rill: the left side of | is not a rill stream. Wrap a range with rill::from(range) "
                  "or start from rill::of / rill::iota / rill::generate.");
}

/// Base of the sinks' function objects (`rill::collect`, `rill::fold`, ...),
/// so that `s | rill::collect` (without the call) explains itself.
struct sink_object {};
/// Base of the stages' function objects (`rill::map`, `rill::take`, ...),
/// so that `s | rill::map` (without arguments) explains itself.
struct stage_object {};

/// READ THIS IF YOUR COMPILE BREAKS HERE: a sink on the right of `|` is called:
/// `s | rill::collect()`, or `rill::collect(s)`.
template <class S, class K>
    requires any_stream<S> && std::is_base_of_v<sink_object, std::remove_cvref_t<K>>
constexpr auto operator|(S&&, K&&) {
    static_assert(dependent_false<K>,
                  "rill: a sink on the right of | must be called: write s | rill::collect() (with the "
                  "parentheses) or rill::collect(s). The sink is named in the K of this instantiation.");
}

/// READ THIS IF YOUR COMPILE BREAKS HERE: a stage on the right of `|` takes its
/// arguments: `s | rill::map(f)`, `s | rill::take(3)`.
template <class S, class F>
    requires any_stream<S> && std::is_base_of_v<stage_object, std::remove_cvref_t<F>>
constexpr auto operator|(S&&, F&&) {
    static_assert(dependent_false<F>,
                  "rill: a stage on the right of | must be given its arguments: write s | rill::map(f), "
                  "s | rill::take(3), ... The stage is named in the F of this instantiation.");
}

// The operators live in rill::detail so that argument-dependent lookup finds
// them through the closure types, wherever the user's code is.
} // namespace detail
} // namespace rill
