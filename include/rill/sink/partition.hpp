/// \file
/// `partition(s)`: the Ok values and the errors of a run, each in order.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <utility>
#include <vector>

namespace rill {
namespace detail {
struct partition_fn : sink_object {
    template <class S>
        requires any_stream<S>
    std::pair<std::vector<value_t<S>>, std::vector<err_info>> operator()(S&& s) const {
        using T = value_t<S>;
        struct sink {
            std::pair<std::vector<T>, std::vector<err_info>> out;
            bool ok(T&& x) {
                out.first.push_back(std::move(x));
                return true;
            }
            bool err(err_info&& e) {
                out.second.push_back(std::move(e));
                return true;
            }
        } k;
        auto c = std::forward<S>(s).open();
        drain(c, k);
        return std::move(k.out);
    }
    constexpr auto operator()() const { return make_closure<partition_fn>(); }
};
} // namespace detail

/// Runs the stream to its end and splits its items: `{Ok values, errors}`.
inline constexpr detail::partition_fn partition{};

} // namespace rill
