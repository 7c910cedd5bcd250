// iota | map | filter | try_map against the hand-written loop that computes the
// same sum: the loop is the speed limit, the pipeline should sit next to it.
#include <rill/source/iota.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/try_map.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>

namespace {

constexpr std::int64_t n = std::int64_t{1} << 22;

constexpr std::int64_t square(std::int64_t x) { return x * x; }
constexpr bool is_even(std::int64_t x) { return x % 2 == 0; }
// Fails on one item in 1024 (i * i is a multiple of 2^20 exactly when i is a
// multiple of 2^10), so the Err path is exercised but rare.
rill::result<std::int64_t> checked_half(std::int64_t x) {
    if (x % (1 << 20) == 0) return rill::err("ROUND", "multiple of 2^20");
    return x / 2;
}

void hand_loop(benchmark::State& state) {
    for (auto _ : state) {
        std::int64_t sum = 0;
        std::int64_t errors = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            const std::int64_t x = square(i);
            if (!is_even(x)) continue;
            if (x % (1 << 20) == 0) {
                ++errors;
                continue;
            }
            sum += x / 2;
        }
        benchmark::DoNotOptimize(sum);
        benchmark::DoNotOptimize(errors);
    }
    state.SetItemsProcessed(state.iterations() * n);
}

void rill_pipeline(benchmark::State& state) {
    for (auto _ : state) {
        auto s = rill::iota(std::int64_t{0}, n) | rill::map(square) | rill::filter(is_even)
                 | rill::try_map(checked_half);
        std::int64_t sum = 0;
        std::int64_t errors = 0;
        auto c = std::move(s).open();
        while (auto r = c.next()) {
            if (*r) sum += **r;
            else ++errors;
        }
        benchmark::DoNotOptimize(sum);
        benchmark::DoNotOptimize(errors);
    }
    state.SetItemsProcessed(state.iterations() * n);
}

} // namespace

BENCHMARK(hand_loop)->Unit(benchmark::kMillisecond);
BENCHMARK(rill_pipeline)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
