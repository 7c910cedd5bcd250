/// \file
/// `async::try_collect(s)`: all the values of a run, or its first Err (the run stops there).
#pragma once

#include <rill/async/detail/drive.hpp>

#include <optional>
#include <utility>
#include <vector>

namespace rill::async {
namespace detail {
template <class T>
struct try_collect_sink {
    std::vector<T> out;
    std::optional<err_info> error;
    bool ok(T&& x) {
        out.push_back(std::move(x));
        return true;
    }
    bool err(err_info&& e) {
        error.emplace(std::move(e));
        return false;
    }
    result<std::vector<T>> finish() && {
        if (error) return rill::err(std::move(*error));
        return result<std::vector<T>>(std::move(out));
    }
};
} // namespace detail

/// Runs `s`: all its values, or its first Err, at which the run stops and is closed.
template <any_stream S>
asio::awaitable<result<std::vector<value_t<S>>>> try_collect(S&& s) {
    return detail::drive(std::forward<S>(s).open(), detail::try_collect_sink<value_t<S>>{});
}

} // namespace rill::async
