/// \file
/// Runs a RapidCheck property inside a doctest test case, in the spirit of
/// rapidcheck/extras/catch/include/rapidcheck/catch.h (RapidCheck ships no
/// doctest adapter):
///
///     TEST_CASE("map keeps the identity") {
///         rill_prop("map(id) == id", [](const std::vector<rill::result<int>>& xs) { ... });
///     }
///
/// or, for a test case that is one property (its parameters are generated):
///
///     RC_DOCTEST_PROP("reverse twice is the identity", (const std::vector<int>& xs)) { ... }
///
/// Number of cases: RapidCheck's own `RC_PARAMS="max_success=N"` wins; otherwise
/// `RILL_PROPERTY_CASES=N`; otherwise 1000. A failure is reported through doctest
/// with RapidCheck's counterexample and the seed that reproduces it
/// (`RC_PARAMS="seed=S"`).
#pragma once

#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <utility>

namespace rill_properties {

inline constexpr int default_cases = 1000;

/// The test parameters: RapidCheck's configuration (RC_PARAMS) with the number
/// of cases taken from RILL_PROPERTY_CASES or the default, unless RC_PARAMS sets it.
inline rc::detail::TestParams test_params() {
    rc::detail::TestParams params = rc::detail::configuration().testParams;
    const char* rc_params = std::getenv("RC_PARAMS");
    if (rc_params == nullptr || std::strstr(rc_params, "max_success") == nullptr) {
        params.maxSuccess = default_cases;
        if (const char* cases = std::getenv("RILL_PROPERTY_CASES"); cases != nullptr && *cases != '\0') {
            char* end = nullptr;
            const long n = std::strtol(cases, &end, 10);
            if (*end == '\0' && n > 0) params.maxSuccess = static_cast<int>(n);
        }
    }
    return params;
}

/// Checks `testable` as a RapidCheck property; a failure or a give-up fails the
/// current doctest test case with RapidCheck's report.
template <class Testable>
void check(const std::string& description, Testable&& testable) {
    using namespace rc::detail;
    const TestParams params = test_params();
    TestMetadata metadata;
    metadata.id = description;
    metadata.description = description;
    const TestResult result = checkTestable(std::forward<Testable>(testable), metadata, params);

    if (result.template is<SuccessResult>()) {
        const auto success = result.template get<SuccessResult>();
        if (!success.distribution.empty()) { // classified: show the distribution
            std::ostringstream os;
            printResultMessage(result, os);
            MESSAGE(description << "\n" << os.str());
        }
        return;
    }
    std::ostringstream os;
    printResultMessage(result, os);
    FAIL_CHECK("property '" << description << "' failed (seed " << params.seed << "; rerun with RC_PARAMS=\"seed="
                            << params.seed << "\")\n"
                            << os.str());
}

} // namespace rill_properties

/// Checks a property: `rill_prop("description", [](T generated...) { RC_ASSERT(...); })`.
template <class Testable>
void rill_prop(const std::string& description, Testable&& testable) {
    rill_properties::check(description, std::forward<Testable>(testable));
}

#define RILL_PROP_CONCAT_IMPL(a, b) a##b
#define RILL_PROP_CONCAT(a, b) RILL_PROP_CONCAT_IMPL(a, b)

/// A doctest test case that is one property:
/// `RC_DOCTEST_PROP("description", (const std::vector<int>& xs)) { RC_ASSERT(...); }`
#define RC_DOCTEST_PROP(description, args)                                                                  \
    static void RILL_PROP_CONCAT(rill_prop_body_, __LINE__) args;                                           \
    TEST_CASE(description) { rill_prop(description, &RILL_PROP_CONCAT(rill_prop_body_, __LINE__)); }        \
    static void RILL_PROP_CONCAT(rill_prop_body_, __LINE__) args
