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

/// Items of a stream that a counterexample shows; the rest are counted.
inline constexpr std::size_t shown_stream_items = 20;

/// Prints a replayable stream in a counterexample as the items of one run, at
/// most `shown_stream_items` of them: `stream[Ok(1), Err(E: m), ... 98 more] (100 items)`.
template <class S>
    requires replayable_stream<S>
void showValue(const S& s, std::ostream& os) {
    const auto items = rill::collect(s);
    os << "stream[";
    for (std::size_t i = 0; i < items.size() && i < shown_stream_items; ++i) {
        if (i) os << ", ";
        showValue(items[i], os);
    }
    if (items.size() > shown_stream_items)
        os << ", ... " << (items.size() - shown_stream_items) << " more] (" << items.size() << " items)";
    else os << "]";
}

} // namespace rill

namespace rc {

/// How a counterexample names the type of a rill stream: `rill stream of T`
/// (the erased `rill::stream<T>` by its name), not the pipeline's type, which
/// can run to thousands of characters.
template <class S>
    requires rill::any_stream<S>
struct ShowType<S> {
    /// Prints the short name.
    static void showType(std::ostream& os) {
        os << "rill stream of ";
        rc::detail::showType<rill::value_t<S>>(os);
    }
};

/// How a counterexample names `rill::result<T>`: by that name, not as `tl::expected<T, rill::err_info>`.
template <class T>
struct ShowType<tl::expected<T, rill::err_info>> {
    /// Prints `rill::result<T>`.
    static void showType(std::ostream& os) {
        os << "rill::result<";
        rc::detail::showType<T>(os);
        os << ">";
    }
};

} // namespace rc

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
