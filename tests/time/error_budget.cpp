// Tests of include/rill/time/error_budget.hpp: error_budget(limits).
#include <rill/time/error_budget.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>

#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

using namespace rill_test;

TEST_CASE("error_budget passes every item unchanged while the budget holds") {
    CHECK(shown(rill::from(items({1, -1, 2, -2, 3})) | rill::error_budget({.max_errors = 3})) == "1 !E1 2 !E2 3");
    CHECK(shown(rill::from(items({1, -1, 2, 3})) | rill::error_budget({.max_rate = 0.5, .window = 2})) == "1 !E1 2 3");
    CHECK(shown(rill::from(items({-1, -2})) | rill::error_budget({})) == "!E1 !E2"); // the defaults never stop
}

TEST_CASE("after max_errors Err items the run ends with one summary Err") {
    for (via how : every_way) {
        CAPTURE(how);
        const auto v = collect_via(how, rill::from(items({1, -1, 2, -2, 3, -3, 4})) | rill::error_budget({.max_errors = 2}));
        CHECK(show(rill::from(v)) == "1 !E1 2 !E2 !error_budget");
        REQUIRE(v.size() == 5);
        CHECK(v[4].error() ==
              rill::err_info{"error_budget", "stopped after 4 items, 2 of them Err (limit 2); by code: E1 x1 E2 x1"});
        REQUIRE(v[4].error().trace.size() == 1);
        CHECK(v[4].error().trace[0] == rill::err_frame{"error_budget", "", 4});
    }
}

TEST_CASE("the summary counts Errs per code") {
    const auto v = rill::collect(rill::from(items({-2, -1, 5, -2})) | rill::error_budget({.max_errors = 3}));
    REQUIRE(v.size() == 5);
    CHECK(v[4].error().message == "stopped after 4 items, 3 of them Err (limit 3); by code: E1 x1 E2 x2");
}

TEST_CASE("error_budget stops when more than max_rate of the last window items are Errs") {
    for (via how : every_way) {
        CAPTURE(how);
        // Window 4, rate 0.5: [1 E E 2] has 2 of 4, [E E 2 E] has 3 of 4.
        const auto v = collect_via(how, rill::from(items({1, -1, -1, 2, -1, 3, 4})) |
                                            rill::error_budget({.max_rate = 0.5, .window = 4}));
        CHECK(show(rill::from(v)) == "1 !E1 !E1 2 !E1 !error_budget");
        REQUIRE(v.size() == 6);
        CHECK(v[5].error().message ==
              "stopped after 5 items, 3 of them Err; 3 Err in the last 4 items (limit rate 0.5); by code: E1 x3");
    }
}

TEST_CASE("the Err rate is checked only once a whole window of items has been seen") {
    CHECK(shown(rill::from(items({-1, -1, -1})) | rill::error_budget({.max_rate = 0.5, .window = 4})) == "!E1 !E1 !E1");
    // The window slides: old Errs leave it.
    CHECK(shown(rill::from(items({-1, -1, 1, 2, 3, -1, 4, -1})) | rill::error_budget({.max_rate = 0.5, .window = 4})) ==
          "!E1 !E1 1 2 3 !E1 4 !E1");
    // An Ok item can complete a window that is over the rate.
    CHECK(shown(rill::from(items({-1, -1, -1, 1, 2})) | rill::error_budget({.max_rate = 0.5, .window = 4})) ==
          "!E1 !E1 !E1 1 !error_budget");
    // max_rate = 0: any Err in a full window stops the run.
    CHECK(shown(rill::from(items({1, 2, -1, 3})) | rill::error_budget({.max_rate = 0, .window = 2})) == "1 2 !E1 !error_budget");
}

TEST_CASE("both limits together: whichever is reached first stops the run") {
    CHECK(shown(rill::from(items({-1, 1, -1, 2, -1})) | rill::error_budget({.max_errors = 2, .max_rate = 0.9, .window = 3})) ==
          "!E1 1 !E1 !error_budget");
    CHECK(shown(rill::from(items({-1, -1, -1, 1})) | rill::error_budget({.max_errors = 5, .max_rate = 0.5, .window = 2})) ==
          "!E1 !E1 !error_budget");
}

