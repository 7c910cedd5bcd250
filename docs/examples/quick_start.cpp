// The README's quick start.
#include <rill/rill.hpp>

#include <charconv>
#include <iostream>
#include <string>
#include <vector>

// [snippet:quick_start]
rill::result<int> parse_int(const std::string& s) {
    int n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size()) return rill::err("PARSE", "not a number: \"" + s + "\"");
    return n;
}

int main() {
    std::vector<std::string> input{"3", "x", "5"};

    auto numbers = rill::from(input)                  // a description: nothing runs yet
                 | rill::try_map(parse_int)           // an Err item for "x", and the stream goes on
                 | rill::named("parse")
                 | rill::map([](int n) { return n * 10; })
                 | rill::and_then([](int n) { return rill::of(n, n + 1); });

    for (const rill::result<int>& r : numbers)         // one run
        if (r) std::cout << *r << '\n';
        else std::cout << "error: " << r.error() << '\n';

    auto [values, errors] = rill::partition(numbers);  // another run, from scratch
    std::cout << values.size() << " values, " << errors.size() << " error\n";
}
// [/snippet:quick_start]
