// Compile-time probe: the range-v3 equivalent of rill_pipeline.cpp, with the
// per-view headers a range-v3 user includes and tl::expected for the fallible
// stage. range-v3 has no Err channel: the failed items are filtered out
// before the nested stage, as a range-v3 user would write it.
#include <tl/expected.hpp>

#include <range/v3/view/filter.hpp>
#include <range/v3/view/for_each.hpp>
#include <range/v3/view/iota.hpp>
#include <range/v3/view/take.hpp>
#include <range/v3/view/transform.hpp>

#include <string>

tl::expected<long long, std::string> range_v3_pipeline_probe(long long n);

tl::expected<long long, std::string> range_v3_pipeline_probe(long long n) {
    namespace v = ranges::views;
    using result = tl::expected<long long, std::string>;
    auto s = v::iota(0LL, n)                                                     //
             | v::transform([](long long x) { return x * 3 + 1; })               // 1
             | v::filter([](long long x) { return x % 2 == 0; })                 // 2
             | v::transform([](long long x) -> result {                          // 3
                   if (x < 0) return tl::make_unexpected(std::string("negative"));
                   return x / 2;
               })                                                                //
             | v::filter([](const result& r) { return r.has_value(); })          //
             | v::for_each([](const result& r) { return v::iota(*r, *r + 2); }) // 4
             | v::take(1000);                                                    // 5
    long long acc = 0;
    for (long long x : s) acc += x;
    return acc;
}
