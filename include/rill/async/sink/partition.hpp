/// \file
/// `async::partition(s)`: the values and the errors of a run, apart, each in order.
#pragma once

#include <rill/async/detail/drive.hpp>

#include <utility>
#include <vector>

namespace rill::async {
namespace detail {
template <class T>
struct partition_sink {
    std::pair<std::vector<T>, std::vector<err_info>> out;
    bool ok(T&& x) {
        out.first.push_back(std::move(x));
        return true;
    }
    bool err(err_info&& e) {
        out.second.push_back(std::move(e));
        return true;
    }
    std::pair<std::vector<T>, std::vector<err_info>> finish() && { return std::move(out); }
};
} // namespace detail

/// Runs `s` to its end: `{values, errors}`.
template <any_stream S>
asio::awaitable<std::pair<std::vector<value_t<S>>, std::vector<err_info>>> partition(S&& s) {
    return detail::drive(std::forward<S>(s).open(), detail::partition_sink<value_t<S>>{});
}

} // namespace rill::async
