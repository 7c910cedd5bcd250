// map, and_then, try_map, lift and the laws: the examples of docs/04-composing.md.
#include "print.hpp"

#include <rill/rill.hpp>

#include <iostream>
#include <string>
#include <vector>

// [snippet:functions]
// Three kinds of step, by what they return for one value:
int square(int x) { return x * x; }                       // a value: for map

rill::result<int> half(int x) {                           // a result: for try_map
    if (x % 2 != 0) return rill::err("ODD", std::to_string(x) + " is odd");
    return x / 2;
}

auto repeat(int x) {                                      // a stream: for and_then
    return rill::iota(0, x) | rill::map([x](int) { return x; });
}
// [/snippet:functions]

// [snippet:same]
// Runs both streams once and says whether their items are equal, Err items included.
template <class A, class B>
void same(const char* law, const A& a, const B& b) {
    std::cout << law << ": " << (rill::collect(a) == rill::collect(b) ? "holds" : "BROKEN") << '\n';
}
// [/snippet:same]

int main() {
    const auto items = rill::of(rill::result<int>(1), rill::result<int>(2),
                                rill::result<int>(rill::err("E", "bad")), rill::result<int>(4));

    std::cout << "== three ==\n";
    {
        // [snippet:three]
        print(items | rill::map(square));     // one value in, one value out
        print(items | rill::try_map(half));   // one value in, an Ok or an Err out
        print(items | rill::and_then(repeat)); // one value in, any number of items out
        // [/snippet:three]
    }

    std::cout << "== lift ==\n";
    {
        // [snippet:lift]
        // lift(half) returns the one-item stream of half(x): and_then accepts it.
        print(items | rill::and_then(rill::lift(half)));
        // [/snippet:lift]
    }

    std::cout << "== laws ==\n";
    {
        // [snippet:laws]
        auto f = [](int x) { return repeat(x); };
        auto g = [](int x) { return rill::of(x, -x); };
        auto pure = [](int x) { return rill::pure(x); };

        // Left identity: a one-item stream bound to f is just f of that item.
        same("left identity", rill::pure(3) | rill::and_then(f), f(3));
        // Right identity: binding each item to a one-item stream changes nothing.
        same("right identity", items | rill::and_then(pure), items);
        // Associativity: two and_then in a row equal one that does both.
        same("associativity", items | rill::and_then(f) | rill::and_then(g),
             items | rill::and_then([&](int x) { return f(x) | rill::and_then(g); }));
        // map is and_then of a one-item stream.
        same("map is and_then", items | rill::map(square),
             items | rill::and_then([](int x) { return rill::pure(square(x)); }));
        // Functor laws: mapping the identity changes nothing; two maps are one map.
        same("map identity", items | rill::map([](int x) { return x; }), items);
        same("map composition", items | rill::map(square) | rill::map(square),
             items | rill::map([](int x) { return square(square(x)); }));
        // try_map is and_then of lift, without building a stream per item.
        same("try_map is and_then(lift)", items | rill::try_map(half), items | rill::and_then(rill::lift(half)));
        // [/snippet:laws]
    }

    std::cout << "== refactor ==\n";
    {
        // [snippet:refactor]
        // Associativity is what lets you cut a pipeline into named fragments.
        auto expand = rill::and_then(repeat) | rill::and_then([](int x) { return rill::of(x, -x); });
        auto then_halve = rill::try_map(half);
        print(rill::of(1, 2) | expand | then_halve);
        // [/snippet:refactor]
    }
}
