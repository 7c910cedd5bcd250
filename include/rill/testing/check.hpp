/// \file
/// Running RapidCheck properties without a test framework: `check_property`
/// runs one property and returns a `property_outcome` (its name, an ok flag and
/// a report: seed, number of cases, shrunk counterexample, what failed); the
/// checkers gather outcomes into a `check_result` that doctest, GoogleTest or
/// Catch2 can assert on. Reports are kept short: long type names in a
/// counterexample are abbreviated, and lines longer than
/// `check_options::report_width` are wrapped, then cut. See docs/10-laws.md,
/// "Your own properties".
///
///     auto r = rill::testing::check_monad_laws(gen_stream, gen_f, gen_g);
///     CHECK_MESSAGE(r, r.report);         // doctest
///     EXPECT_TRUE(r) << r.report;          // GoogleTest
///     INFO(r.report); CHECK(r);            // Catch2
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rill::testing {

/// Cases per property when neither the caller, `RC_PARAMS` nor `RILL_PROPERTY_CASES` says otherwise.
inline constexpr int default_cases = 1000;

/// How a checker runs its properties.
struct check_options {
    /// Cases per property; 0: `RC_PARAMS="max_success=N"`, else `RILL_PROPERTY_CASES=N`, else `default_cases`.
    int cases = 0;
    /// The seed; empty: RapidCheck's (`RC_PARAMS="seed=S"`, else random). The report always says which.
    std::optional<std::uint64_t> seed{};
    /// The largest generation size; 0: RapidCheck's (`RC_PARAMS="max_size=N"`, else 100).
    int max_size = 0;
    /// The longest line of a report: a longer one is wrapped at an item boundary
    /// (", " or a space), onto at most `report_max_wraps` more lines, then cut;
    /// type names in a counterexample are abbreviated to this width too. 0: no limit.
    std::size_t report_width = 160;
};

/// Continuation lines a report line may wrap onto before it is cut.
inline constexpr std::size_t report_max_wraps = 12;

/// The outcome of one property: its name, whether it held, and RapidCheck's report.
struct property_outcome {
    std::string name;   ///< the property, e.g. "right identity: s | and_then(pure) == s"
    bool ok = true;     ///< it held for every case
    std::string report; ///< on failure: seed, shrunk counterexample, what differed
};

/// What a checker returns: whether every property held, and a report naming
/// the failed ones with the seed and shrunk counterexample of each.
struct check_result {
    bool ok = true;                         ///< every property held
    std::string report;                     ///< the reports of the failed properties (empty when ok)
    std::vector<property_outcome> outcomes; ///< every property checked, in order

    /// True when every property held: `CHECK(r)`, `EXPECT_TRUE(r)`.
    explicit operator bool() const noexcept { return ok; }

    /// Adds a property's outcome (and its report when it failed).
    void add(property_outcome o) {
        if (!o.ok) {
            ok = false;
            if (!report.empty()) report += "\n";
            report += o.report;
        }
        outcomes.push_back(std::move(o));
    }

    /// Adds every outcome of another result.
    void add(const check_result& other) {
        for (const auto& o : other.outcomes) add(o);
    }

    /// True when the property whose name contains `name_part` was checked and failed.
    bool failed(std::string_view name_part) const {
        for (const auto& o : outcomes)
            if (!o.ok && o.name.find(name_part) != std::string::npos) return true;
        return false;
    }

    /// Prints "ok: N properties held" or the report.
    friend std::ostream& operator<<(std::ostream& os, const check_result& r) {
        if (r.ok) return os << "ok: " << r.outcomes.size() << (r.outcomes.size() == 1 ? " property held" : " properties held");
        return os << r.report;
    }
};

namespace detail {

/// Reads a positive integer from the environment, or 0.
inline int env_int(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return 0;
    char* end = nullptr;
    const long n = std::strtol(v, &end, 10);
    return (*end == '\0' && n > 0 && n < 1000000000L) ? static_cast<int>(n) : 0;
}

/// RapidCheck's configuration with the number of cases, seed and size of `o`.
inline rc::detail::TestParams test_params(const check_options& o) {
    rc::detail::TestParams params = rc::detail::configuration().testParams;
    const char* rc_params = std::getenv("RC_PARAMS");
    const bool rc_sets_cases = rc_params != nullptr && std::strstr(rc_params, "max_success") != nullptr;
    if (o.cases > 0) params.maxSuccess = o.cases;
    else if (!rc_sets_cases) params.maxSuccess = env_int("RILL_PROPERTY_CASES") > 0 ? env_int("RILL_PROPERTY_CASES") : default_cases;
    if (o.seed) params.seed = *o.seed;
    if (o.max_size > 0) params.maxSize = o.max_size;
    return params;
}

/// Listens to nothing: a checker reports through its result, and RapidCheck's
/// global listener would print "had failures" at exit for expected failures too.
struct quiet_listener final : rc::detail::TestListener {
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

/// `type` (a demangled C++ type) in at most `width` characters: template
/// arguments are folded from the innermost outwards (`pipeline<map_stage<...>, ...>`)
/// until it fits, and what still does not fit is cut.
inline std::string short_type(const std::string& type, std::size_t width) {
    if (width == 0 || type.size() <= width) return type;
    int deepest = 0, depth = 0;
    for (char c : type) {
        if (c == '<') deepest = std::max(deepest, ++depth);
        else if (c == '>' && depth > 0) --depth;
    }
    std::string out = type;
    for (int keep = deepest - 1; keep >= 0 && out.size() > width; --keep) {
        // Everything nested deeper than `keep` becomes "...".
        std::string folded;
        depth = 0;
        for (char c : type) {
            const bool open = c == '<', close = c == '>';
            if (close && depth > 0) --depth;
            if (depth <= keep) folded += c;
            if (open) {
                if (depth == keep) folded += "...";
                ++depth;
            }
        }
        out = folded;
    }
    if (out.size() > width) out = out.substr(0, width > 3 ? width - 3 : 0) + "...";
    return out;
}

/// `text` with every line at most `width` characters long: a longer line is
/// wrapped at the last ", " (else the last space) that fits, continuation lines
/// indented four more than the line, onto at most `report_max_wraps` lines, then cut.
inline std::string fit_lines(const std::string& text, std::size_t width) {
    if (width < 40) return text;
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        const bool last = end == std::string::npos;
        std::string line = text.substr(start, last ? std::string::npos : end - start);
        const std::string indent(std::min(line.find_first_not_of(' ') == std::string::npos ? 0 : line.find_first_not_of(' '),
                                          width / 4) + 4,
                                 ' ');
        std::size_t wraps = 0;
        while (line.size() > width) {
            if (wraps == report_max_wraps) {
                const std::size_t keep = width - 30;
                line = line.substr(0, keep) + " ... [" + std::to_string(line.size() - keep) + " more characters]";
                break;
            }
            std::size_t cut = line.rfind(", ", width - 2);
            if (cut != std::string::npos && cut > indent.size()) cut += 2;
            else {
                cut = line.rfind(' ', width - 1);
                if (cut == std::string::npos || cut <= indent.size()) cut = width;
                else ++cut;
            }
            out += line.substr(0, cut);
            while (!out.empty() && out.back() == ' ') out.pop_back();
            out += '\n';
            line = indent + line.substr(cut);
            ++wraps;
        }
        out += line;
        if (last) break;
        out += '\n';
        start = end + 1;
    }
    return out;
}

} // namespace detail

/// Runs `testable` as one RapidCheck property named `name` and returns its
/// outcome, never throwing and printing nothing (assert on the outcome, or add
/// it to a `check_result`).
///
/// `testable` is what `rc::check` takes: a callable that draws values with
/// `*gen` (or takes them as parameters, generated by `rc::gen::arbitrary`)
/// and checks them with `RC_ASSERT`, `RC_FAIL`, `RC_PRE` (a precondition:
/// the case is discarded) or by throwing (a thrown exception fails the case).
/// `options` gives the number of cases, the seed and the largest size (see
/// `check_options`; `RC_PARAMS` and `RILL_PROPERTY_CASES` are read too). On
/// failure RapidCheck shrinks the case to a smallest one it can find, and the
/// report says: `property 'NAME' FAILED (seed S, N cases; replay with
/// RC_PARAMS="seed=S")`, then RapidCheck's account (`Falsifiable after K tests
/// and M shrinks`, each generated value of the shrunk case under its type, the
/// failed assertion or `RC_FAIL` message), every line at most
/// `options.report_width` long. A property that gives up (too many cases
/// discarded) fails too.
template <class Testable>
property_outcome check_property(std::string name, Testable&& testable, const check_options& options = {}) {
    const rc::detail::TestParams params = detail::test_params(options);
    rc::detail::TestMetadata metadata;
    metadata.id = name;
    metadata.description = name;
    detail::quiet_listener listener;
    const rc::detail::TestResult result =
        rc::detail::checkTestable(std::forward<Testable>(testable), metadata, params, listener);

    property_outcome out;
    out.name = std::move(name);
    if (result.template is<rc::detail::SuccessResult>()) return out;
    out.ok = false;
    std::ostringstream os;
    os << "property '" << out.name << "' FAILED (seed " << params.seed << ", " << params.maxSuccess
       << " cases; replay with RC_PARAMS=\"seed=" << params.seed << "\")\n";
    if (result.template is<rc::detail::FailureResult>()) {
        // The generated values are listed under their C++ types: a pipeline's
        // type can run to thousands of characters.
        rc::detail::FailureResult failure = result.template get<rc::detail::FailureResult>();
        for (auto& [type, value] : failure.counterExample) type = detail::short_type(type, options.report_width);
        rc::detail::printResultMessage(failure, os);
    } else {
        rc::detail::printResultMessage(result, os);
    }
    os << "\n";
    out.report = detail::fit_lines(os.str(), options.report_width);
    return out;
}

} // namespace rill::testing
