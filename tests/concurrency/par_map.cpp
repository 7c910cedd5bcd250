// Tests of include/rill/concurrent/par_map.hpp
#include <rill/concurrent/par_map.hpp>

#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/testing/manual_clock.hpp>

#include "concurrency/support.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace rill_conc;
using namespace rill_test;
using namespace std::chrono_literals;

namespace {
auto times10 = [](int x) { return x * 10; };

/// Sorted show, for unordered runs: Ok values ascending, then Err codes.
template <class S>
std::string show_sorted(S&& s) {
    std::vector<int> oks;
    std::vector<std::string> errs;
    for (auto& r : rill::collect(std::forward<S>(s))) {
        if (r) oks.push_back(*r);
        else errs.push_back("!" + r.error().code);
    }
    std::sort(oks.begin(), oks.end());
    std::sort(errs.begin(), errs.end());
    std::string out;
    for (int v : oks) out += (out.empty() ? "" : " ") + std::to_string(v);
    for (auto& e : errs) out += (out.empty() ? "" : " ") + e;
    return out;
}
} // namespace

TEST_CASE("par_map refuses bad options at construction") {
    CHECK_THROWS_WITH_AS(rill::par_map(times10, {.workers = 0}), "rill::par_map: opts.workers must be at least 1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::par_try_map([](int x) { return rill::result<int>(x); }, {.workers = 0}),
                         "rill::par_try_map: opts.workers must be at least 1", std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::par_map(times10, {.workers = 4, .max_in_flight = 2}),
                         "rill::par_map: opts.max_in_flight must be 0 or at least opts.workers",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::par_map(rill::of(1), times10, {.timeout = -1ms}),
                         "rill::par_map: opts.timeout must not be negative", std::invalid_argument);
}

TEST_CASE("par_map in ordered mode keeps order; Err items pass in position without calling f") {
    std::atomic<int> calls{0};
    auto f = [&calls](int x) {
        ++calls;
        return x * 10;
    };
    for (std::size_t w : {1u, 2u, 4u}) {
        CAPTURE(w);
        const rill::par_options o{.workers = w};
        CHECK(shown(rill::from(items({-1, 1, 2})) | rill::par_map(f, o)) == "!E1 10 20");
        CHECK(shown(rill::from(items({1, -2, 3})) | rill::par_map(f, o)) == "10 !E2 30");
        CHECK(shown(rill::par_map(rill::from(items({1, 2, -3})), f, o)) == "10 20 !E3");
        CHECK(shown(rill::from(items({})) | rill::par_map(f, o)) == "");
    }
    calls = 0;
    CHECK(show(rill::from(items({-1, 1, -2, 3, -4})) | rill::par_map(f, {.workers = 2})) == "!E1 10 !E2 30 !E4");
    CHECK(calls == 2);
}

TEST_CASE("par_try_map: an Err from f is an item in its place and does not cancel its siblings") {
    auto f = [](int x) -> rill::result<int> {
        if (x % 3 == 0) return rill::err("THREE", "divisible by 3");
        return x;
    };
    CHECK(shown(rill::iota(1, 8) | rill::par_try_map(f, {.workers = 3})) == "1 2 !THREE 4 5 !THREE 7");
    CHECK(shown(rill::from(items({1, -2, 3})) | rill::par_try_map(f, {.workers = 2})) == "1 !E2 !THREE");
    CHECK(show_sorted(rill::iota(1, 8) | rill::par_try_map(f, {.workers = 3, .ordered = false})) ==
          "1 2 4 5 7 !THREE !THREE");
}

TEST_CASE("par_map unordered gives every item once") {
    CHECK(show_sorted(rill::from(items({1, -2, 3, 4, -5})) | rill::par_map(times10, {.workers = 3, .ordered = false})) ==
          "10 30 40 !E2 !E5");
    auto v = rill::collect(rill::iota(0, 20000) | rill::par_map(times10, {.workers = 4, .ordered = false}));
    std::vector<int> got;
    for (auto& r : v) got.push_back(r.value());
    std::sort(got.begin(), got.end());
    REQUIRE(got.size() == 20000);
    bool all = true;
    for (int i = 0; i < 20000; ++i) all = all && got[std::size_t(i)] == i * 10;
    CHECK(all);
}

