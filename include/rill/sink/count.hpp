/// \file
/// `count(s)`: the number of items of a run, Ok and Err alike.
#pragma once

#include <rill/concepts.hpp>
#include <rill/pipe.hpp>

#include <cstddef>
#include <utility>

namespace rill {
namespace detail {
struct count_fn : sink_object {
    template <class S>
        requires any_stream<S>
    std::size_t operator()(S&& s) const {
        struct sink {
            std::size_t n = 0;
            constexpr bool ok(value_t<S>&&) { return ++n, true; }
            constexpr bool err(err_info&&) { return ++n, true; }
        } k;
        auto c = std::forward<S>(s).open();
        drain(c, k);
        return k.n;
    }
    constexpr auto operator()() const { return make_closure<count_fn>(); }
};
} // namespace detail

/// The length of a run: every item counts, Ok or Err (positions, as `take` and
/// `drop` count). For the Ok items alone, count `partition(s).first`.
inline constexpr detail::count_fn count{};

} // namespace rill
