/// \file
/// `try_collect(s)`: all the Ok values, or the first Err.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <optional>
#include <utility>
#include <vector>

namespace rill {
namespace detail {
struct try_collect_fn : sink_object {
    template <class S>
        requires any_stream<S>
    result<std::vector<value_t<S>>> operator()(S&& s) const {
        using T = value_t<S>;
        struct sink {
            std::vector<T> values;
            std::optional<err_info> error;
            bool ok(T&& x) {
                values.push_back(std::move(x));
                return true;
            }
            bool err(err_info&& e) {
                error.emplace(std::move(e));
                return false;
            }
        } k;
        auto c = std::forward<S>(s).open();
        drain(c, k);
        if (k.error) return tl::unexpected<err_info>(std::move(*k.error));
        return std::move(k.values);
    }
    constexpr auto operator()() const { return make_closure<try_collect_fn>(); }
};
} // namespace detail

/// The Ok values of a run, or its first Err: the run stops at that Err (and
/// releases its resources), so later items are not pulled.
inline constexpr detail::try_collect_fn try_collect{};

} // namespace rill
