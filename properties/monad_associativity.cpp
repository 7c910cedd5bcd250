// Monad associativity:
//   s | and_then(f) | and_then(g) == s | and_then(x -> f(x) | and_then(g))
// with Err items anywhere in s, f(x) and g(y).
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("and_then is associative over every stream shape and int -> stream<int> functions") {
    RILL_CHECK_LAWS(rt::check_associativity(shapes(), rt::gen_int_stream_fn(), rt::gen_int_stream_fn()));
}

TEST_CASE("and_then is associative over templated streams and templated inner streams") {
    RILL_CHECK_LAWS(rt::check_associativity(templated_streams(), rt::gen_nest_fn<int>(), rt::gen_nest_fn<int>()));
}

TEST_CASE("and_then is associative when f and g mix erased and templated inner streams") {
    RILL_CHECK_LAWS(rt::check_associativity(shapes(), rt::gen_int_stream_fn(), rt::gen_nest_fn<int>()));
}

TEST_CASE("the three monad laws hold together (the kit's check_monad_laws)") {
    RILL_CHECK_LAWS(rt::check_monad_laws(shapes(), rt::gen_int_stream_fn(), rt::gen_int_stream_fn(), {.cases = 200}));
}
