// The user functions every peer of the pipeline cases calls: the same code in
// each peer, so that the peers differ only in how they connect the stages.
#pragma once

#include <rill/result.hpp>

#include <cstdint>

namespace bench {

/// A cheap body: one multiply-add.
struct cheap_body {
    constexpr std::int64_t operator()(std::int64_t i) const { return i * 3 + 1; }
};

/// A realistic body, about 2 ns of work per item on this machine: a 64-bit
/// hash finaliser (two dependent multiplies).
struct realistic_body {
    constexpr std::int64_t operator()(std::int64_t i) const {
        auto x = static_cast<std::uint64_t>(i);
        for (int round = 0; round < 1; ++round) {
            x ^= x >> 33;
            x *= 0xff51afd7ed558ccdULL;
            x ^= x >> 29;
            x *= 0xc4ceb9fe1a85ec53ULL;
        }
        return static_cast<std::int64_t>(x >> 2);
    }
};

/// A function object, not a function: a function name passed to a stage (or a
/// range-v3 view) is a function pointer, which the compilers call instead of
/// inlining, and the hand loop would win by that alone.
struct even_fn {
    constexpr bool operator()(std::int64_t x) const { return (x & 1) == 0; }
};
inline constexpr even_fn is_even{};

[[gnu::noinline, gnu::cold]] inline rill::result<std::int64_t> rounding_error() {
    return rill::err("ROUND", "value is in the error range");
}

/// The fallible stage: Err when `(x & mask) < bound`, else Ok(x / 2). The x
/// reaching it are even: with mask 127 and bound 1 one value in 64 fails (~1.6%
/// of the items reaching it, ~0.8% of the source's items: the "1% Err" cases);
/// with mask 63 and bound 10, 5 in 32 (~15.6%: the "15% Err" cases); with bound
/// 0 none does. The mask and bound are data, so the check costs the same in all.
struct checked_half {
    std::uint64_t mask;
    std::uint64_t bound;
    rill::result<std::int64_t> operator()(std::int64_t x) const {
        if ((static_cast<std::uint64_t>(x) & mask) < bound) [[unlikely]]
            return rounding_error();
        return x / 2;
    }
};

inline constexpr checked_half no_errors{127, 0};
inline constexpr checked_half some_errors{127, 1};
inline constexpr checked_half many_errors{63, 10};

} // namespace bench
