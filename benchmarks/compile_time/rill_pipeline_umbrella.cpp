// Compile-time probe: the pipeline of rill_pipeline.cpp through the umbrella
// header, as the docs write it.
#include <rill/rill.hpp>

rill::result<long long> rill_umbrella_probe(long long n);

rill::result<long long> rill_umbrella_probe(long long n) {
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
