// Tests of include/rill/sink/partition.hpp: {Ok values, errors} of a whole run, each in order.
#include <rill/sink/partition.hpp>

#include <rill/sink/error_summary.hpp>

#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

std::string trail(const rill_test::event_log& log) {
    std::string out;
    for (const auto& e : log.events) out += (out.empty() ? "" : ", ") + e;
    return out;
}

std::string codes(const std::vector<rill::err_info>& es) {
    std::string out;
    for (const auto& e : es) out += (out.empty() ? "" : " ") + e.code;
    return out;
}

int identity(int x) { return x; }

} // namespace

TEST_CASE("partition splits a run into its Ok values and its errors, each in order, in both call forms") {
    auto s = rill::from(rill_test::items({1, -2, 3, -4, 5}));
    auto a = rill::partition(s);
    auto b = s | rill::partition();
    static_assert(std::is_same_v<decltype(a), std::pair<std::vector<int>, std::vector<rill::err_info>>>);
    static_assert(std::is_same_v<decltype(b), decltype(a)>);
    CHECK(a.first == std::vector<int>{1, 3, 5});
    CHECK(a.second == std::vector<rill::err_info>{{"E2", "error 2"}, {"E4", "error 4"}});
    CHECK(b.first == a.first);
    CHECK(b.second == a.second);
}

TEST_CASE("partition keeps Err items in every position") {
    auto first = rill::partition(rill::from(rill_test::items({-1, 2, 3})));
    CHECK(first.first == std::vector<int>{2, 3});
    CHECK(codes(first.second) == "E1");
    auto last = rill::partition(rill::from(rill_test::items({1, 2, -3})));
    CHECK(last.first == std::vector<int>{1, 2});
    CHECK(codes(last.second) == "E3");
    auto only = rill::from(rill_test::items({-6})) | rill::partition();
    CHECK(only.first.empty());
    CHECK(codes(only.second) == "E6");
    auto all_ok = rill::of(7, 8) | rill::partition();
    CHECK(all_ok.first == std::vector<int>{7, 8});
    CHECK(all_ok.second.empty());
}

TEST_CASE("partition of an empty stream is two empty vectors") {
    auto p = rill::partition(rill::empty<int>());
    CHECK(p.first.empty());
    CHECK(p.second.empty());
}

TEST_CASE("partition does not stop at an Err: it pulls the whole run") {
    auto calls = std::make_shared<int>(0);
    auto s = rill::iota(0, 6) | rill::try_map(rill_test::counted(
                                    [](int x) -> rill::result<int> {
                                        if (x % 2 == 0) return rill::err("EVEN", std::to_string(x));
                                        return x;
                                    },
                                    calls));
    auto p = rill::partition(s);
    CHECK(*calls == 6);
    CHECK(p.first == std::vector<int>{1, 3, 5});
    REQUIRE(p.second.size() == 3);
    CHECK(p.second[0].message == "0");
    CHECK(p.second[1].message == "2");
    CHECK(p.second[2].message == "4");
    REQUIRE(p.second[1].trace.size() == 1);
    CHECK(p.second[1].trace[0].op == "try_map");
    CHECK(p.second[1].trace[0].index == 2);
}

TEST_CASE("partition releases an upstream resource as completed") {
    auto log = std::make_shared<rill_test::event_log>();
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [](rill_test::logging_handle&) { return rill::from(rill_test::items({-1, 2})); });
    auto p = s | rill::partition();
    CHECK(p.first == std::vector<int>{2});
    CHECK(codes(p.second) == "E1");
    CHECK(trail(*log) == "open a, close a completed");
}

TEST_CASE("partition lets an exception propagate and the run releases its resource") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        auto calls = std::make_shared<int>(0);
        auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                      [](rill_test::logging_handle&) { return rill::iota(0, 3); }) |
                 rill::map(rill_test::counted(identity, calls, throw_at));
        CHECK_THROWS_AS((void)rill::partition(s), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(trail(*log) == "open a, close a failed");
    }
}

TEST_CASE("partition gathers move-only and non-default-constructible values") {
    auto m = rill::partition(rill::iota(0, 2) | rill::map([](int x) { return rill_test::move_only(x + 10); }));
    REQUIRE(m.first.size() == 2);
    CHECK(m.first[0].get() == 10);
    CHECK(m.first[1].get() == 11);
    auto n = rill::iota(0, 2) | rill::map([](int x) { return rill_test::no_default(x); }) | rill::partition();
    CHECK(n.first == std::vector<rill_test::no_default>{rill_test::no_default(0), rill_test::no_default(1)});
}

TEST_CASE("partition starts a fresh run each time and works on erased streams") {
    auto calls = std::make_shared<int>(0);
    rill::stream<int> s = rill::iota(0, 3) | rill::map(rill_test::counted(identity, calls));
    CHECK(*calls == 0);
    CHECK(rill::partition(s).first == std::vector<int>{0, 1, 2});
    CHECK((s | rill::partition()).first == std::vector<int>{0, 1, 2});
    CHECK(*calls == 6);
}

TEST_CASE("partition(s, on_err) gives the Ok values and the handler, which saw each Err in order; both forms") {
    auto [values, summary] = rill::partition(rill::from(rill_test::items({-1, 2, -3, 4})), rill::error_summary(1));
    CHECK(values == std::vector<int>{2, 4});
    CHECK(summary.count() == 2);
    CHECK(codes(summary.first()) == "E1");
    std::vector<std::string> seen;
    auto [vs, note] = rill::from(rill_test::items({5, -6})) |
                      rill::partition([&seen](rill::err_info&& e) { seen.push_back(e.code); });
    (void)note;
    CHECK(vs == std::vector<int>{5});
    CHECK(seen == std::vector<std::string>{"E6"});
}
