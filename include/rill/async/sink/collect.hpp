/// \file
/// `async::collect(s)`: every item of a run, Ok and Err, in order.
#pragma once

#include <rill/async/detail/drive.hpp>

#include <utility>
#include <vector>

namespace rill::async {
namespace detail {
template <class T>
struct collect_sink {
    std::vector<result<T>> out;
    bool ok(T&& x) {
        out.emplace_back(tl::in_place, std::move(x));
        return true;
    }
    bool err(err_info&& e) {
        out.emplace_back(tl::unexpect, std::move(e));
        return true;
    }
    std::vector<result<T>> finish() && { return std::move(out); }
};
} // namespace detail

/// Runs `s` and awaits all its items: `co_await async::collect(s)` is a `std::vector<result<T>>`.
template <any_stream S>
asio::awaitable<std::vector<result<value_t<S>>>> collect(S&& s) {
    return detail::drive(std::forward<S>(s).open(), detail::collect_sink<value_t<S>>{});
}

} // namespace rill::async
