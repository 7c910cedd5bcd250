/// \file
/// `collect(s)`: runs the stream and returns every item, Ok and Err, in order.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <utility>
#include <vector>

namespace rill {
namespace detail {
struct collect_fn {
    template <class S>
        requires any_stream<S>
    std::vector<result<value_t<S>>> operator()(S&& s) const {
        std::vector<result<value_t<S>>> out;
        auto c = std::forward<S>(s).open();
        while (auto r = c.next()) out.push_back(std::move(*r));
        return out;
    }
    constexpr auto operator()() const { return make_closure<collect_fn>(); }
};
} // namespace detail

/// All the items of one run, Err items included: `rill::collect(s)` or `s | rill::collect()`.
inline constexpr detail::collect_fn collect{};

} // namespace rill
