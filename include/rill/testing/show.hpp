/// \file
/// How RapidCheck prints rill values in a counterexample (`showValue`, found by
/// argument-dependent lookup: RapidCheck's extension point), and `show_items`
/// for the reports of the checkers.
#pragma once

#include <rill/concepts.hpp>
#include <rill/result.hpp>
#include <rill/sink/collect.hpp>

#include <rapidcheck.h>

#include <cstddef>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace rill {

/// Prints an error as `err_info{"CODE", "message"}` in a counterexample (the trace is left out).
inline void showValue(const err_info& e, std::ostream& os) {
    os << "err_info{\"" << e.code << "\", \"" << e.message << "\"}";
}

/// Prints an item as `Ok(42)` or `Err(CODE: message)` in a counterexample.
template <class T>
void showValue(const result<T>& r, std::ostream& os) {
    if (r) {
        os << "Ok(";
        rc::show(*r, os);
        os << ")";
    } else {
        os << "Err(" << r.error().code << ": " << r.error().message << ")";
    }
}

/// Prints a replayable stream in a counterexample as the items of one run.
template <class S>
    requires replayable_stream<S>
void showValue(const S& s, std::ostream& os) {
    os << "stream";
    rc::show(rill::collect(s), os);
}

} // namespace rill

namespace rill::testing {

/// Items as text, `[Ok(1), Err(E: m), Ok(3)]`, at most `limit` of them (then "... N more").
template <class T>
std::string show_items(const std::vector<result<T>>& items, std::size_t limit = 40) {
    std::ostringstream os;
    os << "[";
    for (std::size_t i = 0; i < items.size() && i < limit; ++i) {
        if (i) os << ", ";
        rill::showValue(items[i], os);
    }
    if (items.size() > limit) os << (limit > 0 ? ", " : "") << "... " << (items.size() - limit) << " more";
    os << "] (" << items.size() << (items.size() == 1 ? " item)" : " items)");
    return os.str();
}

} // namespace rill::testing
