// Tests of include/rill/sink/fold.hpp: result<Acc>, the accumulator over the Ok
// values, or the first Err (where the run stops).
#include <rill/sink/fold.hpp>

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

int identity(int x) { return x; }

auto plus = [](int acc, int x) { return acc + x; };

/// Appends the value to the accumulator: shows the order of the calls.
auto append = [](std::string acc, int x) { return std::move(acc) + std::to_string(x); };

} // namespace

TEST_CASE("fold folds the Ok values in order, in both call forms") {
    auto s = rill::iota(1, 5);
    auto a = rill::fold(s, 0, plus);
    auto b = s | rill::fold(0, plus);
    static_assert(std::is_same_v<decltype(a), rill::result<int>>);
    static_assert(std::is_same_v<decltype(b), rill::result<int>>);
    REQUIRE(a.has_value());
    CHECK(*a == 10);
    REQUIRE(b.has_value());
    CHECK(*b == 10);
    CHECK(*rill::fold(rill::of(3, 1, 2), std::string(">"), append) == ">312");
    CHECK(*(rill::of(3, 1, 2) | rill::fold(std::string(">"), append)) == ">312");
}

TEST_CASE("fold of an empty stream returns init") {
    CHECK(*rill::fold(rill::empty<int>(), 17, plus) == 17);
    CHECK(*(rill::iota(0, 0) | rill::fold(std::string("init"), append)) == "init");
}

TEST_CASE("fold's accumulator may have another type than the items") {
    auto r = rill::fold(rill::of(1, 2, 3), std::vector<int>{}, [](std::vector<int> acc, int x) {
        acc.push_back(x * x);
        return acc;
    });
    REQUIRE(r.has_value());
    CHECK(*r == std::vector<int>{1, 4, 9});
    CHECK(*rill::fold(rill::of(1, 2, 3), 0.5, [](double acc, int x) { return acc * x; }) == doctest::Approx(3.0));
}

TEST_CASE("fold returns the first Err wherever it is") {
    auto first = rill::fold(rill::from(rill_test::items({-1, 2, -3})), 0, plus);
    REQUIRE_FALSE(first.has_value());
    CHECK(first.error() == rill::err_info{"E1", "error 1"});
    auto middle = rill::from(rill_test::items({1, -2, 3, -4})) | rill::fold(0, plus);
    REQUIRE_FALSE(middle.has_value());
    CHECK(middle.error() == rill::err_info{"E2", "error 2"});
    auto last = rill::fold(rill::from(rill_test::items({1, 2, -3})), 0, plus);
    REQUIRE_FALSE(last.has_value());
    CHECK(last.error() == rill::err_info{"E3", "error 3"});
    auto only = rill::from(rill_test::items({-9})) | rill::fold(0, plus);
    REQUIRE_FALSE(only.has_value());
    CHECK(only.error() == rill::err_info{"E9", "error 9"});
}

TEST_CASE("fold stops the run at the first Err: nothing after it is pulled or folded") {
    for (int bad : {0, 2, 5}) {
        CAPTURE(bad);
        auto pulls = std::make_shared<int>(0);
        auto folds = std::make_shared<int>(0);
        auto s = rill::iota(0, 6) | rill::try_map(rill_test::counted(
                                        [bad](int x) -> rill::result<int> {
                                            if (x == bad) return rill::err("BAD", std::to_string(x));
                                            return x;
                                        },
                                        pulls));
        auto r = s | rill::fold(0, rill_test::counted(plus, folds));
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == "BAD");
        CHECK(r.error().message == std::to_string(bad));
        REQUIRE(r.error().trace.size() == 1);
        CHECK(r.error().trace[0].op == "try_map");
        CHECK(r.error().trace[0].index == std::size_t(bad));
        CHECK(*pulls == bad + 1);
        CHECK(*folds == bad);

        *pulls = 0;
        *folds = 0;
        rill::stream<int> erased = s; // pulled through next(), not the push protocol
        auto e = rill::fold(erased, 0, rill_test::counted(plus, folds));
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error().message == std::to_string(bad));
        CHECK(*pulls == bad + 1);
        CHECK(*folds == bad);
    }
}

TEST_CASE("fold releases an upstream resource: completed at the end, stopped_early at an Err") {
    auto log = std::make_shared<rill_test::event_log>();
    auto over = [log](std::initializer_list<int> vs) {
        auto v = rill_test::items(vs);
        return rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                    [v](rill_test::logging_handle&) { return rill::from(std::vector<rill::result<int>>(v)); });
    };
    CHECK(*rill::fold(over({1, 2}), 0, plus) == 3);
    CHECK(trail(*log) == "open a, close a completed");
    log->events.clear();
    CHECK_FALSE(rill::fold(over({1, -2, 3}), 0, plus).has_value());
    CHECK(trail(*log) == "open a, close a stopped_early");
}

TEST_CASE("fold lets an exception thrown by f propagate and the run releases its resource") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        auto calls = std::make_shared<int>(0);
        auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                      [](rill_test::logging_handle&) { return rill::iota(0, 3); });
        CHECK_THROWS_AS((void)rill::fold(s, 0, rill_test::counted(plus, calls, throw_at)), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(trail(*log) == "open a, close a failed");
    }
}

TEST_CASE("fold lets an exception thrown upstream propagate") {
    auto calls = std::make_shared<int>(0);
    auto s = rill::iota(0, 3) | rill::map(rill_test::counted(identity, calls, 2));
    CHECK_THROWS_AS((void)(s | rill::fold(0, plus)), rill_test::boom);
    CHECK(*calls == 2);
}

TEST_CASE("fold takes move-only values and a move-only accumulator") {
    auto m = rill::iota(1, 4) | rill::map([](int x) { return rill_test::move_only(x); });
    CHECK(*rill::fold(m, 0, [](int acc, rill_test::move_only v) { return acc + v.get(); }) == 6);
    auto acc = m | rill::fold(std::make_unique<int>(100), [](std::unique_ptr<int> a, rill_test::move_only v) {
                   *a += v.get();
                   return a;
               });
    REQUIRE(acc.has_value());
    CHECK(**acc == 106);
    auto nd = rill::fold(rill::of(2, 3), rill_test::no_default(1),
                         [](rill_test::no_default a, int x) { return rill_test::no_default(a.value * x); });
    CHECK(nd->value == 6);
}

TEST_CASE("fold starts a fresh run each time and works on erased streams") {
    auto calls = std::make_shared<int>(0);
    rill::stream<int> s = rill::iota(0, 4) | rill::map(rill_test::counted(identity, calls));
    CHECK(*calls == 0);
    CHECK(*rill::fold(s, 0, plus) == 6);
    CHECK(*(s | rill::fold(0, plus)) == 6);
    CHECK(*calls == 8);
}
