// Tests of include/rill/time/backoff.hpp: the delays of a backoff, jitter,
// validation.
#include <rill/time/backoff.hpp>

#include "time/clocks.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;
using rill_test::duration_text;

namespace {
std::string delays(const rill::backoff& b, std::size_t n, std::uint64_t stream = 0) {
    std::string out;
    for (std::size_t k = 1; k <= n; ++k) out += (k > 1 ? " " : "") + duration_text(b.delay(k, stream));
    return out;
}
} // namespace

TEST_CASE("the default backoff doubles from 100ms and is capped at 10s, without jitter") {
    CHECK(delays(rill::backoff{}, 9) == "100ms 200ms 400ms 800ms 1600ms 3200ms 6400ms 10000ms 10000ms");
}

TEST_CASE("a constant backoff gives the same delay before every retry") {
    CHECK(delays(rill::backoff::constant(50ms), 4) == "50ms 50ms 50ms 50ms");
    CHECK(delays(rill::backoff{.initial = 7ms, .multiplier = 1, .max = 1s}, 3) == "7ms 7ms 7ms");
    CHECK(delays(rill::backoff::none(), 2) == "0ms 0ms");
}

TEST_CASE("an exponential backoff multiplies the delay by its multiplier and caps it at max") {
    CHECK(delays(rill::backoff::exponential(10ms, 100ms, 3), 6) == "10ms 30ms 90ms 100ms 100ms 100ms");
    CHECK(delays(rill::backoff{.initial = 1ms, .multiplier = 10, .max = 1s}, 5) == "1ms 10ms 100ms 1000ms 1000ms");
    // A huge retry number saturates at the cap instead of overflowing.
    CHECK(rill::backoff::exponential(1ms, 5s).delay(100000) == 5s);
}

TEST_CASE("jitter shortens each delay by at most the jitter fraction") {
    const rill::backoff b{.initial = 100ms, .multiplier = 1, .max = 100ms, .jitter = 0.5, .seed = 42};
    bool some_differ = false;
    for (std::size_t k = 1; k <= 50; ++k) {
        const auto d = b.delay(k);
        CHECK(d >= 50ms);
        CHECK(d <= 100ms);
        some_differ |= d != b.delay(1);
    }
    CHECK(some_differ);
}

TEST_CASE("jitter is deterministic: the same seed and sequence give the same delays") {
    const rill::backoff a{.initial = 100ms, .jitter = 1.0, .seed = 7};
    const rill::backoff b = a;
    CHECK(delays(a, 5) == delays(b, 5));
    CHECK(delays(a, 5, 3) == delays(b, 5, 3));
    const rill::backoff other_seed{.initial = 100ms, .jitter = 1.0, .seed = 8};
    CHECK(delays(a, 5) != delays(other_seed, 5));
    CHECK(delays(a, 5, 0) != delays(a, 5, 1)); // sequences (items) differ
}

TEST_CASE("a backoff out of range is rejected with a message naming the operator") {
    auto check = [](rill::backoff b, const std::string& what) {
        CHECK_THROWS_WITH_AS(b.validate("rill::x"), ("rill::x: " + what).c_str(), std::invalid_argument);
    };
    check({.initial = -1ms}, "backoff.initial must not be negative");
    check({.max = -1ms}, "backoff.max must not be negative");
    check({.multiplier = 0.5}, "backoff.multiplier must be at least 1");
    check({.jitter = 1.5}, "backoff.jitter must be in [0, 1]");
    check({.jitter = -0.1}, "backoff.jitter must be in [0, 1]");
    CHECK_NOTHROW(rill::backoff{}.validate("rill::x"));
    CHECK_NOTHROW(rill::backoff::none().validate("rill::x"));
}
