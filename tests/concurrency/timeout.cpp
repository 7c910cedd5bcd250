// Tests of include/rill/concurrent/timeout.hpp
#include <rill/concurrent/timeout.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/testing/manual_clock.hpp>

#include "concurrency/support.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>

using namespace rill_conc;
using namespace rill_test;
using namespace std::chrono_literals;

TEST_CASE("timeout with a negative duration is refused at construction") {
    CHECK_THROWS_WITH_AS(rill::timeout(-1ms), "rill::timeout: the duration must not be negative", std::invalid_argument);
    CHECK_THROWS_AS(rill::timeout(rill::iota(0, 1), -1s), std::invalid_argument);
}

TEST_CASE("timeout passes items that arrive in time unchanged, Err items in position, both forms") {
    rill::testing::manual_clock clock;
    CHECK(shown(rill::from(items({-1, 1, 2})) | rill::timeout(10ms, clock)) == "!E1 1 2");
    CHECK(shown(rill::timeout(rill::from(items({1, -2, 3})), 10ms, clock)) == "1 !E2 3");
    CHECK(shown(rill::from(items({})) | rill::timeout(10ms)) == "");
}

TEST_CASE("timeout does not pull ahead: upstream is asked only when the consumer asks") {
    auto stats = std::make_shared<source_stats>();
    auto v = pull_all(counted_source(stats, 50) | rill::timeout(1h), *stats);
    CHECK(v.size() == 50);
    CHECK(stats->max_ahead.load() <= 1);
}

TEST_CASE("a slow pull yields Err timeout; the late item is the next item, nothing is lost") {
    rill::testing::manual_clock clock;
    gate release;
    auto up = rill::iota(0, 3) | rill::map([&](int x) {
                  if (x == 1) release.wait();
                  return x;
              });
    auto c = (up | rill::timeout(50ms, clock)).open();
    CHECK(c.next()->value() == 0);
    std::jthread ticker([&] {
        clock.await_waiters(1);
        clock.advance(50ms);
    });
    auto r = c.next();
    REQUIRE(r.has_value());
    REQUIRE_FALSE(r->has_value());
    CHECK(r->error().code == "timeout");
    ticker.join();
    release.open();
    CHECK(c.next()->value() == 1); // the pending pull's item
    CHECK(c.next()->value() == 2);
    CHECK_FALSE(c.next().has_value());
}

TEST_CASE("timeout: each pull of a hanging upstream gives another Err timeout; the cursor still stops") {
    rill::testing::manual_clock clock;
    gate release;
    std::latch entered(1);
    auto stats = std::make_shared<source_stats>();
    auto up = counted_source(stats, -1) | rill::map([&](int x) {
                  entered.count_down();
                  release.wait();
                  return x;
              });
    {
        auto c = (up | rill::timeout(1s, clock)).open();
        for (int i = 0; i < 3; ++i) {
            std::jthread ticker([&] {
                clock.await_waiters(1);
                clock.advance(1s);
            });
            auto r = c.next();
            REQUIRE(r.has_value());
            CHECK(r->error().code == "timeout");
        }
        entered.wait();
        release.open(); // the destructor waits for the pending pull to return
    }
    CHECK(stats->closed == 1);
}

TEST_CASE("an exception from upstream reaches the consumer at its position") {
    auto stats = std::make_shared<source_stats>();
    auto c = (counted_source(stats, 10, -1, 2) | rill::timeout(1h)).open();
    CHECK(c.next()->value() == 0);
    CHECK(c.next()->value() == 1);
    CHECK_THROWS_WITH(c.next(), "upstream boom");
    CHECK(stats->closed == 1);
    CHECK_FALSE(c.next().has_value());
}

TEST_CASE("timeout stopped early releases upstream") {
    auto stats = std::make_shared<source_stats>();
    CHECK(show(counted_source(stats, -1) | rill::timeout(1h) | rill::take(2)) == "0 1");
    CHECK(stats->closed == 1);
}
