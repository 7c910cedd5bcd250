/// \file
/// The error value `err_info`, `result<T>` and `err()`.
#pragma once

#include <rill/fwd.hpp>

#include <tl/expected.hpp>

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rill {

/// One step of an error's provenance: which operator produced or relabelled it,
/// the stage name a pipeline gave that operator (see `named`), and the index of
/// the item at that operator in its run.
struct err_frame {
    std::string op;     ///< the operator, e.g. "try_map"
    std::string stage;  ///< the user's name for the stage; empty until `named` labels it
    std::size_t index = 0; ///< the item's position in the operator's run (0-based)

    /// Frames are equal when their operator, stage and index are.
    friend bool operator==(const err_frame&, const err_frame&) = default;
};

/// The error carried by an Err item.
///
/// Equality compares `code` and `message` only: `trace` is diagnostic
/// provenance, so two pipelines that fail the same way compare equal even when
/// their stages differ (which the laws rely on).
struct err_info {
    std::string code;              ///< a short machine-readable category, e.g. "PARSE"
    std::string message;           ///< what went wrong, for humans
    std::vector<err_frame> trace{}; ///< provenance, innermost (first recorded) first

    /// Compares `code` and `message`; the provenance is not compared.
    friend bool operator==(const err_info& a, const err_info& b) {
        return a.code == b.code && a.message == b.message;
    }

    /// Appends a provenance frame; used by operators on the Err path only.
    err_info& at(std::string_view op, std::size_t index) & {
        trace.push_back(err_frame{std::string(op), std::string(), index});
        return *this;
    }

    /// Prints `code: message` followed by the provenance, e.g.
    /// `PARSE: not a number [at parse (try_map) #3]`. (A template, so that
    /// `<rill/result.hpp>` needs only `<iosfwd>`: the program that prints
    /// includes `<ostream>` or `<iostream>`.)
    template <class Traits>
    friend std::basic_ostream<char, Traits>& operator<<(std::basic_ostream<char, Traits>& os, const err_info& e) {
        os << e.code << ": " << e.message;
        if (!e.trace.empty()) {
            os << " [at ";
            bool first = true;
            for (const auto& f : e.trace) {
                if (!first) os << ", via ";
                first = false;
                if (f.stage.empty()) os << f.op;
                else os << f.stage << " (" << f.op << ")";
                os << " #" << f.index;
            }
            os << "]";
        }
        return os;
    }
};

/// An item of a stream: a `T` or an `err_info`.
template <class T>
using result = tl::expected<T, err_info>;

/// Makes an error to return or `co_yield`: `result<int> r = rill::err("PARSE", "not a number");`
inline tl::unexpected<err_info> err(std::string code, std::string message) {
    return tl::unexpected<err_info>(err_info{std::move(code), std::move(message)});
}

/// Wraps an existing `err_info` as an error value.
inline tl::unexpected<err_info> err(err_info e) {
    return tl::unexpected<err_info>(std::move(e));
}

namespace detail {
template <class T> struct is_result : std::false_type {};
template <class T> struct is_result<tl::expected<T, err_info>> : std::true_type {};
template <class T> struct result_value { using type = T; };
template <class T> struct result_value<tl::expected<T, err_info>> { using type = T; };

/// Records provenance on an Err item (the Ok path never calls this).
template <class T>
[[gnu::cold]] void stamp(result<T>& r, std::string_view op, std::size_t index) {
    r.error().at(op, index);
}
} // namespace detail

/// True for `result<T>` of any `T`.
template <class T>
inline constexpr bool is_result_v = detail::is_result<std::remove_cvref_t<T>>::value;

/// `T` for `result<T>`, `T` itself otherwise.
template <class T>
using unwrap_result_t = typename detail::result_value<std::remove_cvref_t<T>>::type;

} // namespace rill
