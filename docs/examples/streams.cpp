// Running streams and stream<T>: the examples of docs/03-descriptions.md.
#include "print.hpp"

#include <rill/rill.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

// [snippet:erased]
// stream<T> hides the pipeline's type: for signatures, containers of streams,
// and functions whose branches build different pipelines.
rill::stream<int> evens_or_odds(bool evens) {
    if (evens) return rill::iota(0, 10) | rill::filter([](int x) { return x % 2 == 0; });
    return rill::iota(0, 10) | rill::filter([](int x) { return x % 2 != 0; }) | rill::take(3);
}
// [/snippet:erased]

int main() {
    std::cout << "== lazy ==\n";
    {
        // [snippet:lazy]
        int calls = 0;
        auto s = rill::iota(1, 4) | rill::map([&](int x) {
                     ++calls;
                     return x * x;
                 });
        std::cout << "built: " << calls << " calls\n"; // a description performs no effect

        for (const rill::result<int>& r : s) std::cout << *r << ' '; // one run
        std::cout << "| " << calls << " calls\n";

        print(s); // another run, from scratch
        std::cout << calls << " calls\n";
        // [/snippet:lazy]
    }

    std::cout << "== open ==\n";
    {
        // [snippet:open]
        auto s = rill::of(std::string("a"), std::string("b"));
        auto cursor = s.open(); // a run: it owns the run's state
        while (std::optional<rill::result<std::string>> item = cursor.next()) std::cout << **item << '\n';
        // [/snippet:open]
    }

    std::cout << "== break ==\n";
    {
        // [snippet:break]
        for (const auto& r : rill::iota(0)) { // never ends on its own
            if (*r == 3) break;               // leaving the loop ends the run
            std::cout << *r << '\n';
        }
        // [/snippet:break]
    }

    std::cout << "== erased ==\n";
    {
        // [snippet:erased_use]
        print(evens_or_odds(true));
        print(evens_or_odds(false));

        std::vector<rill::stream<int>> parts{rill::of(1), rill::iota(2, 4), {}}; // {} has no items
        for (const auto& part : parts) print(part);
        // [/snippet:erased_use]
    }

    std::cout << "== fragment ==\n";
    {
        // [snippet:fragment]
        auto parse = rill::try_map([](std::string s) -> rill::result<int> {
                         if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
                             return rill::err("PARSE", "not a number: \"" + s + "\"");
                         return std::stoi(s);
                     })
                   | rill::named("parse");
        print(rill::of(std::string("12"), std::string("x")) | parse);
        // [/snippet:fragment]
    }

    std::cout << "== two_runs ==\n";
    {
        // [snippet:two_runs]
        // Two runs of one stream at the same time: each cursor has its own state.
        auto s = rill::iota(1, 4) | rill::scan(0, [](int acc, int x) { return acc + x; });
        auto a = s.open();
        auto b = s.open();
        std::cout << **a.next() << ' ' << **a.next() << ' ' << **b.next() << ' ' << **a.next() << '\n';
        // [/snippet:two_runs]
    }

    std::cout << "== owns ==\n";
    {
        // [snippet:owns]
        // A run owns copies of the functions it calls: state in a function
        // starts afresh with each run, and the description is never changed.
        auto numbered = rill::of(std::string("a"), std::string("b"))
                      | rill::map([n = 0](std::string s) mutable { return std::to_string(++n) + s; });
        print(numbered);
        print(numbered); // numbering starts again at 1
        // [/snippet:owns]
    }

    std::cout << "== dangling ==\n";
    {
        // [snippet:dangling]
        // A stream that refers to a local must not outlive it. from(v) refers
        // to an lvalue v, from(std::move(v)) owns it:
        auto make_owned = [] {
            std::vector<int> v{1, 2, 3};
            return rill::from(std::move(v)); // safe: the stream owns the vector
            // return rill::from(v);         // would dangle: v dies here
        };
        print(make_owned());
        // [/snippet:dangling]
    }
}
