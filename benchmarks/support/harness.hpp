// The shared apparatus of the benchmark binaries: a counting global operator
// new (allocations per item become a user counter), the checksum every peer
// computes, and registration of "<case>/<peer>" benchmarks whose checksums are
// compared once at startup (the binary aborts if two peers disagree, so no
// peer can win by skipping work).
//
// Include this header from exactly ONE translation unit per binary: it defines
// the replaceable global allocation functions (each benchmark binary is a
// single .cpp, so that holds).
#pragma once

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <malloc.h>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace bench {

// Plain load + store rather than fetch_add: no locked instruction on the hot
// path of the allocating peers. Exact for single-threaded cases; concurrent
// cases may lose a few counts, which is fine for a per-item average.
inline std::atomic<long> allocations{0};

// Bytes on the heap, for the cases that report memory: the live total and
// its peak while `tracking` is on. Only in a binary that defines
// BENCH_TRACK_HEAP before including this header (benchmarks/async.cpp): the
// extra branch in operator new and delete changes how g++ inlines the other
// binaries' hot loops (rill push measured 1.35x instead of 1.0x its hand loop).
inline std::atomic<bool> tracking{false};
inline std::atomic<long> live_bytes{0};
inline std::atomic<long> peak_bytes{0};

[[gnu::noinline, gnu::cold]] inline void track(void* p, bool allocated) {
    if (p == nullptr) return;
    const auto size = static_cast<long>(malloc_usable_size(p));
    if (!allocated) {
        live_bytes.fetch_sub(size, std::memory_order_relaxed);
        return;
    }
    const long now = live_bytes.fetch_add(size, std::memory_order_relaxed) + size;
    long peak = peak_bytes.load(std::memory_order_relaxed);
    while (now > peak && !peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
}

inline void note(void* p, bool allocated) {
#ifdef BENCH_TRACK_HEAP
    if (tracking.load(std::memory_order_relaxed)) [[unlikely]]
        track(p, allocated);
#else
    (void)p, (void)allocated;
#endif
}

inline void start_tracking() {
    live_bytes = 0;
    peak_bytes = 0;
    tracking = true;
}

/// The peak of the bytes allocated and not yet freed since `start_tracking()`
/// (-1 in a binary without BENCH_TRACK_HEAP).
inline long stop_tracking() {
    tracking = false;
#ifdef BENCH_TRACK_HEAP
    return peak_bytes.load();
#else
    return -1;
#endif
}

inline void* counted_allocate(std::size_t n) {
    allocations.store(allocations.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) {
        note(p, true);
        return p;
    }
    throw std::bad_alloc();
}

inline void* counted_allocate_aligned(std::size_t n, std::align_val_t al) {
    allocations.store(allocations.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    const auto a = static_cast<std::size_t>(al);
    const std::size_t size = n == 0 ? a : (n + a - 1) / a * a;
    if (void* p = std::aligned_alloc(a, size)) {
        note(p, true);
        return p;
    }
    throw std::bad_alloc();
}

inline void counted_free(void* p) noexcept {
    note(p, false);
    std::free(p);
}

/// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"); 0 where there is none.
inline long status_kib(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.compare(0, field.size() + 1, field + ":") == 0) return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
    return 0;
}

/// Resets the process's peak resident set size to its current size (Linux
/// clear_refs "5") and returns that size in KiB: the peak read after a run,
/// minus this, is the memory the run added at its worst (heap, coroutine
/// frames and thread stacks alike).
inline long reset_peak_rss_kib() {
    std::ofstream("/proc/self/clear_refs") << "5";
    return status_kib("VmRSS");
}

/// What every peer of a case computes: a mix of the Ok values (not a plain
/// sum, so that no compiler can replace a hand loop by a closed form) and the
/// number of Err items.
struct checksum {
    std::int64_t sum = 0;
    std::int64_t errors = 0;
    friend bool operator==(const checksum&, const checksum&) = default;
};

// Wraps around (unsigned arithmetic): a sum of large values must not be signed overflow.
inline void consume(checksum& c, std::int64_t v) {
    c.sum = static_cast<std::int64_t>(static_cast<std::uint64_t>(c.sum) + static_cast<std::uint64_t>(v ^ (v >> 7)));
}

using peer_fn = std::function<checksum(std::int64_t n)>;

struct peer {
    std::string name;
    peer_fn run;
};

struct bench_case {
    std::string name;
    std::int64_t n;        ///< the size the benchmark runs
    std::int64_t verify_n; ///< the (smaller) size the startup check runs
    std::int64_t items;    ///< items a run of size n processes (allocations are per item of these)
    std::vector<peer> peers;
    bool real_time = false; ///< time by the wall clock (cases that run threads), not this thread's CPU time
    bool memory = false;    ///< report the peak memory of a run: peak_heap_kib, peak_rss_kib
};

inline std::vector<bench_case>& cases() {
    static std::vector<bench_case> all;
    return all;
}

/// Adds a case: `items_per_n` scales `n` to the items a run handles (e.g. the
/// inner items of and_then).
inline void add_case(std::string name, std::int64_t n, std::int64_t verify_n, std::int64_t items,
                     std::vector<peer> peers, bool real_time = false, bool memory = false) {
    cases().push_back(bench_case{std::move(name), n, verify_n, items, std::move(peers), real_time, memory});
}

/// Runs every peer of every case once at the smaller size; aborts on a mismatch.
inline void verify_all() {
    for (const auto& c : cases()) {
        checksum first{};
        bool have = false;
        for (const auto& p : c.peers) {
            const checksum got = p.run(c.verify_n);
            if (!have) {
                first = got;
                have = true;
            } else if (!(got == first)) {
                std::fprintf(stderr, "checksum mismatch in case %s: %s gives (%lld, %lld), %s gives (%lld, %lld)\n",
                             c.name.c_str(), c.peers.front().name.c_str(), static_cast<long long>(first.sum),
                             static_cast<long long>(first.errors), p.name.c_str(), static_cast<long long>(got.sum),
                             static_cast<long long>(got.errors));
                std::abort();
            }
        }
        std::fprintf(stderr, "checked %-28s %zu peers agree (sum %lld, errors %lld at n=%lld)\n", c.name.c_str(),
                     c.peers.size(), static_cast<long long>(first.sum), static_cast<long long>(first.errors),
                     static_cast<long long>(c.verify_n));
    }
}

inline void register_all() {
    for (const auto& c : cases()) {
        for (const auto& p : c.peers) {
            const std::int64_t n = c.n;
            const std::int64_t items = c.items;
            peer_fn run = p.run;
            const bool memory = c.memory;
            auto* b = benchmark::RegisterBenchmark((c.name + "/" + p.name).c_str(),
                                         [run, n, items, memory](benchmark::State& state) {
                                             const long rss_before = memory ? reset_peak_rss_kib() : 0;
                                             if (memory) start_tracking();
                                             const long before = allocations.load(std::memory_order_relaxed);
                                             checksum got{};
                                             for (auto _ : state) {
                                                 got = run(n);
                                                 benchmark::DoNotOptimize(got);
                                                 benchmark::ClobberMemory();
                                             }
                                             const long after = allocations.load(std::memory_order_relaxed);
                                             const double total =
                                                 static_cast<double>(state.iterations()) * static_cast<double>(items);
                                             state.counters["allocs_per_item"] =
                                                 static_cast<double>(after - before) / total;
                                             state.counters["items"] = static_cast<double>(items);
                                             // Err items of one run: the report prices an error with it.
                                             state.counters["errors"] = static_cast<double>(got.errors);
                                             if (memory) {
                                                 state.counters["peak_heap_kib"] =
                                                     static_cast<double>(stop_tracking()) / 1024.0;
                                                 state.counters["peak_rss_kib"] =
                                                     static_cast<double>(status_kib("VmHWM") - rss_before);
                                             }
                                             state.SetItemsProcessed(state.iterations() * items);
                                         });
            b->Unit(benchmark::kMillisecond);
            if (c.real_time) b->UseRealTime();
        }
    }
}

/// The main of every benchmark binary: register, check, run.
inline int main(int argc, char** argv, void (*define_cases)()) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    define_cases();
    verify_all();
    register_all();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

} // namespace bench

// The replacements are malloc/free underneath; g++ sees "new" memory reach
// free() when it inlines them and warns, wrongly.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) { return bench::counted_allocate(n); }
void* operator new[](std::size_t n) { return bench::counted_allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return bench::counted_allocate(n);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return bench::counted_allocate(n);
    } catch (...) {
        return nullptr;
    }
}
void* operator new(std::size_t n, std::align_val_t al) { return bench::counted_allocate_aligned(n, al); }
void* operator new[](std::size_t n, std::align_val_t al) { return bench::counted_allocate_aligned(n, al); }
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
    try {
        return bench::counted_allocate_aligned(n, al);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
    try {
        return bench::counted_allocate_aligned(n, al);
    } catch (...) {
        return nullptr;
    }
}
void operator delete(void* p) noexcept { bench::counted_free(p); }
void operator delete[](void* p) noexcept { bench::counted_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { bench::counted_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { bench::counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { bench::counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { bench::counted_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { bench::counted_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { bench::counted_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { bench::counted_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { bench::counted_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { bench::counted_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { bench::counted_free(p); }

#define RILL_BENCH_MAIN(define_cases)                                                                                 \
    int main(int argc, char** argv) { return bench::main(argc, argv, define_cases); }
