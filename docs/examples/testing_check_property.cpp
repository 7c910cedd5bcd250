// Your own properties with rill::testing::check_property: one RapidCheck
// property, run without a test framework, returning an outcome to assert on.
// Run by CTest (docs.testing_check_property).
#include <rill/rill.hpp>
#include <rill/testing.hpp>

#include <iostream>
#include <sstream>
#include <string>

int main() {
    namespace rt = rill::testing;

    std::cout << "== holds ==\n";
    // [snippet:holds]
    // A property of the user's own: over streams of every shape (Err items
    // anywhere), count(s) is the number of items a run collects.
    const rt::property_outcome counted = rt::check_property(
        "count(s) == collect(s).size()",
        [] {
            const rt::stream_shape<int> shape = *rt::gen_stream_shape<int>(); // drawn by RapidCheck
            const auto s = shape.build();
            RC_ASSERT(rill::count(s) == rill::collect(s).size());
        },
        rt::check_options{.cases = 300});
    std::cout << counted.name << ": " << (counted.ok ? "held" : counted.report) << '\n';
    // [/snippet:holds]

    std::cout << "== fails ==\n";
    // [snippet:fails]
    // A wrong claim: take(3) always gives three items. RapidCheck finds a
    // stream that is too short and shrinks it to the smallest one.
    const rt::property_outcome wrong = rt::check_property(
        "take(3) gives 3 items",
        [] {
            const auto items = *rt::gen_items<int>();
            RC_ASSERT(rill::collect(rill::from(items) | rill::take(3)).size() == 3u);
        },
        rt::check_options{.cases = 100, .seed = 42}); // a fixed seed: the same report every run
    std::cout << std::boolalpha << "ok: " << wrong.ok << '\n';
    std::istringstream report(wrong.report);
    std::string line;
    for (int i = 0; i < 5 && std::getline(report, line); ++i) std::cout << line << '\n'; // the report begins
    // [/snippet:fails]
    return counted.ok && !wrong.ok ? 0 : 1;
}
