// Testing your own pipeline with the kit: the laws over your own functions, and
// the resource safety of your own pipeline. Run by CTest (docs.testing_user_pipeline).
#include <rill/rill.hpp>
#include <rill/testing.hpp>

#include <iostream>
#include <string>
#include <vector>

// [snippet:functions]
// The user's own functions: parse a quantity, split an order into two parcels.
rill::result<int> parse_quantity(int raw) {
    if (raw < 0) return rill::err("NEGATIVE", std::to_string(raw));
    return raw % 1000;
}

rill::stream<int> split_order(int quantity) {
    if (quantity % 7 == 0) return rill::failed<int>({"UNSPLITTABLE", std::to_string(quantity)});
    return rill::from(std::vector<rill::result<int>>{quantity / 2, quantity - quantity / 2});
}
// [/snippet:functions]

int main() {
    namespace rt = rill::testing;
    const rt::check_options options{.cases = 200}; // default: 1000, or RILL_PROPERTY_CASES

    // [snippet:laws]
    // Streams of many shapes (Err items anywhere) and the user's functions.
    const auto streams = rt::gen_stream_shape<int>();
    const auto split = rc::gen::just(split_order);

    const rt::check_result monad = rt::check_monad_laws(streams, split, split, options);
    const rt::check_result lift = rt::check_try_map_is_and_then_lift(streams, rc::gen::just(parse_quantity), options);
    std::cout << "and_then(split_order): " << monad << '\n';
    std::cout << "try_map(parse_quantity): " << lift << '\n';
    // [/snippet:laws]

    // [snippet:resources]
    // The user's pipeline, built with the probe's resource, guarded functions
    // (one of them throws in some runs) and stopped early at random.
    const rt::check_result safety = rt::check_resource_safety(
        [](rt::probe& p) {
            return rill::using_resource(p.acquire("orders.db"), p.release(),
                                        [p](rt::tracked_resource&) {
                                            return rill::iota(-3, 30) | rill::try_map(p.guard(parse_quantity));
                                        }) |
                   rill::and_then(p.guard(split_order));
        },
        options);
    std::cout << "orders pipeline: " << safety << '\n';
    // [/snippet:resources]

    // [snippet:frameworks]
    // Any test framework asserts on a check_result and prints its report:
    //   doctest:     CHECK_MESSAGE(r, r.report);
    //   GoogleTest:  EXPECT_TRUE(r) << r.report;
    //   Catch2:      INFO(r.report); CHECK(r);
    if (!monad || !lift || !safety) {
        std::cerr << monad.report << lift.report << safety.report;
        return 1;
    }
    // [/snippet:frameworks]
    return 0;
}
