// Compile-time probe: a 5-stage pipeline and a sink, including only the
// headers it uses (as range_v3_pipeline.cpp does for range-v3).
#include <rill/sink/fold.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/try_map.hpp>

rill::result<long long> rill_pipeline_probe(long long n);

rill::result<long long> rill_pipeline_probe(long long n) {
    auto s = rill::iota(0LL, n)                                              //
             | rill::map([](long long x) { return x * 3 + 1; })              // 1
             | rill::filter([](long long x) { return x % 2 == 0; })          // 2
             | rill::try_map([](long long x) -> rill::result<long long> {    // 3
                   if (x < 0) return rill::err("NEG", "negative");
                   return x / 2;
               })                                                            //
             | rill::and_then([](long long x) { return rill::of(x, x + 1); }) // 4
             | rill::take(1000);                                             // 5
    return rill::fold(s, 0LL, [](long long acc, long long x) { return acc + x; });
}
