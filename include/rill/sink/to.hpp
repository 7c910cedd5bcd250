/// \file
/// `to<Container>()`: collects a run into any container with `push_back` or `insert`.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <optional>
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
struct to_fn : sink_object {
    template <class S>
        requires any_stream<S>
    auto operator()(S&& s) const {
        using T = value_t<S>;
        using item = result<T>;
        constexpr bool keeps_items = fillable_with<C, item> && is_result_v<typename C::value_type>;
        static_assert(keeps_items || fillable_with<C, T>,
                      "rill::to<Container>: the container has no push_back or insert that takes the stream's "
                      "values (a map needs a stream of std::pair<const K, V> or std::pair<K, V>).");
        struct sink {
            C out{};
            std::optional<err_info> error{};
            bool ok(T&& x) {
                if constexpr (keeps_items) add_to(out, item(tl::in_place, std::move(x)));
                else add_to(out, std::move(x));
                return true;
            }
            bool err(err_info&& e) {
                if constexpr (keeps_items) {
                    add_to(out, item(tl::unexpect, std::move(e)));
                    return true;
                } else {
                    error.emplace(std::move(e));
                    return false;
                }
            }
        } k;
        auto c = std::forward<S>(s).open();
        drain(c, k);
        if constexpr (keeps_items) {
            return std::move(k.out);
        } else {
            if (k.error) [[unlikely]]
                return result<C>(tl::unexpect, std::move(*k.error));
            return result<C>(std::move(k.out));
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
