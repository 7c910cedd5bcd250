// The stage examples of docs/04-composing.md and docs/operators.md.
#include "print.hpp"

#include <rill/rill.hpp>

#include <iostream>
#include <string>
#include <vector>

rill::result<int> half(int x) {
    if (x % 2 != 0) return rill::err("ODD", std::to_string(x) + " is odd");
    return x / 2;
}

int main() {
    // [snippet:items]
    // Items with an Err in the middle, to show how each stage treats it.
    const auto items = rill::of(rill::result<int>(1), rill::result<int>(2),
                                rill::result<int>(rill::err("E", "bad")), rill::result<int>(4));
    // [/snippet:items]

    std::cout << "== forms ==\n";
    {
        // [snippet:forms]
        auto twice = [](int x) { return 2 * x; };
        print(rill::of(1, 2) | rill::map(twice)); // pipe form
        print(rill::map(rill::of(1, 2), twice));  // call form: the same stream

        // Stages compose into a reusable fragment before any stream is given.
        auto twice_then_even = rill::map(twice) | rill::filter([](int x) { return x % 4 == 0; });
        print(rill::iota(1, 5) | twice_then_even);
        // [/snippet:forms]
    }

    std::cout << "== map ==\n";
    {
        // [snippet:map]
        print(items | rill::map([](int x) { return x * 10; }));
        print(items | rill::map([](int x) { return std::to_string(x); })); // the type may change
        // [/snippet:map]
    }

    std::cout << "== filter ==\n";
    {
        // [snippet:filter]
        print(items | rill::filter([](int x) { return x % 2 == 0; }));
        // [/snippet:filter]
    }

    std::cout << "== try_map ==\n";
    {
        // [snippet:try_map]
        // half(x): x / 2, or the Err "ODD" for an odd x.
        print(rill::of(4, 5, 6) | rill::try_map(half));
        print(items | rill::try_map(half)); // the Err item passes; 1 fails in half
        // [/snippet:try_map]
    }

    std::cout << "== and_then ==\n";
    {
        // [snippet:and_then]
        auto repeat = [](int x) { return rill::iota(0, x) | rill::map([x](int) { return x; }); };
        print(rill::of(1, 2, 3) | rill::and_then(repeat));
        print(items | rill::and_then(repeat)); // f is not called for the Err item
        // [/snippet:and_then]
    }

    std::cout << "== lift ==\n";
    {
        // [snippet:lift]
        print(rill::of(4, 5) | rill::and_then(rill::lift(half))); // the same items as try_map(half)
        // [/snippet:lift]
    }

    std::cout << "== take ==\n";
    {
        // [snippet:take]
        int pulled = 0;
        auto counted = rill::iota(0) | rill::tap([&](int) { ++pulled; });
        print(counted | rill::take(3));
        std::cout << "pulled " << pulled << '\n'; // never more than n

        print(items | rill::take(3)); // an Err item takes a position like any other
        // [/snippet:take]
    }

    std::cout << "== drop ==\n";
    {
        // [snippet:drop]
        print(items | rill::drop(2));
        // [/snippet:drop]
    }

    std::cout << "== take_while ==\n";
    {
        // [snippet:take_while]
        print(items | rill::take_while([](int x) { return x < 3; })); // the Err passes, 4 ends the run
        // [/snippet:take_while]
    }

    std::cout << "== enumerate ==\n";
    {
        // [snippet:enumerate]
        print(items | rill::enumerate()); // index 2 is the Err's position
        // [/snippet:enumerate]
    }

    std::cout << "== chunk ==\n";
    {
        // [snippet:chunk]
        print(rill::iota(1, 6) | rill::chunk(2));
        print(items | rill::chunk(3)); // the Err closes the chunk in progress
        // [/snippet:chunk]
    }

    std::cout << "== tap ==\n";
    {
        // [snippet:tap]
        auto logged = items | rill::tap([](int x) { std::cout << "saw " << x << '\n'; });
        std::cout << rill::count(logged) << " items\n"; // the Err is counted, not seen
        // [/snippet:tap]
    }

    std::cout << "== scan ==\n";
    {
        // [snippet:scan]
        auto sum = [](int acc, int x) { return acc + x; };
        print(rill::of(1, 2, 3) | rill::scan(0, sum)); // running totals; 0 is not emitted
        print(items | rill::scan(0, sum));             // the Err leaves the total unchanged
        // [/snippet:scan]
    }

    std::cout << "== concat ==\n";
    {
        // [snippet:concat]
        print(rill::concat(rill::of(1, 2), items, rill::iota(7, 9)));
        // [/snippet:concat]
    }

    std::cout << "== zip ==\n";
    {
        // [snippet:zip]
        auto names = rill::of(std::string("a"), std::string("b"), std::string("c"));
        print(rill::zip(names, rill::iota(1)));         // ends with the shorter stream
        print(rill::zip(rill::iota(0, 3), items));      // a round with an Err is that Err
        // [/snippet:zip]
    }
}
