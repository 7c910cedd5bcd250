// map(f) == and_then(pure . f): map is bind followed by return.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("map(f) == and_then(pure . f) over every stream shape") {
    RILL_CHECK_LAWS(rt::check_map_is_and_then_pure(shapes(), rt::gen_int_fn()));
}

TEST_CASE("map(f) == and_then(pure . f) over templated streams") {
    RILL_CHECK_LAWS(rt::check_map_is_and_then_pure(templated_streams(), rt::gen_int_fn()));
}
