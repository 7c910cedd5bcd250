// Test helpers: compact ways to write and compare item sequences.
#pragma once

#include <rill/result.hpp>
#include <rill/sink/collect.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

namespace rill_test {

/// Renders a run as text: Ok items as their value, Err items as `!CODE`:
/// `"1 2 !PARSE 4"`. Makes expected sequences short and failures readable.
template <class S>
std::string show(S&& s) {
    std::ostringstream os;
    bool first = true;
    for (auto& r : rill::collect(std::forward<S>(s))) {
        if (!first) os << ' ';
        first = false;
        if (r.has_value()) os << *r;
        else os << '!' << r.error().code;
    }
    return os.str();
}

/// `result<int>` items for `rill::from`: Ok(v) for each v >= 0, Err("E<-v>") for v < 0.
inline std::vector<rill::result<int>> items(std::initializer_list<int> vs) {
    std::vector<rill::result<int>> out;
    for (int v : vs) {
        if (v >= 0) out.emplace_back(v);
        else out.emplace_back(rill::err("E" + std::to_string(-v), "error " + std::to_string(-v)));
    }
    return out;
}

} // namespace rill_test
