// Errors: docs/02-results.md, docs/04-composing.md and docs/05-errors.md.
#include "print.hpp"

#include <rill/rill.hpp>

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

// [snippet:parse_int]
rill::result<int> parse_int(const std::string& s) {
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
        return rill::err("PARSE", "not a number: \"" + s + "\"");
    return std::stoi(s);
}
// [/snippet:parse_int]

int main() {
    std::cout << "== result ==\n";
    {
        // [snippet:result]
        rill::result<int> ok = 42;
        rill::result<int> bad = rill::err("PARSE", "not a number");

        std::cout << *ok << ' ' << ok.value_or(0) << ' ' << bad.value_or(0) << '\n';
        if (!bad) std::cout << bad.error().code << " / " << bad.error().message << '\n';

        // tl::expected 1.0's own combinators work on single results.
        rill::result<int> doubled = ok.map([](int x) { return 2 * x; });
        std::cout << *doubled << '\n';
        // [/snippet:result]
    }

    std::cout << "== err_info ==\n";
    {
        // [snippet:err_info]
        rill::err_info e{"TIMEOUT", "no answer after 2s"};
        std::cout << e << '\n';

        e.at("try_map", 7); // what operators do on the Err path
        std::cout << e << '\n';
        std::cout << std::boolalpha << (e == rill::err_info{"TIMEOUT", "no answer after 2s"}) << '\n'; // trace not compared
        // [/snippet:err_info]
    }

    std::cout << "== provenance ==\n";
    {
        // [snippet:provenance]
        auto numbers = rill::of(std::string("1"), std::string("x"), std::string("3"))
                     | rill::try_map(parse_int)
                     | rill::map([](int n) { return n * 100; })   // Err items pass untouched
                     | rill::named("parse");                      // names try_map's frame
        for (const auto& e : rill::partition(numbers).second) {
            std::cout << e << '\n';
            for (const rill::err_frame& f : e.trace)
                std::cout << "  op=" << f.op << " stage=" << f.stage << " index=" << f.index << '\n';
        }
        // [/snippet:provenance]
    }

    std::cout << "== nested ==\n";
    {
        // [snippet:nested]
        // Each file is a stream of lines; a bad line deep inside reports both levels.
        auto numbers_in = [](std::string file) {
            std::vector<std::string> lines = file == "a" ? std::vector<std::string>{"1", "2"}
                                                         : std::vector<std::string>{"3", "four", "5"};
            return rill::from(std::move(lines)) | rill::try_map(parse_int) | rill::named("parse");
        };
        auto all = rill::of(std::string("a"), std::string("b")) | rill::and_then(numbers_in) | rill::named("files");
        print(all);
        // [/snippet:nested]
    }

    std::cout << "== map_err ==\n";
    {
        // [snippet:map_err]
        auto relabelled = rill::of(std::string("7"), std::string("x"))
                        | rill::try_map(parse_int) | rill::named("parse")
                        | rill::map_err([](rill::err_info e) {
                              return rill::err_info{"BAD_INPUT", e.code + ": " + e.message};
                          });
        print(relabelled); // the trace is kept and gains a map_err frame
        // [/snippet:map_err]
    }

    std::cout << "== recover ==\n";
    {
        // [snippet:recover]
        auto inputs = rill::of(std::string("7"), std::string("x"), std::string(""))
                    | rill::try_map(parse_int);

        print(inputs | rill::recover([](const rill::err_info&) { return 0; })); // a default value

        // Recover some errors, keep the others (they gain a recover frame).
        print(inputs | rill::recover([](rill::err_info e) -> rill::result<int> {
                  if (e.message == "not a number: \"\"") return -1;
                  return rill::err(std::move(e));
              }));
        // [/snippet:recover]
    }

    std::cout << "== catching ==\n";
    {
        // [snippet:catching]
        auto strict_stoi = [](const std::string& s) { return std::stoi(s); }; // throws on "x"

        // Without catching, the exception would propagate out of the run.
        print(rill::of(std::string("1"), std::string("x")) | rill::try_map(rill::catching(strict_stoi)));
        // [/snippet:catching]
    }

    std::cout << "== sinks ==\n";
    {
        // [snippet:sinks]
        auto numbers = rill::of(std::string("1"), std::string("x"), std::string("3"), std::string("y"))
                     | rill::try_map(parse_int);

        auto [values, errors] = rill::partition(numbers); // everything: values and errors
        std::cout << values.size() << " values, " << errors.size() << " errors\n";

        rill::result<std::vector<int>> all = rill::try_collect(numbers); // all or the first Err
        if (!all) std::cout << "try_collect: " << all.error() << '\n';

        rill::result<int> sum = rill::fold(numbers, 0, [](int a, int b) { return a + b; }); // also stops
        if (!sum) std::cout << "fold: " << sum.error() << '\n';

        auto skipped = rill::for_each(numbers, [](int) {}); // runs on, returns the errors
        std::cout << "for_each: " << skipped.size() << " errors\n";
        // [/snippet:sinks]
    }

    std::cout << "== error_summary ==\n";
    {
        // [snippet:error_summary]
        auto parse = [](int x) -> rill::result<int> {
            if (x % 4 == 0) return rill::err("PARSE", "record " + std::to_string(x) + " is malformed");
            return x;
        };
        // A long run with many bad records: count them and keep the first 2, in O(1) memory.
        long total = 0;
        auto summary = rill::for_each(rill::iota(0, 1000) | rill::try_map(parse),
                                      [&](int x) { total += x; }, rill::error_summary(2));
        std::cout << total << '\n' << summary << '\n';
        // [/snippet:error_summary]
    }
}
