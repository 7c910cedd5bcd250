// Tests of include/rill/sink/to.hpp: a run into any container; result<C> holds the
// first Err; a container of result<T> keeps every item and is returned directly.
#include <rill/sink/to.hpp>

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

#include <list>
#include <map>
#include <memory>
#include <set>
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

int identity(int x) { return x; }

} // namespace

TEST_CASE("to<std::vector<int>> collects the values in order, in both call forms") {
    auto s = rill::of(3, 1, 2);
    auto a = rill::to<std::vector<int>>(s);
    auto b = s | rill::to<std::vector<int>>();
    static_assert(std::is_same_v<decltype(a), rill::result<std::vector<int>>>);
    static_assert(std::is_same_v<decltype(b), rill::result<std::vector<int>>>);
    REQUIRE(a.has_value());
    CHECK(*a == std::vector<int>{3, 1, 2});
    REQUIRE(b.has_value());
    CHECK(*b == std::vector<int>{3, 1, 2});
}

TEST_CASE("to<std::set<int>> inserts the values") {
    auto s = rill::of(3, 1, 2, 3, 1);
    auto a = rill::to<std::set<int>>(s);
    static_assert(std::is_same_v<decltype(a), rill::result<std::set<int>>>);
    REQUIRE(a.has_value());
    CHECK(*a == std::set<int>{1, 2, 3});
    CHECK(*(s | rill::to<std::set<int>>()) == std::set<int>{1, 2, 3});
}

TEST_CASE("to<std::map<int, std::string>> fills a map from a stream of pairs") {
    auto s = rill::iota(1, 4) | rill::map([](int x) { return std::pair<int, std::string>(x, std::string(std::size_t(x), 'x')); });
    auto a = rill::to<std::map<int, std::string>>(s);
    static_assert(std::is_same_v<decltype(a), rill::result<std::map<int, std::string>>>);
    REQUIRE(a.has_value());
    CHECK(*a == std::map<int, std::string>{{1, "x"}, {2, "xx"}, {3, "xxx"}});
    auto b = rill::of(std::pair<int, std::string>(2, "b"), std::pair<int, std::string>(1, "a")) |
             rill::to<std::map<int, std::string>>();
    REQUIRE(b.has_value());
    CHECK(*b == std::map<int, std::string>{{1, "a"}, {2, "b"}});
}

TEST_CASE("to<std::list<int>> appends the values in order") {
    auto a = rill::to<std::list<int>>(rill::iota(5, 8));
    static_assert(std::is_same_v<decltype(a), rill::result<std::list<int>>>);
    REQUIRE(a.has_value());
    CHECK(*a == std::list<int>{5, 6, 7});
    CHECK(*(rill::iota(5, 8) | rill::to<std::list<int>>()) == std::list<int>{5, 6, 7});
}

TEST_CASE("to of an empty stream is an empty container") {
    auto v = rill::to<std::vector<int>>(rill::empty<int>());
    REQUIRE(v.has_value());
    CHECK(v->empty());
    auto m = rill::empty<std::pair<int, std::string>>() | rill::to<std::map<int, std::string>>();
    REQUIRE(m.has_value());
    CHECK(m->empty());
    CHECK((rill::empty<int>() | rill::to<std::vector<rill::result<int>>>()).empty());
}

TEST_CASE("to returns the first Err wherever it is") {
    auto first = rill::to<std::vector<int>>(rill::from(rill_test::items({-1, 2, -3})));
    REQUIRE_FALSE(first.has_value());
    CHECK(first.error() == rill::err_info{"E1", "error 1"});
    auto middle = rill::from(rill_test::items({1, -2, 3, -4})) | rill::to<std::set<int>>();
    REQUIRE_FALSE(middle.has_value());
    CHECK(middle.error() == rill::err_info{"E2", "error 2"});
    auto last = rill::to<std::list<int>>(rill::from(rill_test::items({1, 2, -3})));
    REQUIRE_FALSE(last.has_value());
    CHECK(last.error() == rill::err_info{"E3", "error 3"});
    auto only = rill::from(rill_test::items({-8})) | rill::to<std::vector<int>>();
    REQUIRE_FALSE(only.has_value());
    CHECK(only.error() == rill::err_info{"E8", "error 8"});
}

