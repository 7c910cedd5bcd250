/// \file
/// `async::to<Container>(s)`: collects a run into any container with `push_back` or `insert`.
#pragma once

#include <rill/async/detail/drive.hpp>
#include <rill/sink/to.hpp> // rill::detail::fillable_with, add_to

#include <optional>
#include <type_traits>
#include <utility>

namespace rill::async {
namespace detail {

/// True when `C` keeps whole items (`result<T>`), as the sync `rill::to` decides.
template <class C, class T>
inline constexpr bool keeps_items =
    rill::detail::fillable_with<C, result<T>> && is_result_v<typename C::value_type>;

template <class C, class T>
struct to_sink {
    C out{};
    std::optional<err_info> error{};
    bool ok(T&& x) {
        if constexpr (keeps_items<C, T>) rill::detail::add_to(out, result<T>(tl::in_place, std::move(x)));
        else rill::detail::add_to(out, std::move(x));
        return true;
    }
    bool err(err_info&& e) {
        if constexpr (keeps_items<C, T>) {
            rill::detail::add_to(out, result<T>(tl::unexpect, std::move(e)));
            return true;
        } else {
            error.emplace(std::move(e));
            return false;
        }
    }
    auto finish() && {
        if constexpr (keeps_items<C, T>) {
            return std::move(out);
        } else {
            if (error) [[unlikely]]
                return result<C>(tl::unexpect, std::move(*error));
            return result<C>(std::move(out));
        }
    }
};

/// What `async::to<C>` gives for a stream of `result<T>`.
template <class C, class T>
using to_result_t = std::conditional_t<keeps_items<C, T>, C, result<C>>;

} // namespace detail

/// Runs `s` and collects it into a `Container` of values, as the sync
/// `rill::to<Container>` does: `co_await async::to<std::set<int>>(s)` is a
/// `result<std::set<int>>`, the filled container or the first Err (where the
/// run stops and is closed). A container of `result<T>` keeps every item as
/// it is and is given directly.
template <class Container, any_stream S>
asio::awaitable<detail::to_result_t<Container, value_t<S>>> to(S&& s) {
    using T = value_t<S>;
    static_assert(detail::keeps_items<Container, T> || rill::detail::fillable_with<Container, T>,
                  "rill::async::to<Container>: the container has no push_back or insert that takes the stream's "
                  "values (a map needs a stream of std::pair<const K, V> or std::pair<K, V>).");
    return detail::drive(std::forward<S>(s).open(), detail::to_sink<Container, T>{});
}

} // namespace rill::async
