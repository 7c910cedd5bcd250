// Why streams of results: the examples of docs/01-why.md.
#include "print.hpp"

#include <rill/rill.hpp>

#include <charconv>
#include <iostream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

// [snippet:parse]
// A fallible step: a number, or an error that says why not.
rill::result<int> parse_int(const std::string& s) {
    int n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size()) return rill::err("PARSE", "not a number: \"" + s + "\"");
    return n;
}
// [/snippet:parse]

int main() {
    const std::vector<std::string> lines{"12", "7x", "30", "", "5"};

    std::cout << "== exceptions ==\n";
    {
        // [snippet:exceptions]
        // With exceptions, the first bad line ends the whole batch.
        int total = 0;
        try {
            for (const std::string& line : lines) {
                std::size_t used = 0;
                int n = std::stoi(line, &used);
                if (used != line.size()) throw std::invalid_argument("not a number: \"" + line + "\"");
                total += n;
            }
        } catch (const std::exception& e) {
            std::cout << "gave up: " << e.what() << '\n';
        }
        std::cout << "total so far: " << total << '\n'; // "30" and "5" were never read
        // [/snippet:exceptions]
    }

    std::cout << "== results ==\n";
    {
        // [snippet:results]
        // With results, each line succeeds or fails on its own.
        int total = 0;
        for (const std::string& line : lines) {
            rill::result<int> n = parse_int(line);
            if (n) total += *n;
            else std::cout << "skipped: " << n.error() << '\n';
        }
        std::cout << "total: " << total << '\n';
        // [/snippet:results]
    }

    std::cout << "== stream ==\n";
    {
        // [snippet:stream]
        // The same loop as a stream: the steps are named once, and the errors
        // travel with the items, in their positions.
        auto numbers = rill::from(lines) | rill::try_map(parse_int);

        int total = 0;
        for (const rill::result<int>& n : numbers) {
            if (n) total += *n;
            else std::cout << "skipped: " << n.error() << '\n';
        }
        std::cout << "total: " << total << '\n';
        // [/snippet:stream]
    }

    std::cout << "== first_pipeline ==\n";
    {
        // [snippet:first_pipeline]
        auto doubled = rill::of(1, 2, 3)                            // a stream of three items
                     | rill::map([](int x) { return x * 2; });      // a step applied to each
        print(doubled);                                             // runs it and prints the items
        // [/snippet:first_pipeline]
    }
}