TEST_CASE("par_map reaches opts.workers calls at once (a barrier that would deadlock otherwise)") {
    for (bool ordered : {true, false}) {
        CAPTURE(ordered);
        constexpr std::size_t w = 4;
        std::barrier sync(w);
        std::atomic<int> now{0}, peak{0};
        auto f = [&](int x) {
            const int k = ++now;
            int p = peak.load();
            while (k > p && !peak.compare_exchange_weak(p, k)) {}
            if (x < int(w)) sync.arrive_and_wait(); // the first w items meet: all w workers busy at once
            --now;
            return x;
        };
        CHECK(rill::count(rill::iota(0, 200) | rill::par_map(f, {.workers = w, .ordered = ordered})) == 200);
        CHECK(peak == int(w));
    }
}

TEST_CASE("par_map never has more than max_in_flight items pulled ahead, nor more than workers calls at once") {
    // 8 workers on fewer cores: threads wait for items while one pulls, so
    // pulled items are left pending for them; the bounds hold all the same.
    for (const std::size_t w : {3, 8}) {
        for (bool ordered : {true, false}) {
            CAPTURE(w);
            CAPTURE(ordered);
            auto stats = std::make_shared<source_stats>();
            std::atomic<int> now{0}, peak{0};
            auto f = [&](int x) {
                const int k = ++now;
                int p = peak.load();
                while (k > p && !peak.compare_exchange_weak(p, k)) {}
                std::this_thread::yield();
                --now;
                return x;
            };
            const std::size_t window = w + 2;
            auto v = pull_all(counted_source(stats, 3000) |
                                  rill::par_map(f, {.workers = w, .ordered = ordered, .max_in_flight = window}),
                              *stats);
            CHECK(v.size() == 3000);
            CHECK(stats->max_ahead.load() <= long(window));
            CHECK(peak <= int(w));
            std::vector<int> got;
            for (auto& r : v) got.push_back(r.value());
            if (!ordered) std::sort(got.begin(), got.end());
            bool each_once_in_order = true;
            for (int i = 0; i < 3000; ++i) each_once_in_order = each_once_in_order && got[std::size_t(i)] == i;
            CHECK(each_once_in_order);
        }
    }
}

TEST_CASE("par_map ordered: a slow item does not stall later work within the window") {
    // Item 0 blocks until items 1..4 (the rest of a window of 5) have been mapped.
    std::latch others(4);
    auto f = [&](int x) {
        if (x == 0) others.wait();
        else if (x <= 4) others.count_down();
        return x;
    };
    CHECK(show(rill::iota(0, 8) | rill::par_map(f, {.workers = 2, .max_in_flight = 5})) == "0 1 2 3 4 5 6 7");
}

TEST_CASE("an exception from f reaches the consumer at that item's position, after the workers stopped") {
    for (bool ordered : {true, false}) {
        CAPTURE(ordered);
        auto stats = std::make_shared<source_stats>();
        std::atomic<int> calls{0};
        auto f = [&](int x) {
            ++calls;
            if (x == 3) throw std::runtime_error("f boom");
            return x;
        };
        auto c = (counted_source(stats, 100) | rill::par_map(f, {.workers = 2, .ordered = ordered})).open();
        std::vector<int> got;
        bool threw = false;
        try {
            while (auto r = c.next()) got.push_back(r->value());
        } catch (const std::runtime_error& e) {
            threw = std::string(e.what()) == "f boom";
            // Stopped: upstream released, and no worker calls f any more.
            CHECK(stats->closed == 1);
            const int seen = calls;
            CHECK(calls == seen);
        }
        CHECK(threw);
        if (ordered) CHECK(got == std::vector<int>{0, 1, 2});
        CHECK_FALSE(c.next().has_value()); // the run is over
    }
}

TEST_CASE("an exception from upstream reaches the consumer after the items before it") {
    auto stats = std::make_shared<source_stats>();
    auto c = (counted_source(stats, 100, -1, 4) | rill::par_map(times10, {.workers = 3})).open();
    std::vector<int> got;
    CHECK_THROWS_WITH([&] { while (auto r = c.next()) got.push_back(r->value()); }(), "upstream boom");
    CHECK(got == std::vector<int>{0, 10, 20, 30});
    CHECK(stats->closed == 1);
}

