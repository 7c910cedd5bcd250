/// \file
/// `async::count(s)`: the number of items of a run, Ok and Err alike.
#pragma once

#include <rill/async/detail/drive.hpp>

#include <cstddef>

namespace rill::async {
namespace detail {
template <class T>
struct count_sink {
    std::size_t n = 0;
    bool ok(T&&) {
        ++n;
        return true;
    }
    bool err(err_info&&) {
        ++n;
        return true;
    }
    std::size_t finish() && { return n; }
};
} // namespace detail

/// Runs `s` to its end: how many items (Ok and Err) it had.
template <any_stream S>
asio::awaitable<std::size_t> count(S&& s) {
    return detail::drive(std::forward<S>(s).open(), detail::count_sink<value_t<S>>{});
}

} // namespace rill::async
