/// \file
/// Running RapidCheck properties without a test framework: `check_property`
/// returns a `check_result` (an ok flag and the full report: seed, shrunk
/// counterexample) that doctest, GoogleTest or Catch2 can assert on.
///
///     auto r = rill::testing::check_monad_laws(gen_stream, gen_f, gen_g);
///     CHECK_MESSAGE(r, r.report);         // doctest
///     EXPECT_TRUE(r) << r.report;          // GoogleTest
///     INFO(r.report); CHECK(r);            // Catch2
#pragma once

#include <rapidcheck.h>

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
};

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

} // namespace detail

/// Runs `testable` (a callable using `*gen` and `RC_ASSERT`, as in `rc::check`)
/// as one RapidCheck property named `name`.
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
    rc::detail::printResultMessage(result, os);
    os << "\n";
    out.report = os.str();
    return out;
}

} // namespace rill::testing
