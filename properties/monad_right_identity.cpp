// Monad right identity: s | and_then(pure) == s, with Err items anywhere in s
// (Err items pass and_then unchanged, in their position).
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("right identity holds over every stream shape") {
    RILL_CHECK_LAWS(rt::check_right_identity(shapes()));
}

TEST_CASE("right identity holds over templated streams") {
    RILL_CHECK_LAWS(rt::check_right_identity(templated_streams()));
}

TEST_CASE("right identity holds over arbitrary erased streams") {
    RILL_CHECK_LAWS(rt::check_right_identity(rc::gen::arbitrary<rill::stream<int>>()));
}
