// The printing helper of the docs examples: `print(s)` runs the stream `s` once
// and prints its items on one line, `Ok(value)` or `Err(code: message [provenance])`.
#pragma once

#include <rill/rill.hpp>

#include <cstddef>
#include <iostream>
#include <ranges>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace docs {

template <class T> struct is_pair : std::false_type {};
template <class A, class B> struct is_pair<std::pair<A, B>> : std::true_type {};
template <class T> struct is_tuple : std::false_type {};
template <class... T> struct is_tuple<std::tuple<T...>> : std::true_type {};

template <class T>
void show(std::ostream& os, const T& v) {
    if constexpr (std::is_same_v<T, std::string>) {
        os << '"' << v << '"';
    } else if constexpr (rill::is_result_v<T>) {
        if (v) {
            os << "Ok(";
            show(os, *v);
            os << ')';
        } else {
            os << "Err(" << v.error() << ')';
        }
    } else if constexpr (is_pair<T>::value) {
        os << '(';
        show(os, v.first);
        os << ", ";
        show(os, v.second);
        os << ')';
    } else if constexpr (is_tuple<T>::value) {
        os << '(';
        std::apply(
            [&](const auto&... x) {
                std::size_t i = 0;
                ((os << (i++ ? ", " : ""), show(os, x)), ...);
            },
            v);
        os << ')';
    } else if constexpr (std::ranges::range<const T>) {
        os << '[';
        const char* sep = "";
        for (const auto& x : v) {
            os << sep;
            show(os, x);
            sep = ", ";
        }
        os << ']';
    } else {
        os << v;
    }
}

} // namespace docs

/// Runs `s` once and prints its items on one line (or `(no items)`).
template <class S>
void print(S&& s) {
    bool first = true;
    for (const auto& r : s) {
        std::cout << (first ? "" : " ");
        docs::show(std::cout, r);
        first = false;
    }
    std::cout << (first ? "(no items)\n" : "\n");
}

/// Prints one value the way `print` prints an item's value.
template <class T>
void print_value(const T& v) {
    docs::show(std::cout, v);
    std::cout << '\n';
}
