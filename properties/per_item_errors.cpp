// Per-item errors: an Err item goes out in its position and the stream goes on:
// every Ok item after it still arrives. Each stage is compared with a model
// computed without rill, over every stream shape and generated functions.
#include "support/doctest_rapidcheck.hpp"
#include "support/generators.hpp"

#include <rill/stage/scan.hpp>

#include <cstdint>

using namespace rill_properties;
using items_t = std::vector<rill::result<int>>;

TEST_CASE("map keeps every Err item in its position") {
    rill_prop("s | map(f) == model", [] {
        const auto shape = *shapes();
        const auto f = *rt::gen_int_fn();
        items_t model;
        for (const auto& r : shape.expected()) model.push_back(r ? rill::result<int>(f(*r)) : r);
        rt::assert_items("s | map(f)", shape.build() | rill::map(f), model);
    });
}

TEST_CASE("try_map keeps Err items in position and adds its own Err items in theirs") {
    rill_prop("s | try_map(f) == model", [] {
        const auto shape = *shapes();
        const auto f = *rt::gen_int_result_fn();
        items_t model;
        for (const auto& r : shape.expected()) model.push_back(r ? f(*r) : r);
        rt::assert_items("s | try_map(f)", shape.build() | rill::try_map(f), model);
    });
}

TEST_CASE("filter passes every Err item and keeps the Ok items after it") {
    rill_prop("s | filter(p) == model", [] {
        const auto shape = *shapes();
        const auto p = *rt::gen_int_predicate();
        items_t model;
        for (const auto& r : shape.expected())
            if (!r || p(*r)) model.push_back(r);
        rt::assert_items("s | filter(p)", shape.build() | rill::filter(p), model);
    });
}

TEST_CASE("and_then keeps outer and inner Err items in position") {
    rill_prop("s | and_then(f) == model", [] {
        const auto shape = *shapes();
        const auto f = *rt::gen_int_stream_fn();
        items_t model;
        for (const auto& r : shape.expected()) {
            if (!r) model.push_back(r);
            else
                for (auto& i : f.items(*r)) model.push_back(std::move(i));
        }
        rt::assert_items("s | and_then(f)", shape.build() | rill::and_then(f), model);
    });
}

TEST_CASE("scan passes Err items and goes on accumulating after them") {
    rill_prop("s | scan(0, +) == model", [] {
        const auto shape = *shapes();
        auto add = [](int acc, int x) { return static_cast<int>(static_cast<std::uint32_t>(acc) + static_cast<std::uint32_t>(x)); };
        items_t model;
        int acc = 0;
        for (const auto& r : shape.expected()) {
            if (!r) {
                model.push_back(r);
                continue;
            }
            acc = add(acc, *r);
            model.push_back(acc);
        }
        rt::assert_items("s | scan(0, +)", shape.build() | rill::scan(0, add), model);
    });
}

TEST_CASE("an Err item anywhere does not end the run: the item count is kept") {
    rill_prop("count and positions survive Err items", [] {
        const auto items = *result_ints();
        const auto where = *rc::gen::inRange<std::size_t>(0, items.size() + 1);
        auto with_err = items;
        with_err.insert(with_err.begin() + static_cast<std::ptrdiff_t>(where), rill::result<int>(rill::err("X", "inserted")));
        const auto got = rt::drained(rill::from(with_err) | rill::map([](int x) { return x; }));
        RC_ASSERT(got.size() == with_err.size());
        RC_ASSERT(!got[where].has_value());
        RC_ASSERT((got == with_err));
    });
}
