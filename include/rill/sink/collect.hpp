/// \file
/// `collect(s)`: runs the stream and returns every item, Ok and Err, in order.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <utility>
#include <vector>

namespace rill {
namespace detail {
struct collect_fn : sink_object {
    template <class S>
        requires any_stream<S>
    std::vector<result<value_t<S>>> operator()(S&& s) const {
        using T = value_t<S>;
        struct sink {
            std::vector<result<T>> items;
            bool ok(T&& x) {
                items.emplace_back(tl::in_place, std::move(x));
                return true;
            }
            bool err(err_info&& e) {
                items.emplace_back(tl::unexpect, std::move(e));
                return true;
            }
        } k;
        auto c = std::forward<S>(s).open();
        drain(c, k);
        return std::move(k.items);
    }
    constexpr auto operator()() const { return make_closure<collect_fn>(); }
};
} // namespace detail

/// All the items of one run, Err items included: `rill::collect(s)` or `s | rill::collect()`.
inline constexpr detail::collect_fn collect{};

} // namespace rill
