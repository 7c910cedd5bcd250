// The laws of rill::async, with Err items anywhere, over generated async
// stream shapes (sync shapes under async::from, async::generate bodies that
// wait on the event loop before each item, nested async::and_then with inner
// streams made by from, by generate or by an awaitable function, awaitable
// maps in between) and generated functions, plain and awaitable:
//   functor:  s | map(id) == s;  s | map(f) | map(g) == s | map(g . f);  map(f) == and_then(pure . f)
//   monad:    pure(x) | and_then(f) == f(x);  s | and_then(pure) == s;
//             s | and_then(f) | and_then(g) == s | and_then(x -> f(x) | and_then(g))
//   derived:  try_map(f) == and_then(lift(f))
//   replay:   two runs are equal; runs pulled in turn, or consumed at once on one io_context, do not disturb each other
// where == compares every item of a run (collected and pulled), and no run
// leaves a release to its executor.
#include "support/doctest_rapidcheck.hpp"

#include <rill/async/testing.hpp>

namespace at = rill::async::testing;
namespace rt = rill::testing;

namespace {
auto shapes() { return at::gen_stream_shape<int>(); }
} // namespace

TEST_CASE("async map: functor laws with plain functions") {
    RILL_CHECK_LAWS(at::check_functor_laws(shapes(), rt::gen_int_fn(), rt::gen_int_fn()));
}

TEST_CASE("async map: functor laws with awaitable functions") {
    RILL_CHECK_LAWS(at::check_functor_laws(shapes(), at::gen_awaited(rt::gen_int_fn()), at::gen_awaited(rt::gen_int_fn())));
}

TEST_CASE("async and_then: monad laws, inner streams from sync streams and from generate bodies") {
    RILL_CHECK_LAWS(at::check_monad_laws(shapes(), at::gen_from(rt::gen_int_stream_fn()),
                                         at::gen_generated(rt::gen_int_stream_fn())));
}

TEST_CASE("async and_then: monad laws, awaitable functions") {
    RILL_CHECK_LAWS(at::check_monad_laws(shapes(), at::gen_awaited(at::gen_from(rt::gen_int_stream_fn())),
                                         at::gen_awaited(at::gen_from(rt::gen_nest_fn<int>()))));
}

TEST_CASE("async try_map(f) == and_then(lift(f)), plain and awaitable f") {
    RILL_CHECK_LAWS(at::check_try_map_is_and_then_lift(shapes(), rt::gen_int_result_fn()));
    RILL_CHECK_LAWS(at::check_try_map_is_and_then_lift(shapes(), at::gen_awaited(rt::gen_int_result_fn())));
}

TEST_CASE("async streams replay: in sequence, in turn, and at once on one io_context") {
    RILL_CHECK_LAWS(at::check_replayability(shapes()));
}

TEST_CASE("a generated async shape gives the items of its model") {
    rill_prop("a run of shape.build() gives shape.expected()", [] {
        const auto shape = *shapes();
        at::assert_items("shape.build()", shape.build(), shape.expected());
    });
}
