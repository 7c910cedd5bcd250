// Tests of include/rill/stage/stop_on.hpp: a run stopped through its token
// ends with one Err "stopped" after the item in hand, releases upstream, and
// is otherwise transparent. (The blocking waits it wakes are tested in
// tests/concurrency/stop.cpp.)
#include <rill/stage/stop_on.hpp>

#include <rill/run_stop.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/fold.hpp>
#include <rill/sink/try_collect.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/tap.hpp>
#include <rill/stage/using_resource.hpp>

#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <stop_token>
#include <string>
#include <vector>

using namespace rill_test;

TEST_CASE("stop_on with a token never requested changes nothing, both forms, every way") {
    std::stop_source never;
    for (via how : every_way) {
        CAPTURE(how);
        CHECK(show_via(how, rill::from(items({1, -2, 3})) | rill::stop_on(never.get_token())) == "1 !E2 3");
        CHECK(show_via(how, rill::stop_on(rill::from(items({})), never.get_token())) == "");
        CHECK(show_via(how, rill::of(4, 5) | rill::stop_on(std::stop_token{})) == "4 5"); // a token with no source
    }
    auto s = rill::iota(0, 3) | rill::stop_on(never.get_token());
    CHECK(show(s) == show(s)); // replayable
}

TEST_CASE("a token requested before the run starts: the run's only item is Err stopped, nothing is pulled") {
    std::stop_source stop;
    stop.request_stop();
    for (via how : every_way) {
        CAPTURE(how);
        int pulled = 0;
        auto v = collect_via(how, rill::iota(0, 5) | rill::tap([&](int) { ++pulled; }) | rill::stop_on(stop.get_token()));
        REQUIRE(v.size() == 1);
        CHECK(v[0].error().code == "stopped");
        CHECK(pulled == 0);
    }
}

TEST_CASE("a stop requested mid-run: the item in hand is delivered, then Err stopped, with its position") {
    for (via how : every_way) {
        CAPTURE(how);
        std::stop_source stop;
        int pulled = 0;
        auto s = rill::iota(0) | rill::tap([&](int x) {
                     ++pulled;
                     if (x == 2) stop.request_stop();
                 }) |
                 rill::stop_on(stop.get_token());
        auto v = collect_via(how, s);
        REQUIRE(v.size() == 4);
        CHECK(v[2].value() == 2);
        CHECK(v[3].error().code == "stopped");
        std::ostringstream os;
        os << v[3].error();
        CHECK(os.str() == "stopped: the run was stopped through its stop token before its end [at stop_on #3]");
        CHECK(pulled == 3); // nothing pulled after the stop
    }
}

TEST_CASE("sinks cannot mistake a stopped run for a complete one") {
    std::stop_source stop;
    auto s = rill::iota(0, 10) | rill::tap([&](int x) {
                 if (x == 4) stop.request_stop();
             }) |
             rill::stop_on(stop.get_token());
    auto all = rill::try_collect(s);
    REQUIRE_FALSE(all.has_value());
    CHECK(all.error().code == "stopped");
    auto sum = rill::fold(s, 0, [](int a, int x) { return a + x; });
    CHECK_FALSE(sum.has_value());
}

TEST_CASE("a resource upstream is released once, stopped_early, when the run is stopped") {
    for (via how : every_way) {
        CAPTURE(how);
        std::stop_source stop;
        std::vector<std::string> log;
        auto s = rill::using_resource([&] { log.push_back("acquire"); return 1; },
                                      [&](int&, rill::exit_case c) {
                                          std::ostringstream os;
                                          os << "release " << c;
                                          log.push_back(os.str());
                                      },
                                      [&](int&) { return rill::iota(0); }) |
                 rill::tap([&](int x) {
                     if (x == 1) stop.request_stop();
                 }) |
                 rill::stop_on(stop.get_token());
        auto v = collect_via(how, s);
        CHECK(v.size() == 3);
        CHECK(log == std::vector<std::string>{"acquire", "release stopped_early"});
    }
}

TEST_CASE("nested stop_on: either token stops the run; the run's token is visible to upstream code") {
    std::stop_source outer, inner;
    bool saw_outer_stop = false;
    auto s = rill::iota(0) | rill::tap([&](int x) {
                 if (x == 1) outer.request_stop();
                 if (x == 2) saw_outer_stop = rill::stop_requested();
             }) |
             rill::stop_on(inner.get_token());
    auto v = rill::collect(rill::map(s, [](int x) { return x; }) | rill::stop_on(outer.get_token()));
    // The inner run sees the outer stop at once: item 1 is the last one it gives,
    // and one Err says the run stopped.
    REQUIRE(v.size() == 3);
    CHECK(v[1].value() == 1);
    CHECK(v[2].error().code == "stopped");
    CHECK_FALSE(saw_outer_stop); // item 2 was never pulled
    CHECK_FALSE(rill::stop_requested()); // outside any run
    CHECK_FALSE(rill::run_stop_token().stop_possible());
}
