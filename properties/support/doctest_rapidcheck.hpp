/// \file
/// Runs RapidCheck properties and the kit's checkers inside doctest test cases,
/// in the spirit of rapidcheck/extras/catch/include/rapidcheck/catch.h
/// (RapidCheck ships no doctest adapter). The work is done by the public kit
/// (`rill::testing::check_property`, `check_result`); this is the doctest glue:
///
///     TEST_CASE("map keeps the identity") {
///         rill_prop("map(id) == id", [] { const auto xs = *gen; RC_ASSERT(...); });
///         RILL_CHECK_LAWS(rill::testing::check_functor_laws(...));
///     }
///
/// Number of cases: RapidCheck's own `RC_PARAMS="max_success=N"` wins; otherwise
/// `RILL_PROPERTY_CASES=N`; otherwise 1000. A failure is reported through doctest
/// with RapidCheck's shrunk counterexample and the seed that reproduces it
/// (`RC_PARAMS="seed=S"`).
#pragma once

#include <rill/testing/check.hpp>

#include <doctest/doctest.h>

#include <string>
#include <utility>

/// Fails the current doctest test case, with the report, unless `r` (a `check_result`) holds.
#define RILL_CHECK_LAWS(...)                                                                                 \
    do {                                                                                                     \
        const ::rill::testing::check_result rill_check_laws_result_ = (__VA_ARGS__);                        \
        CHECK_MESSAGE(static_cast<bool>(rill_check_laws_result_), rill_check_laws_result_.report);          \
    } while (false)

/// Checks a property: `rill_prop("description", [] { RC_ASSERT(...); })`.
template <class Testable>
void rill_prop(const std::string& description, Testable&& testable) {
    const auto outcome = rill::testing::check_property(description, std::forward<Testable>(testable));
    CHECK_MESSAGE(outcome.ok, outcome.report);
}

#define RILL_PROP_CONCAT_IMPL(a, b) a##b
#define RILL_PROP_CONCAT(a, b) RILL_PROP_CONCAT_IMPL(a, b)

/// A doctest test case that is one property:
/// `RC_DOCTEST_PROP("description", (const std::vector<int>& xs)) { RC_ASSERT(...); }`
#define RC_DOCTEST_PROP(description, args)                                                                  \
    static void RILL_PROP_CONCAT(rill_prop_body_, __LINE__) args;                                           \
    TEST_CASE(description) { rill_prop(description, &RILL_PROP_CONCAT(rill_prop_body_, __LINE__)); }        \
    static void RILL_PROP_CONCAT(rill_prop_body_, __LINE__) args
