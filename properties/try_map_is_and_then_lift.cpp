// try_map(f) == and_then(lift(f)) for f: T -> result<U>: try_map is the cheap
// form of binding a one-item stream.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("try_map(f) == and_then(lift(f)) over every stream shape") {
    RILL_CHECK_LAWS(rt::check_try_map_is_and_then_lift(shapes(), rt::gen_int_result_fn()));
}

TEST_CASE("try_map(f) == and_then(lift(f)) over templated streams") {
    RILL_CHECK_LAWS(rt::check_try_map_is_and_then_lift(templated_streams(), rt::gen_int_result_fn()));
}