TEST_CASE("to stops pulling at the first Err, keeps its provenance, and releases an upstream resource") {
    auto log = std::make_shared<rill_test::event_log>();
    auto pulls = std::make_shared<int>(0);
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [pulls](rill_test::logging_handle&) {
                                      return rill::iota(0, 10) | rill::try_map(rill_test::counted(
                                                                     [](int x) -> rill::result<int> {
                                                                         if (x == 2) return rill::err("BAD", "two");
                                                                         return x;
                                                                     },
                                                                     pulls));
                                  });
    auto r = s | rill::to<std::vector<int>>();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error() == rill::err_info{"BAD", "two"});
    REQUIRE(r.error().trace.size() == 1);
    CHECK(r.error().trace[0].op == "try_map");
    CHECK(r.error().trace[0].index == 2);
    CHECK(*pulls == 3);
    CHECK(trail(*log) == "open a, close a stopped_early");

    log->events.clear();
    *pulls = 0;
    rill::stream<int> erased = s; // pulled through next(), not the push protocol
    auto e = rill::to<std::list<int>>(erased);
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error() == rill::err_info{"BAD", "two"});
    CHECK(*pulls == 3);
    CHECK(trail(*log) == "open a, close a stopped_early");
}

TEST_CASE("to a container of rill::result<int> keeps every item and returns the container directly") {
    auto s = rill::from(rill_test::items({1, -2, 3, -4}));
    auto a = rill::to<std::vector<rill::result<int>>>(s);
    auto b = s | rill::to<std::list<rill::result<int>>>();
    static_assert(std::is_same_v<decltype(a), std::vector<rill::result<int>>>);
    static_assert(std::is_same_v<decltype(b), std::list<rill::result<int>>>);
    REQUIRE(a.size() == 4);
    CHECK(a[0] == rill::result<int>(1));
    CHECK(a[1].error() == rill::err_info{"E2", "error 2"});
    CHECK(a[2] == rill::result<int>(3));
    CHECK(a[3].error() == rill::err_info{"E4", "error 4"});
    CHECK(std::vector<rill::result<int>>(b.begin(), b.end()) == a);
}

TEST_CASE("to a container of results runs to the end and releases an upstream resource as completed") {
    auto log = std::make_shared<rill_test::event_log>();
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [](rill_test::logging_handle&) { return rill::from(rill_test::items({-1, 2})); });
    auto v = rill::to<std::vector<rill::result<int>>>(s);
    CHECK(v.size() == 2);
    CHECK(trail(*log) == "open a, close a completed");
}

TEST_CASE("to lets an exception propagate and the run releases its resource") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        auto calls = std::make_shared<int>(0);
        auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                      [](rill_test::logging_handle&) { return rill::iota(0, 3); }) |
                 rill::map(rill_test::counted(identity, calls, throw_at));
        CHECK_THROWS_AS((void)rill::to<std::set<int>>(s), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(trail(*log) == "open a, close a failed");
    }
}

TEST_CASE("to collects move-only and non-default-constructible values") {
    auto m = rill::iota(0, 3) | rill::map([](int x) { return rill_test::move_only(x + 1); }) |
             rill::to<std::vector<rill_test::move_only>>();
    REQUIRE(m.has_value());
    REQUIRE(m->size() == 3);
    CHECK((*m)[0].get() == 1);
    CHECK((*m)[2].get() == 3);
    auto n = rill::to<std::list<rill_test::no_default>>(rill::of(rill_test::no_default(4), rill_test::no_default(5)));
    REQUIRE(n.has_value());
    CHECK(*n == std::list<rill_test::no_default>{rill_test::no_default(4), rill_test::no_default(5)});
}

TEST_CASE("to starts a fresh run each time and works on erased streams") {
    auto calls = std::make_shared<int>(0);
    rill::stream<int> s = rill::iota(0, 3) | rill::map(rill_test::counted(identity, calls));
    CHECK(*calls == 0);
    CHECK(*rill::to<std::vector<int>>(s) == std::vector<int>{0, 1, 2});
    CHECK(*(s | rill::to<std::set<int>>()) == std::set<int>{0, 1, 2});
    CHECK(*calls == 6);
}