TEST_CASE("par_map stopped early joins its workers and releases upstream") {
    auto stats = std::make_shared<source_stats>();
    CHECK(show(counted_source(stats, -1) | rill::par_map(times10, {.workers = 3}) | rill::take(3)) == "0 10 20");
    CHECK(stats->closed == 1);
    CHECK(stats->opened == 1);
}

TEST_CASE("par_map per-item timeout: a late item becomes Err timeout in its place (manual clock)") {
    for (bool ordered : {true, false}) {
        CAPTURE(ordered);
        rill::testing::manual_clock clock;
        gate release, advanced;
        std::latch got_first(1);
        // Item 1's f hangs until the end; item 2 is pulled only once the clock has
        // moved, so that at the moment time moves only item 1 is running.
        auto up = rill::iota(0, 4) | rill::map([&](int x) {
                      if (x == 2) advanced.wait();
                      return x;
                  });
        auto f = [&](int x) {
            if (x == 1) release.wait();
            return x * 10;
        };
        auto c = (up | rill::par_map(f, {.workers = 2, .ordered = ordered, .max_in_flight = 2, .timeout = 50ms}, clock))
                     .open();
        std::jthread ticker([&] {
            got_first.wait();
            clock.await_waiters(1); // the consumer waits for item 1's deadline
            clock.advance(50ms);
            advanced.open();
        });
        std::vector<std::string> got;
        for (int i = 0; i < 4; ++i) {
            auto r = c.next();
            REQUIRE(r.has_value());
            got.push_back(*r ? std::to_string(**r) : "!" + r->error().code);
            if (i == 0) got_first.count_down();
        }
        release.open();
        CHECK_FALSE(c.next().has_value());
        if (ordered) {
            CHECK(got == std::vector<std::string>{"0", "!timeout", "20", "30"});
        } else {
            std::sort(got.begin(), got.end());
            CHECK(got == std::vector<std::string>{"!timeout", "0", "20", "30"});
        }
    }
}

TEST_CASE("par_map timeout leaves items that finish in time alone") {
    rill::testing::manual_clock clock;
    CHECK(show(rill::iota(0, 50) | rill::par_map(times10, {.workers = 2, .timeout = 1ms}, clock) | rill::take(3)) ==
          "0 10 20");
}

TEST_CASE("par_map over a replayable stream is replayable") {
    auto s = rill::iota(0, 6) | rill::par_map(times10, {.workers = 2});
    static_assert(rill::replayable_stream<decltype(s)>);
    CHECK(show(s) == "0 10 20 30 40 50");
    CHECK(show(s) == "0 10 20 30 40 50");
}

TEST_CASE("par_map's threads: none for one worker (map on the consumer's thread), otherwise workers of the run's own") {
    const auto consumer = std::this_thread::get_id();
    SUBCASE("workers = 1: f runs on the consumer's thread only") {
        std::atomic<int> elsewhere{0};
        auto f = [&](int x) {
            if (std::this_thread::get_id() != consumer) ++elsewhere;
            return x;
        };
        CHECK(show(rill::iota(0, 50) | rill::par_map(f, {.workers = 1})) == show(rill::iota(0, 50)));
        CHECK(elsewhere == 0);
    }
    SUBCASE("with a timeout the consumer only watches the clock: f never runs on its thread") {
        std::atomic<int> here{0};
        auto f = [&](int x) {
            if (std::this_thread::get_id() == consumer) ++here;
            return x;
        };
        CHECK(rill::count(rill::iota(0, 50) | rill::par_map(f, {.workers = 2, .timeout = 1h})) == 50);
        CHECK(here == 0);
    }
    SUBCASE("thread counts") {
        const std::size_t baseline = baseline_thread_count();
        for (const bool timed : {false, true}) {
            CAPTURE(timed);
            rill::par_options o{.workers = 3};
            if (timed) o.timeout = 1h;
            {
                auto c = (rill::iota(0) | rill::par_map(times10, o)).open();
                CHECK(c.next()->value() == 0);
                CHECK(thread_count() == baseline + 3);
            }
            CHECK(settled_thread_count(baseline) == baseline);
        }
    }
}