TEST_CASE("error_budget releases upstream as soon as the budget is spent, before the summary is pulled") {
    auto log = new_log();
    auto pulls = counter();
    const auto s = resource_over(log, "r", count_pulls(rill::from(items({1, -1, 2, -2, 3})), pulls)) |
                   rill::error_budget({.max_errors = 1});
    auto c = s.open();
    CHECK(**c.next() == 1);
    CHECK_FALSE(c.next()->has_value());
    CHECK(events_of(log) == "open r | close r stopped_early");
    CHECK(*pulls == 2);
    auto summary = c.next();
    REQUIRE(summary);
    CHECK(summary->error().code == "error_budget");
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
    CHECK(*pulls == 2);

    auto log2 = new_log();
    CHECK(show_via(via::drain, resource_over(log2, "r", rill::from(items({1, -1, 2}))) | rill::error_budget({.max_errors = 1})) ==
          "1 !E1 !error_budget");
    CHECK(events_of(log2) == "open r | close r stopped_early");
}

TEST_CASE("a run stopped by the consumer gives no summary") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        const auto s = resource_over(log, "r", rill::from(items({1, -1, 2, -2, 3}))) | rill::error_budget({.max_errors = 2}) |
                       rill::take(2);
        CHECK(show_via(how, s) == "1 !E1");
        CHECK(events_of(log) == "open r | close r stopped_early");
        // Stopped right at the Err that spends the budget: the summary is not delivered either.
        CHECK(show_via(how, rill::from(items({1, -1, 2, -2, 3})) | rill::error_budget({.max_errors = 2}) | rill::take(4)) ==
              "1 !E1 2 !E2");
    }
}

TEST_CASE("an exception from upstream propagates through error_budget and releases upstream") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto calls = counter();
        const auto s = resource_over(log, "r", rill::iota(0, 5) | rill::map(counted([](int x) { return x; }, calls, 3))) |
                       rill::error_budget({.max_errors = 1});
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(events_of(log) == "open r | close r failed");
    }
}

TEST_CASE("each run of an error_budget stream has a budget of its own") {
    const auto s = rill::from(items({-1, 1, -1, 2})) | rill::error_budget({.max_errors = 2});
    CHECK(shown(s) == "!E1 1 !E1 !error_budget");
    CHECK(rill::collect(s) == rill::collect(s));
}

TEST_CASE("building an error_budget pipeline pulls nothing; both call forms give the same items") {
    auto pulls = counter();
    const auto s = count_pulls(rill::from(items({-1, -2, 3})), pulls) | rill::error_budget({.max_errors = 1});
    CHECK(*pulls == 0);
    CHECK(show_via(via::next, s) == "!E1 !error_budget");
    CHECK(*pulls == 1);
    const auto src = rill::from(items({1, -1, -2, 3}));
    CHECK(rill::collect(rill::error_budget(src, {.max_errors = 2})) == rill::collect(src | rill::error_budget({.max_errors = 2})));
    CHECK(shown(rill::error_budget(src, {.max_errors = 2})) == "1 !E1 !E2 !error_budget");
}

TEST_CASE("error_budget rejects limits out of range when it is built, in both forms") {
    CHECK_THROWS_WITH_AS(rill::error_budget({.max_errors = 0}), "rill::error_budget: max_errors must be at least 1",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::error_budget(rill::of(1), {.max_rate = 1.5, .window = 3}),
                         "rill::error_budget: max_rate must be in [0, 1]", std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::error_budget({.max_rate = -0.1, .window = 3}), "rill::error_budget: max_rate must be in [0, 1]",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(rill::error_budget({.max_rate = 0.5}), "rill::error_budget: a max_rate needs a window (a number of items)",
                         std::invalid_argument);
}
