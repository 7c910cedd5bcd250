// The memory of a run with many Err items: a sink that hands them to an
// error_summary holds the same peak of live heap bytes whether the run has a
// thousand errors or a hundred thousand; one that keeps every error grows.
//
// A SEPARATE test program: it replaces the global operator new/delete to
// track live heap bytes (malloc_usable_size of each block), so it must not be
// linked into the unit test binary.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <rill/sink/count.hpp>
#include <rill/sink/error_summary.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/sink/partition.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/named.hpp>
#include <rill/stage/try_map.hpp>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <string>

namespace {

std::atomic<long> g_live{0}; // heap bytes allocated through operator new and not yet freed
std::atomic<long> g_peak{0};

void* tracked_allocate(std::size_t n) {
    void* p = std::malloc(n == 0 ? 1 : n);
    if (p == nullptr) throw std::bad_alloc();
    const long live = g_live.fetch_add(long(malloc_usable_size(p)), std::memory_order_relaxed) + long(malloc_usable_size(p));
    long peak = g_peak.load(std::memory_order_relaxed);
    while (live > peak && !g_peak.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {}
    return p;
}
void tracked_free(void* p) noexcept {
    if (p == nullptr) return;
    g_live.fetch_sub(long(malloc_usable_size(p)), std::memory_order_relaxed);
    std::free(p);
}

/// The peak of live heap bytes while `f` runs, above what was live when it started.
template <class F>
long peak_during(F&& f) {
    const long base = g_live.load();
    g_peak.store(base);
    f();
    return g_peak.load() - base;
}

/// A run of `n` records of which every second one is malformed: an Err item
/// with a message too long for the small-string buffer, and provenance.
auto records(int n) {
    return rill::iota(0, n) | rill::try_map([](int x) -> rill::result<int> {
               if (x % 2 == 1) return rill::err("PARSE", "record " + std::to_string(x) + " is malformed: expected a number");
               return x;
           }) |
           rill::named("parse");
}

} // namespace

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) { return tracked_allocate(n); }
void* operator new[](std::size_t n) { return tracked_allocate(n); }
void operator delete(void* p) noexcept { tracked_free(p); }
void operator delete[](void* p) noexcept { tracked_free(p); }
void operator delete(void* p, std::size_t) noexcept { tracked_free(p); }
void operator delete[](void* p, std::size_t) noexcept { tracked_free(p); }

TEST_CASE("for_each with an error_summary: peak memory flat from 1k to 100k Err items") {
    auto run = [](int n) {
        return peak_during([n] {
            auto summary = rill::for_each(records(n), [](int) {}, rill::error_summary(5));
            REQUIRE(summary.count() == std::size_t(n / 2));
        });
    };
    const long small = run(2'000);
    const long large = run(200'000);
    CAPTURE(small);
    CAPTURE(large);
    CHECK(large <= small + 1024);
}

TEST_CASE("partition with an error_summary holds the values only") {
    auto run = [](int n) {
        return peak_during([n] {
            auto [values, summary] = rill::partition(records(n), rill::error_summary(5));
            REQUIRE(values.size() == std::size_t(n / 2));
            REQUIRE(summary.count() == std::size_t(n / 2));
        });
    };
    const long large = run(200'000);
    CAPTURE(large);
    // 100k ints in a vector that grows by doubling: under 1 MiB; every error kept would be ~15 MiB.
    CHECK(large < 1024 * 1024);
}

TEST_CASE("count, next() and a range-for: peak memory flat from 1k to 100k Err items") {
    auto run = [](int n, int how) {
        return peak_during([n, how] {
            std::size_t errors = 0;
            if (how == 0) {
                REQUIRE(rill::count(records(n)) == std::size_t(n));
                errors = std::size_t(n / 2);
            } else if (how == 1) {
                auto c = records(n).open();
                while (auto r = c.next()) errors += r->has_value() ? 0 : 1;
            } else {
                for (const auto& r : records(n)) errors += r.has_value() ? 0 : 1;
            }
            REQUIRE(errors == std::size_t(n / 2));
        });
    };
    for (int how = 0; how < 3; ++how) {
        const long small = run(2'000, how);
        const long large = run(200'000, how);
        CAPTURE(how);
        CAPTURE(small);
        CAPTURE(large);
        CHECK(large <= small + 1024);
    }
}

TEST_CASE("the measure can fail: for_each keeping every error grows with their number") {
    auto run = [](int n) {
        return peak_during([n] { REQUIRE(rill::for_each(records(n), [](int) {}).size() == std::size_t(n / 2)); });
    };
    const long small = run(2'000);
    const long large = run(200'000);
    CAPTURE(small);
    CAPTURE(large);
    CHECK(large > 50 * small);
}
