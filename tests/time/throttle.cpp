// Tests of include/rill/time/throttle.hpp: throttle(rate, burst[, clock]).
#include <rill/time/throttle.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/testing/manual_clock.hpp>

#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"
#include "time/clocks.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

using namespace std::chrono_literals;
using namespace rill_test;
using rill::testing::manual_clock;

namespace {
// The time (in ms on the manual clock) at which each item left the throttle.
auto stamped(manual_clock clk) {
    return rill::map([clk](int) { return static_cast<int>(clk.elapsed() / 1ms); });
}
} // namespace

TEST_CASE("throttle lets a full bucket of items through at once, then one per interval") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        CHECK(show_via(how, rill::iota(0, 6) | rill::throttle(10, 3, clk) | stamped(clk)) == "0 0 0 100 200 300");
        CHECK(schedule(clk) == "100ms 100ms 100ms");
    }
}

TEST_CASE("throttle with the default burst of 1 spaces every item by the interval") {
    manual_clock clk;
    CHECK(show(rill::iota(0, 4) | rill::throttle(4, 1, clk) | stamped(clk)) == "0 250 500 750");
    manual_clock clk2;
    CHECK(show(rill::iota(0, 3) | rill::throttle(2.0) | rill::take(1)) == "0"); // real clock, no wait for one item
    CHECK(show(rill::throttle(rill::iota(0, 3), 1000, 1, clk2)) == "0 1 2");
    CHECK(schedule(clk2) == "1ms 1ms");
}

TEST_CASE("throttle refills its tokens while the consumer is slow, up to the burst") {
    manual_clock clk;
    const auto s = rill::iota(0, 10) | rill::throttle(10, 3, clk);
    auto c = s.open();
    for (int i = 0; i < 3; ++i) CHECK(**c.next() == i);
    CHECK(schedule(clk) == "");
    clk.advance(250ms); // 2.5 tokens back
    CHECK(**c.next() == 3);
    CHECK(**c.next() == 4);
    CHECK(schedule(clk) == "");
    CHECK(**c.next() == 5); // waits for the half token left
    CHECK(schedule(clk) == "50ms");
    clk.advance(10s); // a long pause refills at most `burst` tokens
    for (int i = 6; i < 9; ++i) CHECK(**c.next() == i);
    CHECK(schedule(clk) == "50ms");
    CHECK(**c.next() == 9);
    CHECK(schedule(clk) == "50ms 100ms");
}

TEST_CASE("Err items take tokens too, and pass unchanged") {
    manual_clock clk;
    CHECK(shown(rill::from(items({-1, 1, -2})) | rill::throttle(1, 1, clk)) == "!E1 1 !E2");
    CHECK(schedule(clk) == "1000ms 1000ms 1000ms 1000ms 1000ms 1000ms"); // three runs (one each way) of two waits
}

TEST_CASE("throttle never delays the end of a run, nor a run without items") {
    manual_clock clk;
    CHECK(show(rill::of(1, 2) | rill::throttle(1, 1, clk)) == "1 2");
    CHECK(schedule(clk) == "1000ms");
    CHECK(show(rill::iota(0, 0) | rill::throttle(1, 1, clk)) == "");
    CHECK(schedule(clk) == "1000ms");
}

TEST_CASE("the bucket is full at a run's first item, not when the pipeline is built or opened") {
    manual_clock clk;
    const auto s = rill::iota(0, 3) | rill::throttle(1, 2, clk) | stamped(clk);
    clk.advance(5s);
    auto c = s.open();
    clk.advance(5s);
    CHECK(**c.next() == 10000);
    CHECK(**c.next() == 10000);
    CHECK(**c.next() == 11000);
    CHECK(schedule(clk) == "1000ms");
    // A second run starts with a full bucket of its own.
    CHECK(show(s) == "11000 11000 12000");
}

TEST_CASE("a fractional rate gives the nearest nanosecond interval") {
    manual_clock clk;
    CHECK(show(rill::iota(0, 3) | rill::throttle(3, 1, clk)) == "0 1 2");
    CHECK(schedule(clk) == "333333333ns 333333333ns");
    manual_clock clk2;
    CHECK(show(rill::iota(0, 2) | rill::throttle(0.5, 1, clk2)) == "0 1");
    CHECK(schedule(clk2) == "2000ms");
}

TEST_CASE("throttle stopped early or by an exception releases upstream") {
    for (via how : every_way) {
        CAPTURE(how);
        manual_clock clk;
        auto log = new_log();
        CHECK(show_via(how, resource_over(log, "r", rill::iota(0, 10)) | rill::throttle(10, 1, clk) | rill::take(2)) == "0 1");
        CHECK(events_of(log) == "open r | close r stopped_early");
        CHECK(schedule(clk) == "100ms");

        auto log2 = new_log();
        auto calls = counter();
        const auto s = resource_over(log2, "r", rill::iota(0, 10)) | rill::throttle(10, 1, clk) |
                       rill::map(counted([](int x) { return x; }, calls, 2));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(events_of(log2) == "open r | close r failed");
    }
}

TEST_CASE("building a throttle pipeline pulls nothing and sleeps nothing") {
    manual_clock clk;
    auto pulls = counter();
    const auto s = count_pulls(rill::iota(0, 3), pulls) | rill::throttle(1, 1, clk);
    CHECK(*pulls == 0);
    CHECK(schedule(clk) == "");
    CHECK(show_via(via::next, s | rill::take(1)) == "0");
    CHECK(*pulls == 1);
    CHECK(schedule(clk) == "");
}

TEST_CASE("throttle has the same items in the call form and the pipe form") {
    manual_clock a;
    manual_clock b;
    CHECK(show(rill::throttle(rill::of(1, 2, 3), 5, 2, a)) == show(rill::of(1, 2, 3) | rill::throttle(5, 2, b)));
    CHECK(schedule(a) == "200ms");
    CHECK(schedule(a) == schedule(b));
}

TEST_CASE("throttle rejects a rate that is not positive and finite, or a burst of 0, when it is built") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (double rate : {0.0, -1.0, nan, inf}) {
        CAPTURE(rate);
        CHECK_THROWS_WITH_AS(rill::throttle(rate), "rill::throttle: the rate must be a positive number of items per second",
                             std::invalid_argument);
        CHECK_THROWS_WITH_AS(rill::throttle(rill::of(1), rate), "rill::throttle: the rate must be a positive number of items per second",
                             std::invalid_argument);
    }
    CHECK_THROWS_WITH_AS(rill::throttle(1, 0), "rill::throttle: the burst must be at least 1", std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::throttle(rill::of(1), 1, 0), "rill::throttle: the burst must be at least 1", std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::throttle(2e9), "rill::throttle: the rate must be at most 1e9 items per second",
                         std::invalid_argument);
}
