/// \file
/// `to<Container>()`: collects a run into any container with `push_back` or `insert`.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

template <class C, class V>
concept can_push_back = requires(C& c, V&& v) { c.push_back(std::forward<V>(v)); };
template <class C, class V>
concept can_insert = requires(C& c, V&& v) { c.insert(std::forward<V>(v)); };
template <class C, class V>
concept fillable_with = can_push_back<C, V> || can_insert<C, V>;

template <class C, class V>
void add_to(C& c, V&& v) {
    if constexpr (can_push_back<C, V>) c.push_back(std::forward<V>(v));
    else c.insert(std::forward<V>(v));
}

template <class C>
struct to_fn {
    template <class S>
        requires any_stream<S>
    auto operator()(S&& s) const {
        using T = value_t<S>;
        using item = result<T>;
        constexpr bool keeps_items = fillable_with<C, item> && is_result_v<typename C::value_type>;
        static_assert(keeps_items || fillable_with<C, T>,
                      "rill::to<Container>: the container has no push_back or insert that takes the stream's "
                      "values (a map needs a stream of std::pair<const K, V> or std::pair<K, V>).");
        C out;
        auto c = std::forward<S>(s).open();
        if constexpr (keeps_items) {
            while (auto r = c.next()) add_to(out, std::move(*r));
            return out;
        } else {
            using R = result<C>;
            while (auto r = c.next()) {
                if (!r->has_value()) [[unlikely]]
                    return R(tl::unexpect, std::move(r->error()));
                add_to(out, std::move(**r));
            }
            return R(std::move(out));
        }
    }
    constexpr auto operator()() const { return make_closure<to_fn>(); }
};

} // namespace detail

/// Collects a run into a `Container` of values, returning `result<Container>`:
/// the filled container, or the first Err (where the run stops):
/// `s | rill::to<std::set<int>>()`, `rill::to<std::map<K, V>>(pairs)`.
/// A container of `result<T>` keeps every item as it is and is returned directly.
template <class Container>
inline constexpr detail::to_fn<Container> to{};

} // namespace rill
