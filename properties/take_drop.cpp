// take and drop count positions (Ok and Err alike):
//   concat(s | take(n), s | drop(n)) == s;  s | take(n) is the first n items;
//   take(n) pulls at most n items from upstream.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

using namespace rill_properties;

TEST_CASE("take and drop split a stream over every stream shape") {
    RILL_CHECK_LAWS(rt::check_take_drop(shapes()));
}

TEST_CASE("take and drop split a templated stream") {
    RILL_CHECK_LAWS(rt::check_take_drop(templated_streams()));
}

TEST_CASE("take(n) | take(m) == take(min(n, m)) and drop(n) | drop(m) == drop(n + m)") {
    rill_prop("stacked take and drop", [] {
        const auto shape = *shapes();
        const auto s = shape.build();
        const auto n = *rc::gen::inRange<std::size_t>(0, 40);
        const auto m = *rc::gen::inRange<std::size_t>(0, 40);
        rt::assert_same_runs("take(n) | take(m) != take(min(n, m))", s | rill::take(n) | rill::take(m),
                             s | rill::take(std::min(n, m)));
        rt::assert_same_runs("drop(n) | drop(m) != drop(n + m)", s | rill::drop(n) | rill::drop(m), s | rill::drop(n + m));
    });
}
