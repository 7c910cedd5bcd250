// Tests of include/rill/concurrent/merge.hpp
#include <rill/concurrent/merge.hpp>

#include <rill/concurrent/channel.hpp>
#include <rill/sink/collect.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>

#include "concurrency/support.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <latch>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace rill_conc;
using namespace rill_test;

namespace {
/// Items of a run split by "side" (value / 1000), each side's values in arrival order.
template <class S>
std::map<int, std::vector<int>> by_side(S&& s, std::vector<std::string>* errs = nullptr) {
    std::map<int, std::vector<int>> out;
    for (auto& r : rill::collect(std::forward<S>(s))) {
        if (r) out[*r / 1000].push_back(*r);
        else if (errs) errs->push_back(r.error().code);
    }
    return out;
}
} // namespace

std::vector<int> range(int a, int b) {
    std::vector<int> v;
    for (int i = a; i < b; ++i) v.push_back(i);
    return v;
}

TEST_CASE("merge gives every item of every side once, each side in its own order") {
    auto sides = by_side(rill::merge(rill::iota(0, 500), rill::iota(1000, 1300), rill::iota(2000, 2001)));
    CHECK(sides[0] == range(0, 500));
    CHECK(sides[1] == range(1000, 1300));
    CHECK(sides[2] == range(2000, 2001));
    CHECK(sides.size() == 3);
}

TEST_CASE("merge passes Err items of any side as items, and both call forms agree") {
    std::vector<std::string> errs;
    auto sides = by_side(rill::from(items({-1, 1, -2})) | rill::merge_with(rill::from(items({1000, -3}))), &errs);
    std::sort(errs.begin(), errs.end());
    CHECK(errs == std::vector<std::string>{"E1", "E2", "E3"});
    CHECK(sides[0] == std::vector<int>{1});
    CHECK(sides[1] == std::vector<int>{1000});
    CHECK(show(rill::merge(rill::of(7))) == "7");
    CHECK(show(rill::merge(rill::from(items({})), rill::from(items({})))) == "");
}

TEST_CASE("merge where one side never ends still finishes under take(1)") {
    auto forever = rill::iota(0); // never ends
    auto one = rill::of(1000);
    for (int i = 0; i < 50; ++i) {
        auto v = rill::collect(rill::merge(forever, one) | rill::take(1));
        REQUIRE(v.size() == 1);
    }
    // The never-ending side is stopped and released whichever item is taken.
    auto stats = std::make_shared<source_stats>();
    for (int i = 0; i < 50; ++i) CHECK(rill::collect(rill::merge(counted_source(stats, -1), one) | rill::take(1)).size() == 1);
    CHECK(stats->opened == 50);
    CHECK(stats->closed == 50);
}

TEST_CASE("merge releases each side's resources when that side ends, not when the run ends") {
    auto log = new_log();
    std::latch released(1);
    auto release = [log, &released](logging_handle& h, rill::exit_case how) {
        release_logged(log)(h, how);
        released.count_down();
    };
    auto short_side = rill::using_resource(acquire_logged(log, "short"), release, [](logging_handle&) { return rill::iota(0, 2); });
    rill::channel<int> ch(4);
    auto c = rill::merge(short_side, ch.stream()).open();
    std::vector<int> got;
    got.push_back(c.next()->value());
    got.push_back(c.next()->value());
    CHECK(got == std::vector<int>{0, 1});
    // The channel side is still open (the run goes on): the short side's
    // resource is released all the same (this wait would hang otherwise).
    released.wait();
    CHECK(events_of(log) == "open short | close short completed");
    ch.send(5);
    CHECK(c.next()->value() == 5);
    ch.close();
    CHECK_FALSE(c.next().has_value());
}

TEST_CASE("merge stopped early stops and releases every side") {
    auto s1 = std::make_shared<source_stats>();
    auto s2 = std::make_shared<source_stats>();
    CHECK(rill::collect(rill::merge(counted_source(s1, -1), counted_source(s2, -1)) | rill::take(5)).size() == 5);
    CHECK(s1->closed == 1);
    CHECK(s2->closed == 1);
}

TEST_CASE("an exception from one side reaches the consumer after every side is stopped") {
    auto s1 = std::make_shared<source_stats>();
    auto s2 = std::make_shared<source_stats>();
    auto s = rill::merge(counted_source(s1, -1), counted_source(s2, 100, -1, 3));
    CHECK_THROWS_WITH(rill::collect(s), "upstream boom");
    CHECK(s1->closed == 1);
    CHECK(s2->closed == 1);
}

TEST_CASE("merge is replayable over replayable sides, one-shot over a channel") {
    auto s = rill::merge(rill::iota(0, 3), rill::iota(1000, 1002));
    static_assert(rill::replayable_stream<decltype(s)>);
    CHECK(by_side(s) == by_side(s));
    static_assert(!rill::replayable_stream<decltype(rill::merge(rill::iota(0, 3), rill::channel<int>(1).stream()))>);
}
