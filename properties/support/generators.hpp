/// \file
/// RapidCheck generators for the laws, and how RapidCheck prints rill items in
/// a counterexample.
#pragma once

#include <rill/result.hpp>

#include <rapidcheck.h>

#include <ostream>
#include <vector>

namespace rill {

/// Found by RapidCheck's `show` through ADL: prints `Ok(42)` or `Err(E: m)`.
template <class T>
void showValue(const result<T>& r, std::ostream& os) {
    if (r) {
        os << "Ok(";
        rc::show(*r, os);
        os << ")";
    } else {
        os << "Err(" << r.error() << ")";
    }
}

} // namespace rill

namespace rill_properties {

/// An arbitrary Ok int (3 times in 4) or the Err item `err("E", "m")`.
inline rc::Gen<rill::result<int>> result_int() {
    return rc::gen::weightedOneOf<rill::result<int>>({
        {3, rc::gen::map(rc::gen::arbitrary<int>(), [](int x) { return rill::result<int>(x); })},
        {1, rc::gen::just(rill::result<int>(rill::err("E", "m")))},
    });
}

/// The items of a stream: Ok ints with Err items interleaved anywhere.
inline rc::Gen<std::vector<rill::result<int>>> result_ints() {
    return rc::gen::container<std::vector<rill::result<int>>>(result_int());
}

} // namespace rill_properties
