// The sink examples of docs/operators.md.
#include "print.hpp"

#include <rill/rill.hpp>

#include <iostream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

int main() {
    // [snippet:inputs]
    const auto items = rill::of(rill::result<int>(1), rill::result<int>(2),
                                rill::result<int>(rill::err("E", "bad")), rill::result<int>(4));
    const auto good = rill::of(1, 2, 3);
    // [/snippet:inputs]

    std::cout << "== collect ==\n";
    {
        // [snippet:collect]
        std::vector<rill::result<int>> all = rill::collect(items); // every item, Err included
        std::cout << all.size() << " items\n";
        // [/snippet:collect]
    }

    std::cout << "== try_collect ==\n";
    {
        // [snippet:try_collect]
        rill::result<std::vector<int>> values = rill::try_collect(good);
        print_value(values);
        print_value(rill::try_collect(items)); // the first Err; the run stops there
        // [/snippet:try_collect]
    }

    std::cout << "== partition ==\n";
    {
        // [snippet:partition]
        auto [values, errors] = rill::partition(items);
        print_value(values);
        for (const rill::err_info& e : errors) std::cout << e << '\n';
        // [/snippet:partition]
    }

    std::cout << "== fold ==\n";
    {
        // [snippet:fold]
        auto add = [](int acc, int x) { return acc + x; };
        rill::result<int> total = rill::fold(good, 0, add);
        print_value(total);
        print_value(rill::fold(items, 0, add)); // stops at the first Err
        // [/snippet:fold]
    }

    std::cout << "== for_each ==\n";
    {
        // [snippet:for_each]
        std::vector<rill::err_info> errors = rill::for_each(items, [](int x) { std::cout << x << ' '; });
        std::cout << "| " << errors.size() << " error\n"; // the run went on past the Err
        // [/snippet:for_each]
    }

    std::cout << "== count ==\n";
    {
        // [snippet:count]
        std::cout << rill::count(items) << '\n';                   // Err items count too
        std::cout << rill::partition(items).first.size() << '\n';  // the Ok items alone
        // [/snippet:count]
    }

    std::cout << "== to ==\n";
    {
        // [snippet:to]
        print_value(rill::of(3, 1, 3, 2) | rill::to<std::set<int>>());
        auto pairs = rill::of(std::pair<std::string, int>("a", 1), std::pair<std::string, int>("b", 2));
        rill::result<std::map<std::string, int>> m = rill::to<std::map<std::string, int>>(pairs);
        std::cout << m->at("b") << '\n';
        print_value(items | rill::to<std::set<int>>()); // the first Err
        // [/snippet:to]
    }

    std::cout << "== pipe_sinks ==\n";
    {
        // [snippet:pipe_sinks]
        auto total = good | rill::fold(0, [](int acc, int x) { return acc + x; });
        auto n = good | rill::count();
        auto all = good | rill::collect();
        std::cout << *total << ' ' << n << ' ' << all.size() << '\n';
        // [/snippet:pipe_sinks]
    }
}
