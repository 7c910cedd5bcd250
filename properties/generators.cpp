// The kit's generators: every shape runs as its model says; erased and
// templated forms of a stream agree; concatenation is associative (the
// left- and right-associated shapes); the generators make every shape.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("erasing a stream does not change its items") {
    rill_prop("stream<int>(s) == s", [] {
        const auto items = *result_ints();
        const auto templated = rill::from(items);
        const rill::stream<int> erased = templated;
        const rill::stream<int> twice = rill::stream<int>(templated | rill::map([](int x) { return x; }));
        rt::assert_same_runs("stream<int>(from(xs)) != from(xs)", erased, templated);
        rt::assert_same_runs("erased pipeline != from(xs)", twice, templated);
    });
}

TEST_CASE("concat is associative and empty is its unit") {
    rill_prop("concat(concat(a, b), c) == concat(a, concat(b, c))", [] {
        const auto a = (*shapes()).build();
        const auto b = (*shapes()).build();
        const auto c = (*shapes()).build();
        rt::assert_same_runs("concat(concat(a, b), c) != concat(a, concat(b, c))", rill::concat(rill::concat(a, b), c),
                             rill::concat(a, rill::concat(b, c)));
        rt::assert_same_runs("concat(a, b, c) != concat(a, concat(b, c))", rill::concat(a, b, c),
                             rill::concat(a, rill::concat(b, c)));
        rt::assert_same_runs("concat(empty, a) != a", rill::concat(rill::stream<int>(), a), a);
        rt::assert_same_runs("concat(a, empty) != a", rill::concat(a, rill::stream<int>()), a);
    });
}

TEST_CASE("generate-based and from-based streams of the same items agree") {
    rill_prop("generate(items) == from(items)", [] {
        const auto items = *result_ints();
        const auto g = rill::generate([items]() -> rill::generator<int> {
            for (const auto& r : items) co_yield r;
        });
        rt::assert_same_runs("generate(items) != from(items)", g, rill::from(items));
    });
}

TEST_CASE("the shape generator makes every kind of shape, long ones included") {
    rill_prop("shape kinds", [] {
        const auto shape = *shapes();
        using kind = rt::stream_shape<int>::kind;
        const char* names[] = {"empty", "single", "from", "generate", "long", "concat_left", "concat_right", "bound"};
        RC_CLASSIFY(shape.k == kind::long_cycle || shape.expected().size() >= 1000, "thousands of items");
        RC_TAG(names[static_cast<int>(shape.k)]);
        const auto items = shape.expected();
        bool has_err = false, err_then_ok = false;
        for (const auto& r : items) {
            if (!r) has_err = true;
            else if (has_err) err_then_ok = true;
        }
        RC_CLASSIFY(err_then_ok, "an Err item followed by an Ok item");
        RC_ASSERT(true);
    });
}
