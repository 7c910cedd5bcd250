// Tests of include/rill/testing/check.hpp: check_property (ok flag, report
// with seed and shrunk counterexample, cases, seed and size honoured),
// check_result (add, failed, printing) and RILL_PROPERTY_CASES.
#include <rill/testing/check.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rt = rill::testing;

namespace {

std::string print(const rt::check_result& r) {
    std::ostringstream os;
    os << r;
    return os.str();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Sets (or unsets, for nullptr) an environment variable for one scope, then restores it.
class scoped_env {
public:
    scoped_env(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value != nullptr) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~scoped_env() {
        if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
        else ::unsetenv(name_.c_str());
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;

private:
    std::string name_;
    std::optional<std::string> old_;
};

/// How many cases a property that always holds runs with `options`.
int cases_run(const rt::check_options& options) {
    int calls = 0;
    const auto o = rt::check_property("counts", [&calls] { ++calls; }, options);
    CHECK(o.ok);
    return calls;
}

/// The values of `*gen` that one run of a holding property draws.
std::vector<int> drawn(const rt::check_options& options) {
    std::vector<int> values;
    const auto o = rt::check_property("draws", [&values] { values.push_back(*rc::gen::inRange(0, 1000000)); }, options);
    CHECK(o.ok);
    return values;
}

std::size_t longest_line(const std::string& text) {
    std::size_t longest = 0, start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        longest = std::max(longest, end - start);
        start = end + 1;
    }
    return longest;
}

} // namespace

namespace report_test {
/// A class template to nest: its name grows with the nesting.
template <class A, class B>
struct node {
    friend bool operator==(const node&, const node&) = default;
};
using n2 = node<node<int, long>, node<char, short>>;
using n4 = node<node<n2, n2>, node<n2, n2>>;
} // namespace report_test

TEST_CASE("a report's lines are at most report_width long: a long line is wrapped at item boundaries, then cut") {
    std::string items;
    for (int i = 0; i < 100; ++i) items += (i != 0 ? ", item" : "item") + std::to_string(i); // ~790 characters
    const auto wrapped = rt::check_property("long message", [items] { RC_FAIL("the items: " + items); }, {.cases = 1});
    CHECK_FALSE(wrapped.ok);
    CHECK(longest_line(wrapped.report) <= 160);
    CHECK(contains(wrapped.report, "the items: item0, item1, "));
    CHECK(contains(wrapped.report, "item98, item99")); // wrapped, not cut: every item is there
    CHECK_FALSE(contains(wrapped.report, "more characters]"));

    const std::string huge(100000, 'x');
    const auto cut = rt::check_property("huge message", [huge] { RC_FAIL(huge); }, {.cases = 1, .report_width = 100});
    CHECK(longest_line(cut.report) <= 100);
    CHECK(contains(cut.report, "more characters]"));
    CHECK(cut.report.size() < 2000);

    const auto whole = rt::check_property("long message", [items] { RC_FAIL("the items: " + items); }, {.cases = 1, .report_width = 0});
    CHECK(contains(whole.report, "the items: " + items)); // 0: no limit
}

TEST_CASE("a long type name in a counterexample is abbreviated, innermost template arguments first") {
    using report_test::n4;
    std::ostringstream full;
    rc::detail::showType<n4>(full);
    REQUIRE(full.str().size() > 160);
    const auto o = rt::check_property("nodes", [] {
        const auto v = *rc::gen::just(n4{});
        RC_ASSERT(!(v == n4{}));
    }, {.cases = 1, .report_width = 100});
    CHECK_FALSE(o.ok);
    CHECK(longest_line(o.report) <= 100);
    // The type line, folded to fit: report_test::node<report_test::node<...>, report_test::node<...>>
    CHECK_MESSAGE(contains(o.report, "report_test::node<report_test::node<...>, report_test::node<...>"), o.report);
    CHECK_FALSE(contains(o.report, full.str()));
}

TEST_CASE("a property that holds: ok, named, no report") {
    const auto o = rt::check_property(
        "addition commutes",
        [](int a, int b) { RC_ASSERT(static_cast<long long>(a) + b == static_cast<long long>(b) + a); },
        rt::check_options{.cases = 50});
    CHECK(o.ok);
    CHECK(o.name == "addition commutes");
    CHECK(o.report.empty());
}

TEST_CASE("a property that fails: not ok, the report names it and gives the seed and shrunk counterexample") {
    const int limit = 777;
    const auto o = rt::check_property(
        "small numbers",
        [limit] {
            const int x = *rc::gen::inRange(0, 100000);
            RC_ASSERT(x < limit);
        },
        rt::check_options{.cases = 200, .seed = 12345});
    CHECK_FALSE(o.ok);
    CHECK(o.name == "small numbers");
    CHECK_MESSAGE(contains(o.report, "property 'small numbers' FAILED"), o.report);
    CHECK_MESSAGE(contains(o.report, "seed 12345"), o.report);
    CHECK_MESSAGE(contains(o.report, "RC_PARAMS=\"seed=12345\""), o.report);
    CHECK_MESSAGE(contains(o.report, "200 cases"), o.report);
    CHECK_MESSAGE(contains(o.report, "Falsifiable"), o.report);
    // The smallest failing x is the limit itself; the source says `limit`, so
    // 777 in the report is the shrunk counterexample (RapidCheck's expansion).
    CHECK_MESSAGE(contains(o.report, "777"), o.report);
    CHECK_MESSAGE(!contains(o.report, "778"), o.report);
}

TEST_CASE("a property that throws or gives up counts as failed") {
    const auto threw = rt::check_property("throws", [] { throw std::runtime_error("boom from the property"); },
                                          rt::check_options{.cases = 10});
    CHECK_FALSE(threw.ok);
    CHECK_MESSAGE(contains(threw.report, "boom from the property"), threw.report);

    const auto gave_up = rt::check_property("discards everything", [] { RC_PRE(false); }, rt::check_options{.cases = 10});
    CHECK_FALSE(gave_up.ok);
    CHECK_MESSAGE(contains(gave_up.report, "property 'discards everything' FAILED"), gave_up.report);
}

TEST_CASE("check_options.cases is the number of cases a holding property runs") {
    CHECK(cases_run(rt::check_options{.cases = 1}) == 1);
    CHECK(cases_run(rt::check_options{.cases = 37}) == 37);
    CHECK(cases_run(rt::check_options{.cases = 250}) == 250);
}

TEST_CASE("without check_options.cases: RILL_PROPERTY_CASES, else default_cases") {
    // RC_PARAMS with max_success would take precedence: take it away here.
    const scoped_env no_rc_params("RC_PARAMS", nullptr);
    {
        const scoped_env env("RILL_PROPERTY_CASES", "23");
        CHECK(cases_run(rt::check_options{}) == 23);
        CHECK(cases_run(rt::check_options{.cases = 5}) == 5); // the caller wins
    }
    {
        const scoped_env env("RILL_PROPERTY_CASES", nullptr);
        CHECK(cases_run(rt::check_options{}) == rt::default_cases);
    }
    // Not a positive integer: ignored.
    for (const char* bad : {"", "0", "-4", "12x", "abc"}) {
        CAPTURE(bad);
        const scoped_env env("RILL_PROPERTY_CASES", bad);
        CHECK(cases_run(rt::check_options{}) == rt::default_cases);
    }
}

TEST_CASE("a fixed seed replays the same values; another seed draws others") {
    const auto a = drawn(rt::check_options{.cases = 30, .seed = 99});
    const auto b = drawn(rt::check_options{.cases = 30, .seed = 99});
    const auto c = drawn(rt::check_options{.cases = 30, .seed = 100});
    REQUIRE(a.size() == 30);
    CHECK(a == b);
    CHECK(a != c);
}

TEST_CASE("check_options.max_size bounds the generation size") {
    auto sizes = [](int max_size) {
        std::vector<int> out;
        const auto o = rt::check_property(
            "sizes", [&out] { out.push_back(*rc::gen::withSize([](int size) { return rc::gen::just(size); })); },
            rt::check_options{.cases = 100, .seed = 1, .max_size = max_size});
        CHECK(o.ok);
        return out;
    };
    int largest_small = 0;
    for (int s : sizes(7)) largest_small = std::max(largest_small, s);
    CHECK(largest_small <= 7);
    CHECK(largest_small > 0);
    int largest_default = 0;
    for (int s : sizes(0)) largest_default = std::max(largest_default, s); // 0: RapidCheck's (100 unless RC_PARAMS)
    CHECK(largest_default > 7);
}

TEST_CASE("check_result: add keeps every outcome, the report of the failed ones, and ok only if all held") {
    rt::check_result r;
    CHECK(r);
    CHECK(print(r) == "ok: 0 properties held");
    r.add(rt::property_outcome{"left identity", true, ""});
    CHECK(r);
    CHECK(print(r) == "ok: 1 property held");
    r.add(rt::property_outcome{"right identity", false, "right identity broke"});
    r.add(rt::property_outcome{"associativity", false, "associativity broke"});
    CHECK_FALSE(r);
    CHECK(r.outcomes.size() == 3);
    CHECK(r.report == "right identity broke\nassociativity broke");
    CHECK(print(r) == r.report);
    CHECK(r.failed("right"));
    CHECK(r.failed("identity")); // a part of the name, of a failed one
    CHECK(r.failed("assoc"));
    CHECK_FALSE(r.failed("left"));   // held
    CHECK_FALSE(r.failed("functor")); // never checked
}

TEST_CASE("check_result: add(other) merges another result in order") {
    rt::check_result first;
    first.add(rt::property_outcome{"a", true, ""});
    first.add(rt::property_outcome{"b", false, "b broke"});
    rt::check_result second;
    second.add(rt::property_outcome{"c", false, "c broke"});
    second.add(rt::property_outcome{"d", true, ""});

    rt::check_result all;
    all.add(first);
    all.add(second);
    REQUIRE(all.outcomes.size() == 4);
    CHECK(all.outcomes[0].name == "a");
    CHECK(all.outcomes[1].name == "b");
    CHECK(all.outcomes[2].name == "c");
    CHECK(all.outcomes[3].name == "d");
    CHECK_FALSE(all);
    CHECK(all.report == "b broke\nc broke");

    rt::check_result held;
    held.add(rt::property_outcome{"x", true, ""});
    rt::check_result still;
    still.add(held);
    still.add(held);
    CHECK(still);
    CHECK(still.outcomes.size() == 2);
    CHECK(print(still) == "ok: 2 properties held");
}

TEST_CASE("check_property outcomes go into a check_result") {
    rt::check_result r;
    r.add(rt::check_property("holds", [](int x) { RC_ASSERT(static_cast<long long>(x) * 2 == static_cast<long long>(x) + x); }, rt::check_options{.cases = 20}));
    r.add(rt::check_property(
        "fails", [] { RC_ASSERT(*rc::gen::inRange(0, 10) < 0); }, rt::check_options{.cases = 20, .seed = 3}));
    CHECK_FALSE(r);
    CHECK(r.failed("fails"));
    CHECK_FALSE(r.failed("holds"));
    CHECK(contains(r.report, "property 'fails' FAILED (seed 3"));
    CHECK_FALSE(contains(r.report, "'holds'"));
}
