// The functor laws for map, with Err items anywhere in the stream:
//   identity:    s | map(id)          == s
//   composition: s | map(f) | map(g)  == s | map(g . f)
// where == compares every item of a run (pushed and pulled), Err items included,
// over generated stream shapes (erased) and templated from(items) streams, and
// over generated functions.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("map preserves the identity, over every stream shape") {
    RILL_CHECK_LAWS(rt::check_functor_identity(shapes()));
}

TEST_CASE("map preserves the identity, over templated streams") {
    RILL_CHECK_LAWS(rt::check_functor_identity(templated_streams()));
}

TEST_CASE("map preserves composition, over every stream shape and generated functions") {
    RILL_CHECK_LAWS(rt::check_functor_composition(shapes(), rt::gen_int_fn(), rt::gen_int_fn()));
}

TEST_CASE("map preserves composition, over templated streams") {
    RILL_CHECK_LAWS(rt::check_functor_composition(templated_streams(), rt::gen_int_fn(), rt::gen_int_fn()));
}

TEST_CASE("map identity keeps the items of the model exactly") {
    rill_prop("s | map(id) gives the shape's items", [] {
        const auto shape = *shapes();
        rt::assert_items("s | map(id)", shape.build() | rill::map([](int x) { return x; }), shape.expected());
    });
}
