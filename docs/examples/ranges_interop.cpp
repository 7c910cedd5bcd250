// rill and range-v3: docs/operators.md, "Ranges interop". Needs rill::ranges.
#include "print.hpp"

#include <rill/ranges.hpp>
#include <rill/rill.hpp>

#include <range/v3/algorithm/count_if.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/filter.hpp>
#include <range/v3/view/iota.hpp>
#include <range/v3/view/transform.hpp>

#include <iostream>
#include <vector>

int main() {
    std::cout << "== from_range_v3 ==\n";
    {
        // [snippet:from_range_v3]
        // rill::from takes range-v3 views too; an rvalue view is owned by the stream.
        auto squares = rill::from(ranges::views::iota(1, 5) | ranges::views::transform([](int x) { return x * x; }));
        print(squares | rill::map([](int x) { return x + 1; }));
        // [/snippet:from_range_v3]
    }

    std::cout << "== view ==\n";
    {
        // [snippet:view]
        auto items = rill::of(rill::result<int>(1), rill::result<int>(rill::err("E", "bad")), rill::result<int>(3));

        // rill::ranges::view(s): a range-v3 view of result<T> items; each begin() is a fresh run.
        auto v = rill::ranges::view(items);
        std::cout << ranges::count_if(v, [](const rill::result<int>& r) { return r.has_value(); }) << " Ok items\n";

        std::vector<int> values = v
                                | ranges::views::filter([](const rill::result<int>& r) { return r.has_value(); })
                                | ranges::views::transform([](const rill::result<int>& r) { return *r; })
                                | ranges::to<std::vector>();
        print_value(values);
        // [/snippet:view]
    }
}
