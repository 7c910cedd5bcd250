// The examples of docs/07-sources.md: of, from, iota, pure/empty/failed, generate, paginate, lines.
#include "print.hpp"

#include <rill/rill.hpp>

#include <charconv>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>
#include <string>
#include <vector>

// [snippet:generate_captures]
// A stream of n, n-1, ..., 1. The coroutine lambda captures `n` by value: each
// run calls a copy of it that lives, unmoved, as long as the run.
rill::stream<int> countdown(int n) {
    return rill::generate([n]() -> rill::generator<int> {
        for (int i = n; i > 0; --i) co_yield i;
    });
}
// [/snippet:generate_captures]

// [snippet:generate_errors]
rill::result<int> checked(int x) {
    if (x % 3 == 0) return rill::err("DIVISIBLE", std::to_string(x) + " is divisible by 3");
    return x;
}

auto checked_numbers(int count) {
    return rill::generate([count]() -> rill::generator<int> {
        for (int i = 1; i <= count; ++i) {
            if (i == 4) {
                co_yield rill::err("SKIPPED", "4 is unlucky"); // a function call: fine
                continue;
            }
            rill::result<int> r = checked(i); // a named local: fine
            co_yield r;
            // Do NOT write these with g++ 12, which destroys the temporary twice:
            //   co_yield rill::result<int>(tl::unexpect, rill::err_info{"E", "m"});
            //   co_yield ok ? rill::result<int>(i) : rill::result<int>(rill::err("E", "m"));
        }
    });
}
// [/snippet:generate_errors]

// [snippet:paginate]
int fetches = 0;

// Page p of a listing; page 2 is broken in this example.
rill::result<std::vector<std::string>> fetch(std::size_t p) {
    ++fetches;
    if (p == 0) return std::vector<std::string>{"ant", "bee"};
    if (p == 1) return std::vector<std::string>{"cat"};
    if (p == 2) return rill::err("HTTP_503", "page 2 unavailable");
    return std::vector<std::string>{};
}
// [/snippet:paginate]

// [snippet:parse_int]
// Reads the line through a view: the run's line storage stays with the run.
rill::result<int> parse_int(std::string_view line) {
    int v = 0;
    const auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), v);
    if (ec != std::errc() || end != line.data() + line.size())
        return rill::err("PARSE", "not a number: \"" + std::string(line) + "\"");
    return v;
}
// [/snippet:parse_int]

int main() {
    std::cout << "== of ==\n";
    {
        // [snippet:of]
        print(rill::of(1, 2, 3));
        print(rill::of(std::string("a"), std::string("b")));

        // Values that are results are taken as they are.
        print(rill::of(rill::result<int>(1), rill::result<int>(rill::err("E", "boom"))));
        // [/snippet:of]
    }

    std::cout << "== from_lvalue ==\n";
    {
        // [snippet:from_lvalue]
        std::vector<int> v{1, 2};
        auto s = rill::from(v); // refers to v, as views::all does: v must outlive every run
        v.push_back(3);
        print(s); // each run reads v as it is then
        // [/snippet:from_lvalue]
    }

    std::cout << "== from_rvalue ==\n";
    {
        // [snippet:from_rvalue]
        // An rvalue range is moved into the stream; copies of the stream share it.
        auto words = rill::from(std::vector<std::string>{"x", "y"});
        auto copy = words;
        print(words);
        print(copy);
        // [/snippet:from_rvalue]
    }

    std::cout << "== from_results ==\n";
    {
        // [snippet:from_results]
        std::vector<rill::result<int>> items{1, rill::err("E", "bad"), 3};
        print(rill::from(items));
        // [/snippet:from_results]
    }

    std::cout << "== iota ==\n";
    {
        // [snippet:iota]
        print(rill::iota(1, 4));
        print(rill::iota(5, 5));                 // empty: last <= first
        print(rill::iota(10) | rill::take(3));   // unbounded: bound it with take
        // [/snippet:iota]
    }

    std::cout << "== single ==\n";
    {
        // [snippet:single]
        print(rill::pure(42));
        print(rill::empty<int>());
        print(rill::failed<int>(rill::err_info{"E", "nothing to do"}));
        // [/snippet:single]
    }

    std::cout << "== generate ==\n";
    {
        // [snippet:generate]
        auto s = countdown(3);
        print(s);
        print(s); // a second run calls the factory again: the same items
        print(countdown(5) | rill::take(2));
        // [/snippet:generate]
    }

    std::cout << "== generate_errors ==\n";
    {
        // [snippet:generate_errors_run]
        print(checked_numbers(5));
        // [/snippet:generate_errors_run]
    }

    std::cout << "== paginate ==\n";
    {
        // [snippet:paginate_run]
        auto animals = rill::paginate(fetch);
        print(animals | rill::take(2)); // page 0 is enough
        std::cout << fetches << " fetch\n";
        fetches = 0;
        print(animals);                 // ends at the failed page
        std::cout << fetches << " fetches\n";
        // [/snippet:paginate_run]
    }

    const std::string path = (std::filesystem::temp_directory_path() / "rill_docs_numbers.txt").string();
    std::ofstream(path) << "10\n20\r\nthirty\n\n50";

    std::cout << "== lines ==\n";
    {
        // [snippet:lines]
        // The file holds "10\n20\r\nthirty\n\n50": CRLF, an empty line, no final '\n'.
        print(rill::lines(path));

        auto numbers = rill::lines(path) | rill::try_map(parse_int) | rill::named("parse");
        print(numbers);
        // [/snippet:lines]
    }

    std::cout << "== lines_positions ==\n";
    {
        // [snippet:lines_positions]
        // An Err's position at try_map is its line number less one.
        auto numbers = rill::lines(path) | rill::try_map(parse_int);
        for (const rill::err_info& e : rill::partition(numbers).second)
            std::cout << "line " << e.trace.front().index + 1 << ": " << e.message << '\n';
        // [/snippet:lines_positions]
    }

    std::cout << "== lines_missing ==\n";
    {
        // [snippet:lines_missing]
        print(rill::lines("/no/such/dir/numbers.txt"));
        // [/snippet:lines_missing]
    }

    std::cout << "== lines_istream ==\n";
    {
        // [snippet:lines_istream]
        std::istringstream in("a\nb\nc\n");
        print(rill::lines(in) | rill::take(2));
        print(rill::lines(in)); // one-shot: this run goes on where the last one stopped
        // [/snippet:lines_istream]
    }
    std::filesystem::remove(path);
}
