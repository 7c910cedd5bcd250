// Monad left identity: pure(x) | and_then(f) == f(x), for generated values x
// and functions f drawn from families whose streams hold Err items anywhere
// (erased stream<int>, coroutine-generated, templated from(...)).
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("left identity holds for int -> stream<int> functions (erased and generated)") {
    RILL_CHECK_LAWS(rt::check_left_identity(rc::gen::arbitrary<int>(), rt::gen_int_stream_fn()));
}

TEST_CASE("left identity holds for functions returning templated streams") {
    RILL_CHECK_LAWS(rt::check_left_identity(rc::gen::arbitrary<int>(), rt::gen_nest_fn<int>()));
}

TEST_CASE("left identity holds for lift(f) of int -> result<int> functions") {
    RILL_CHECK_LAWS(rt::check_left_identity(
        rc::gen::arbitrary<int>(),
        rc::gen::map(rt::gen_int_result_fn(), [](rt::int_result_fn f) { return rill::lift(f); })));
}
