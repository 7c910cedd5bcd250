/// \file
/// `erased_stream<T>`: the testing kit's name for `async::stream<T>`, the
/// type-erased async stream, so that generated shapes, generated functions and
/// stacked stages of varying types have one type; `erase(s)` makes one.
#pragma once

#include <rill/async/core.hpp>
#include <rill/async/stream.hpp>

#include <utility>

namespace rill::async::testing {

/// An async stream of `result<T>` of any pipeline type (`async::stream<T>`).
template <class T>
using erased_stream = async::stream<T>;

/// `s` as an `erased_stream` of its value type.
template <class S>
    requires any_stream<S>
erased_stream<value_t<S>> erase(S&& s) {
    return erased_stream<value_t<S>>(std::forward<S>(s));
}

} // namespace rill::async::testing
