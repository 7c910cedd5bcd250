// Structured cancellation across the concurrent operators: no thread outlives
// its run, early stop is prompt, upstream is released.
#include <rill/concurrent/buffer.hpp>
#include <rill/concurrent/merge.hpp>
#include <rill/concurrent/par_map.hpp>
#include <rill/concurrent/timeout.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/take.hpp>

#include "concurrency/support.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace rill_conc;
using namespace std::chrono_literals;

TEST_CASE("a run's threads exist while it runs and are gone when its cursor is") {
    const std::size_t baseline = baseline_thread_count();
    {
        auto c = (rill::iota(0) | rill::par_map([](int x) { return x; }, {.workers = 3}) | rill::buffer(4)).open();
        CHECK(c.next()->value() == 0);
        // par_map's 3 threads and buffer's producer: the test can see
        // threads, so it would catch a leak.
        CHECK(thread_count() == baseline + 4);
    }
    CHECK(settled_thread_count(baseline) == baseline);
}

TEST_CASE("the thread count returns to its baseline after 1000 early-stopped runs") {
    auto stats = std::make_shared<source_stats>();
    auto id = [](int x) { return x; };
    auto pipeline = counted_source(stats, -1) | rill::buffer(8) | rill::par_map(id, {.workers = 2}) |
                    rill::timeout(1h) | rill::take(3);
    auto merged = rill::merge(counted_source(stats, -1), rill::iota(0)) | rill::take(2);
    const std::size_t baseline = baseline_thread_count();
    for (int i = 0; i < 1000; ++i) {
        REQUIRE(rill::collect(pipeline).size() == 3);
        REQUIRE(rill::collect(merged).size() == 2);
    }
    CHECK(settled_thread_count(baseline) == baseline);
    CHECK(stats->opened == 2000);
    CHECK(stats->closed == 2000);
}
