// Laziness: building a pipeline runs no user function and acquires nothing;
// take(n) pulls at most n items from upstream, even from a stream that never ends.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

#include <rill/source/iota.hpp>

#include <memory>

using namespace rill_properties;

TEST_CASE("building a pipeline calls no user function and acquires nothing") {
    rill_prop("building runs nothing", [] {
        const auto shape = *shapes();
        rt::probe p;
        p.building(true);
        const auto f = *rt::gen_int_fn();
        const auto s = rill::using_resource(p.acquire("r"), p.release(),
                                            [shape](rt::tracked_resource&) { return shape.build(); }) |
                       rill::map(p.guard(f)) | rill::filter(p.guard([](int) { return true; })) |
                       rill::try_map(p.guard([](int x) { return rill::result<int>(x); })) |
                       rill::and_then(p.guard([](int x) { return rill::pure(x); })) |
                       rill::take(*rc::gen::inRange(0, 50));
        const auto erased = rill::stream<int>(s);
        const auto more = rill::concat(erased, erased) | rill::drop(1);
        RC_ASSERT(p.calls_while_building() == 0u);
        RC_ASSERT(p.log().empty());
        p.building(false);
        (void)more;
    });
}

TEST_CASE("take(n) pulls at most n items from upstream") {
    rill_prop("take(n) over shapes", [] {
        const auto shape = *shapes();
        const auto n = *rc::gen::inRange<std::size_t>(0, 60);
        auto count = std::make_shared<std::size_t>(0);
        const rt::counting_stream<rill::stream<int>> s(shape.build(), count);
        const auto got = rt::drained(s | rill::take(n));
        RC_ASSERT(*count <= n);
        RC_ASSERT(got.size() == std::min(n, shape.expected().size()));
        *count = 0;
        (void)rt::pulled(s | rill::take(n));
        RC_ASSERT(*count <= n);
    });
}

TEST_CASE("take(n) ends a stream that never ends after n pulls, through map and filter") {
    rill_prop("take(n) over iota(0)", [] {
        const auto n = *rc::gen::inRange<std::size_t>(0, 200);
        auto count = std::make_shared<std::size_t>(0);
        const rt::counting_stream<decltype(rill::iota(0))> s(rill::iota(0), count);
        const auto got = rt::drained(s | rill::map([](int x) { return x + 1; }) | rill::take(n));
        RC_ASSERT(got.size() == n);
        RC_ASSERT(*count == n);
    });
}

TEST_CASE("the user function of a stage runs only for the items a take lets through") {
    rill_prop("map under take(n) is called at most n times", [] {
        const auto shape = *shapes();
        const auto n = *rc::gen::inRange<std::size_t>(0, 30);
        rt::probe p;
        const auto s = shape.build() | rill::map(p.guard([](int x) { return x; })) | rill::take(n);
        RC_ASSERT(p.calls() == 0u);
        (void)rt::drained(s);
        RC_ASSERT(p.calls() <= n);
    });
}
