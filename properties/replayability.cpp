// Replayability: two runs of the same stream over pure sources are equal, and
// a run interleaved with another run of the same stream is not disturbed.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("two runs of every stream shape are equal, and interleaved runs do not interfere") {
    RILL_CHECK_LAWS(rt::check_replayability(shapes()));
}

TEST_CASE("two runs of a templated stream are equal, and interleaved runs do not interfere") {
    RILL_CHECK_LAWS(rt::check_replayability(templated_streams()));
}

TEST_CASE("pipelines over shapes replay: map, filter, and_then, take, resources") {
    RILL_CHECK_LAWS(rt::check_replayability(rc::gen::map(
        rc::gen::tuple(shapes(), rt::gen_int_fn(), rt::gen_int_predicate(), rt::gen_int_stream_fn(), rc::gen::inRange(0, 40)),
        [](std::tuple<rt::stream_shape<int>, rt::int_fn, rt::int_predicate, rt::int_stream_fn, int> t) {
            // Named copies, not a structured binding: clang 14 cannot capture bindings.
            const rt::stream_shape<int> shape = std::get<0>(t);
            const rt::int_fn f = std::get<1>(t);
            const rt::int_predicate p = std::get<2>(t);
            const rt::int_stream_fn g = std::get<3>(t);
            const int n = std::get<4>(t);
            return rill::stream<int>(
                rill::using_resource([] { return 0; }, [shape](int&) { return shape.build(); }) | rill::map(f) |
                rill::filter(p) | rill::and_then(g) | rill::take(n));
        })));
}

TEST_CASE("every shape's run gives the items of its model") {
    rill_prop("build() runs as expected()", [] {
        const auto shape = *shapes();
        rt::assert_items("shape", shape.build(), shape.expected());
    });
}
