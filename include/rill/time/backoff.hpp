/// \file
/// `rill::backoff`: how long a retry waits before its next attempt, as data:
/// constant, exponential with a cap, optionally with deterministic jitter.
#pragma once

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace rill {

/// The delay before each retry: `initial * multiplier^(k-1)` before retry k
/// (k = 1 is the second attempt), capped at `max`, then shortened by jitter.
///
/// A plain aggregate: `rill::backoff{.initial = 50ms, .multiplier = 2, .max = 1s}`.
/// `multiplier = 1` is a constant backoff. With `jitter = j > 0` each delay is
/// multiplied by `1 - j * u`, `u` uniform in [0, 1) drawn from a counter-based
/// generator seeded by `seed`: the same seed gives the same delays on every run,
/// so tests are deterministic; seed it from `std::random_device` in production
/// to spread retries of several processes apart.
struct backoff {
    std::chrono::nanoseconds initial = std::chrono::milliseconds(100); ///< the delay before the first retry
    double multiplier = 2.0;                                           ///< growth per retry; 1 = constant
    std::chrono::nanoseconds max = std::chrono::seconds(10);           ///< the cap on a delay (before jitter)
    double jitter = 0.0;                                               ///< in [0, 1]: the largest fraction cut off a delay
    std::uint64_t seed = 0;                                            ///< seeds the jitter generator

    /// The same delay `d` before every retry.
    static constexpr backoff constant(std::chrono::nanoseconds d) { return backoff{d, 1.0, d, 0.0, 0}; }

    /// `initial`, `initial * multiplier`, ... capped at `max`.
    static constexpr backoff exponential(std::chrono::nanoseconds initial, std::chrono::nanoseconds max,
                                         double multiplier = 2.0) {
        return backoff{initial, multiplier, max, 0.0, 0};
    }

    /// No delay at all between attempts.
    static constexpr backoff none() { return constant(std::chrono::nanoseconds::zero()); }

    /// The delay before retry `k` (1-based) of the sequence `stream`: operators
    /// number their independent retry sequences (one per item for `retrying`),
    /// so that jittered delays differ between items but not between runs.
    std::chrono::nanoseconds delay(std::size_t k, std::uint64_t stream = 0) const {
        const double base = static_cast<double>(initial.count());
        const double cap = static_cast<double>(max.count());
        double d = k <= 1 ? base : base * std::pow(multiplier, static_cast<double>(k - 1));
        if (!(d < cap)) d = cap; // also catches inf
        if (jitter > 0.0) d *= 1.0 - jitter * unit(stream, k);
        return std::chrono::nanoseconds(static_cast<std::chrono::nanoseconds::rep>(std::llround(d)));
    }

    /// Throws `std::invalid_argument` naming `who` when a field is out of range.
    void validate(const char* who) const {
        auto bad = [&](const char* what) { throw std::invalid_argument(std::string(who) + ": backoff." + what); };
        if (initial < std::chrono::nanoseconds::zero()) bad("initial must not be negative");
        if (max < std::chrono::nanoseconds::zero()) bad("max must not be negative");
        if (!(multiplier >= 1.0)) bad("multiplier must be at least 1");
        if (!(jitter >= 0.0 && jitter <= 1.0)) bad("jitter must be in [0, 1]");
    }

private:
    // splitmix64 over (seed, stream, k): a counter-based generator needs no
    // state, so delays do not depend on which thread asked first.
    static constexpr std::uint64_t mix(std::uint64_t x) {
        x += 0x9E3779B97F4A7C15ull;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        return x ^ (x >> 31);
    }
    double unit(std::uint64_t stream, std::size_t k) const {
        const std::uint64_t x = mix(mix(mix(seed) ^ stream) ^ static_cast<std::uint64_t>(k));
        return static_cast<double>(x >> 11) * 0x1.0p-53;
    }
};

} // namespace rill
