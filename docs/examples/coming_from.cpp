// The C++ side of the "coming from ..." pages (docs/coming-from/*.md).
#include "print.hpp"

#include <rill/rill.hpp>

#include <iostream>
#include <string>
#include <vector>

// [snippet:python_generator]
// An async generator with try/finally, in rill: a resource for the run and a
// coroutine that yields the items. Breaking out of the loop closes the resource.
auto ticks(int n) {
    return rill::using_resource(
        [] {
            std::cout << "open\n";
            return 0; // any value can stand for the resource
        },
        [](int&, rill::exit_case how) { std::cout << "close (" << how << ")\n"; },
        [n](int&) {
            return rill::generate([n]() -> rill::generator<int> {
                for (int i = 0; i < n; ++i) co_yield i;
            });
        });
}
// [/snippet:python_generator]

rill::result<int> half(int x) {
    if (x % 2 != 0) return rill::err("ODD", std::to_string(x) + " is odd");
    return x / 2;
}

int main() {
    std::cout << "== python ==\n";
    {
        // [snippet:python_use]
        for (const rill::result<int>& r : ticks(10)) { // async for x in ticks(10):
            if (*r == 2) break;                          //     if x == 2: break
            std::cout << *r << '\n';                     //     print(x)
        }
        // [/snippet:python_use]
    }

    std::cout << "== ranges ==\n";
    {
        // [snippet:ranges]
        std::vector<int> v{1, 2, 3, 4};
        // views::transform(half) would give results to inspect by hand;
        // try_map keeps them as items and passes them on.
        auto halves = rill::from(v) | rill::try_map(half) | rill::filter([](int x) { return x > 0; });
        print(halves);
        print(halves); // a stream is replayable, as a view over v is
        // [/snippet:ranges]
    }

    std::cout << "== flow ==\n";
    {
        // [snippet:flow]
        // flow.map { }.catch { }: in rill, an error is an item, and recover
        // replaces it in place, without ending the stream.
        auto s = rill::iota(1, 5) | rill::try_map(half) | rill::recover([](const rill::err_info&) { return 0; });
        print(s);
        // [/snippet:flow]
    }

    std::cout << "== rust ==\n";
    {
        // [snippet:rust]
        auto s = rill::iota(1, 5) | rill::try_map(half);
        rill::result<std::vector<int>> all = rill::try_collect(s);  // .try_collect::<Vec<_>>()
        auto [ok, errors] = rill::partition(s);                       // partition on is_ok()
        std::cout << (all ? "all ok" : all.error().code) << ", " << ok.size() << " ok, " << errors.size()
                  << " errors\n";
        // [/snippet:rust]
    }
}
