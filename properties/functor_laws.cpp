// The functor laws for map, with Err items anywhere in the stream:
//   identity:    s | map(id)          == s
//   composition: s | map(f) | map(g)  == s | map(g . f)
// where == compares every item of a run, Err items included.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

#include <rill/sink/collect.hpp>
#include <rill/source/from.hpp>
#include <rill/stage/map.hpp>

#include <cstdint>
#include <vector>

namespace {

// Wrapping arithmetic: no signed overflow (UBSan) whatever ints are generated.
int affine(int x) { return static_cast<int>(static_cast<std::uint32_t>(x) * 3u + 1u); }
int xor_shift(int x) { return x ^ (x >> 3); }

} // namespace

TEST_CASE("map preserves the identity") {
    rill_prop("s | map(id) == s", [] {
        const auto items = *rill_properties::result_ints();
        const auto s = rill::from(std::vector<rill::result<int>>(items));
        const auto a = rill::collect(s | rill::map([](int x) { return x; }));
        const auto b = rill::collect(s);
        RC_ASSERT((a == b));
        RC_ASSERT((b == items));
    });
}

TEST_CASE("map preserves composition") {
    rill_prop("s | map(f) | map(g) == s | map(g . f)", [] {
        const auto s = rill::from(*rill_properties::result_ints());
        const auto a = rill::collect(s | rill::map(affine) | rill::map(xor_shift));
        const auto b = rill::collect(s | rill::map([](int x) { return xor_shift(affine(x)); }));
        RC_ASSERT((a == b));
    });
}
