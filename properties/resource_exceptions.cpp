// Resource safety under random throw injection: the k-th call of any user
// function (acquire, map, filter, try_map, and_then, a coroutine's body)
// throws; every acquire is still released exactly once, in reverse order, and
// the exception reaches the consumer exactly once.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("exceptions from any stage's user function release every resource once") {
    RILL_CHECK_LAWS(rt::check_resource_safety(shapes(), [](rt::probe& p, const rt::stream_shape<int>& shape) {
        return rill::using_resource(p.acquire("outer"), p.release(),
                                    [shape](rt::tracked_resource&) { return shape.build(); }) |
               rill::map(p.guard([](int x) { return x / 2; })) |
               rill::filter(p.guard([](int x) { return x % 3 != 0; })) |
               rill::try_map(p.guard([](int x) { return rill::result<int>(x); })) |
               rill::and_then(p.guard([p](int x) {
                   return rill::using_resource(p.acquire("inner"), p.release(),
                                               [x](rt::tracked_resource&) { return rill::of(x, x); });
               }));
    }));
}

TEST_CASE("an exception from a coroutine source inside resources releases them once") {
    RILL_CHECK_LAWS(rt::check_resource_safety(shapes(), [](rt::probe& p, const rt::stream_shape<int>& shape) {
        auto source = rill::generate([p, shape]() -> rill::generator<int> {
            for (const auto& r : shape.expected()) {
                p.guard([] {})();
                co_yield r;
            }
        });
        return rill::using_resource(p.acquire("a"), p.release(), [p, source](rt::tracked_resource&) {
            return rill::using_resource(p.acquire("b"), p.release(), [source](rt::tracked_resource&) { return source; });
        });
    }));
}
