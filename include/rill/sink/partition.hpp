/// \file
/// `partition(s)`: the Ok values and the errors of a run, each in order.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <utility>
#include <vector>

namespace rill {
namespace detail {
struct partition_fn {
    template <class S>
        requires any_stream<S>
    std::pair<std::vector<value_t<S>>, std::vector<err_info>> operator()(S&& s) const {
        std::pair<std::vector<value_t<S>>, std::vector<err_info>> out;
        auto c = std::forward<S>(s).open();
        while (auto r = c.next()) {
            if (r->has_value()) out.first.push_back(std::move(**r));
            else out.second.push_back(std::move(r->error()));
        }
        return out;
    }
    constexpr auto operator()() const { return make_closure<partition_fn>(); }
};
} // namespace detail

/// Runs the stream to its end and splits its items: `{Ok values, errors}`.
inline constexpr detail::partition_fn partition{};

} // namespace rill
