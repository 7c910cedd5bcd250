// Filter fusion: s | filter(p) | filter(q) == s | filter(p && q); Err items pass
// both filters in their position.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("two filters fuse into one over every stream shape") {
    RILL_CHECK_LAWS(rt::check_filter_fusion(shapes(), rt::gen_int_predicate(), rt::gen_int_predicate()));
}

TEST_CASE("two filters fuse into one over templated streams") {
    RILL_CHECK_LAWS(rt::check_filter_fusion(templated_streams(), rt::gen_int_predicate(), rt::gen_int_predicate()));
}
