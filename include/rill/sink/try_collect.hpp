/// \file
/// `try_collect(s)`: all the Ok values, or the first Err.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <utility>
#include <vector>

namespace rill {
namespace detail {
struct try_collect_fn {
    template <class S>
        requires any_stream<S>
    result<std::vector<value_t<S>>> operator()(S&& s) const {
        std::vector<value_t<S>> out;
        auto c = std::forward<S>(s).open();
        while (auto r = c.next()) {
            if (!r->has_value()) return tl::unexpected<err_info>(std::move(r->error()));
            out.push_back(std::move(**r));
        }
        return out;
    }
    constexpr auto operator()() const { return make_closure<try_collect_fn>(); }
};
} // namespace detail

/// The Ok values of a run, or its first Err: the run stops at that Err (and
/// releases its resources), so later items are not pulled.
inline constexpr detail::try_collect_fn try_collect{};

} // namespace rill
