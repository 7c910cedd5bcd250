// Resource safety of rill::async::using_resource, with awaitable acquire and
// release, under random early stops (stacked async::take(k), try_collect,
// consumers that close after k items), exceptions injected at the k-th
// guarded call (acquires, plain and awaitable functions), failed acquires,
// and cancellation of the consuming coroutine at a random event-loop step:
// every acquire is released exactly once, in reverse order, by the time the
// consumer resumes, and no release is left to the executor.
#include "support/doctest_rapidcheck.hpp"

#include <rill/async.hpp>
#include <rill/async/testing.hpp>

namespace at = rill::async::testing;
namespace rt = rill::testing;
namespace async = rill::async;

namespace {
auto shapes() { return at::gen_stream_shape<int>(); }
} // namespace

TEST_CASE("a resource around an async shape is released exactly once, whatever ends the run") {
    RILL_CHECK_LAWS(at::check_resource_safety(shapes(), [](at::probe& p, const at::stream_shape<int>& shape) {
        return async::using_resource(at::acquire_async(p, "outer"), at::release_async(),
                                     [shape](at::tracked_resource&) { return shape.build(); });
    }));
}

TEST_CASE("nested async resources are released in reverse order of acquisition") {
    RILL_CHECK_LAWS(at::check_resource_safety(shapes(), [](at::probe& p, const at::stream_shape<int>& shape) {
        return async::using_resource(at::acquire_async(p, "outer"), at::release_async(), [p, shape](at::tracked_resource&) {
            // a plain acquire and the destructor's release in the middle
            return async::using_resource(p.acquire("middle"), [p, shape](at::tracked_resource&) {
                return async::using_resource(at::acquire_async(p, "inner"), at::release_async(),
                                             [shape](at::tracked_resource&) { return shape.build(); });
            });
        });
    }));
}

TEST_CASE("a resource per item (and_then) and guarded functions, plain and awaitable, that throw") {
    RILL_CHECK_LAWS(at::check_resource_safety(shapes(), [](at::probe& p, const at::stream_shape<int>& shape) {
        auto per_item = [p](int x) {
            return async::using_resource(at::acquire_async(p, "item"), at::release_async(),
                                         [x](at::tracked_resource&) { return async::of(x, x + 1); });
        };
        return async::using_resource(at::acquire_async(p, "outer"), at::release_async(),
                                     [shape](at::tracked_resource&) { return shape.build(); }) |
               async::map(at::awaited(p.guard([](int x) { return x ^ 1; }))) | async::and_then(p.guard(per_item)) |
               async::try_map(p.guard(rt::int_result_fn{rt::int_result_fn::kind::err_if_multiple, 3, 1}));
    }));
}
