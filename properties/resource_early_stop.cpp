// Resource safety under random early stop: stacked take(k) for random k and
// consumers that stop pulling, over nested and sequential resources around
// every stream shape: every acquire is released exactly once, in reverse order.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("a resource around a shape is released exactly once whatever stops the run") {
    RILL_CHECK_LAWS(rt::check_resource_safety(shapes(), [](rt::probe& p, const rt::stream_shape<int>& shape) {
        return rill::using_resource(p.acquire("outer"), p.release(),
                                    [shape](rt::tracked_resource&) { return shape.build(); });
    }));
}

TEST_CASE("nested resources are released in reverse order of acquisition") {
    RILL_CHECK_LAWS(rt::check_resource_safety(shapes(), [](rt::probe& p, const rt::stream_shape<int>& shape) {
        return rill::using_resource(p.acquire("outer"), p.release(), [p, shape](rt::tracked_resource&) {
            return rill::using_resource(p.acquire("middle"), [p, shape](rt::tracked_resource&) {
                return rill::using_resource(p.acquire("inner"), p.release(),
                                            [shape](rt::tracked_resource&) { return shape.build(); });
            });
        });
    }));
}

TEST_CASE("a resource per item (and_then) and resources in sequence (concat) are each released once") {
    RILL_CHECK_LAWS(rt::check_resource_safety(shapes(), [](rt::probe& p, const rt::stream_shape<int>& shape) {
        auto per_item = [p](int x) {
            return rill::using_resource(p.acquire("item"), p.release(),
                                        [x](rt::tracked_resource&) { return rill::of(x, x + 1); });
        };
        auto part = [p, shape](const char* name) {
            return rill::using_resource(p.acquire(name), p.release(),
                                        [shape](rt::tracked_resource&) { return shape.build(); });
        };
        return rill::concat(part("a") | rill::and_then(per_item), part("b"), rill::stream<int>(part("c")) | rill::take(3));
    }));
}
