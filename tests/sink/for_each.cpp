// Tests of include/rill/sink/for_each.hpp: f on each Ok value; the errors, in
// order, are returned; an Err does not stop the run.
#include <rill/sink/for_each.hpp>

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
#include <stdexcept>
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

TEST_CASE("for_each calls f on each Ok value in order and returns the errors in order, in both call forms") {
    auto s = rill::from(rill_test::items({1, -2, 3, -4, 5}));
    std::vector<int> seen;
    auto errors = rill::for_each(s, [&seen](int x) { seen.push_back(x); });
    static_assert(std::is_same_v<decltype(errors), std::vector<rill::err_info>>);
    CHECK(seen == std::vector<int>{1, 3, 5});
    CHECK(errors == std::vector<rill::err_info>{{"E2", "error 2"}, {"E4", "error 4"}});

    std::vector<int> seen2;
    auto errors2 = s | rill::for_each([&seen2](int x) { seen2.push_back(x); });
    CHECK(seen2 == std::vector<int>{1, 3, 5});
    CHECK(errors2 == errors);
}

TEST_CASE("for_each does not stop at an Err, wherever it is") {
    auto run = [](std::initializer_list<int> vs, std::vector<int>& seen) {
        return rill::for_each(rill::from(rill_test::items(vs)), [&seen](int x) { seen.push_back(x); });
    };
    std::vector<int> a, b, c, d;
    CHECK(codes(run({-1, 2, 3}, a)) == "E1");
    CHECK(a == std::vector<int>{2, 3});
    CHECK(codes(run({1, -2, 3}, b)) == "E2");
    CHECK(b == std::vector<int>{1, 3});
    CHECK(codes(run({1, 2, -3}, c)) == "E3");
    CHECK(c == std::vector<int>{1, 2});
    CHECK(codes(run({-4, -5}, d)) == "E4 E5");
    CHECK(d.empty());
}

TEST_CASE("for_each returns no errors and calls nothing on an empty stream") {
    auto calls = std::make_shared<int>(0);
    auto errors = rill::for_each(rill::empty<int>(), rill_test::counted([](int) {}, calls));
    CHECK(errors.empty());
    CHECK(*calls == 0);
    CHECK((rill::of(1, 2) | rill::for_each([](int) {})).empty());
}

TEST_CASE("for_each pulls the whole run and keeps the provenance of the errors") {
    auto pulls = std::make_shared<int>(0);
    auto s = rill::iota(0, 5) | rill::try_map(rill_test::counted(
                                    [](int x) -> rill::result<int> {
                                        if (x == 1 || x == 3) return rill::err("ODD", std::to_string(x));
                                        return x;
                                    },
                                    pulls));
    int sum = 0;
    auto errors = rill::for_each(s, [&sum](int x) { sum += x; });
    CHECK(*pulls == 5);
    CHECK(sum == 0 + 2 + 4);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].message == "1");
    CHECK(errors[1].message == "3");
    REQUIRE(errors[1].trace.size() == 1);
    CHECK(errors[1].trace[0].op == "try_map");
    CHECK(errors[1].trace[0].index == 3);
}

TEST_CASE("for_each lets an exception thrown by f propagate, calls f no more, and the run releases its resource") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        auto calls = std::make_shared<int>(0);
        auto pulls = std::make_shared<int>(0);
        auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                      [pulls](rill_test::logging_handle&) {
                                          return rill::iota(0, 3) | rill::map(rill_test::counted(identity, pulls));
                                      });
        CHECK_THROWS_AS((void)rill::for_each(s, rill_test::counted([](int) {}, calls, throw_at)), rill_test::boom);
        CHECK(*calls == throw_at);
        CHECK(*pulls == throw_at);
        CHECK(trail(*log) == "open a, close a failed");
    }
}

TEST_CASE("for_each runs to the end, so an upstream resource is released as completed") {
    auto log = std::make_shared<rill_test::event_log>();
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [](rill_test::logging_handle&) { return rill::from(rill_test::items({-1, 2})); });
    int seen = 0;
    CHECK(codes(s | rill::for_each([&seen](int x) { seen += x; })) == "E1");
    CHECK(seen == 2);
    CHECK(trail(*log) == "open a, close a completed");
}

TEST_CASE("for_each hands move-only values to f as rvalues") {
    std::vector<rill_test::move_only> kept;
    auto errors = rill::for_each(rill::iota(0, 3) | rill::map([](int x) { return rill_test::move_only(x * 3); }),
                                 [&kept](rill_test::move_only&& m) { kept.push_back(std::move(m)); });
    CHECK(errors.empty());
    REQUIRE(kept.size() == 3);
    CHECK(kept[0].get() == 0);
    CHECK(kept[1].get() == 3);
    CHECK(kept[2].get() == 6);
    int total = 0;
    (void)(rill::of(rill_test::no_default(4)) | rill::for_each([&total](rill_test::no_default n) { total += n.value; }));
    CHECK(total == 4);
}

TEST_CASE("for_each starts a fresh run each time and works on erased streams") {
    auto calls = std::make_shared<int>(0);
    rill::stream<int> s = rill::iota(0, 3) | rill::map(rill_test::counted(identity, calls));
    CHECK(*calls == 0);
    int sum = 0;
    (void)rill::for_each(s, [&sum](int x) { sum += x; });
    (void)(s | rill::for_each([&sum](int x) { sum += x; }));
    CHECK(sum == 6);
    CHECK(*calls == 6);
}

TEST_CASE("for_each(s, f, on_err) hands each Err to on_err, in order, and returns it; both forms") {
    std::vector<std::string> seen;
    auto note = [&seen](rill::err_info&& e) { seen.push_back(e.code); };
    int sum = 0;
    (void)rill::for_each(rill::from(rill_test::items({-1, 2, -3, 4})), [&sum](int x) { sum += x; }, note);
    CHECK(sum == 6);
    CHECK(seen == std::vector<std::string>{"E1", "E3"});
    auto summary = rill::from(rill_test::items({-1, 2, -3, 4, -5})) |
                   rill::for_each([&sum](int x) { sum += x; }, rill::error_summary(2));
    CHECK(sum == 12);
    CHECK(summary.count() == 3);
    CHECK(codes(summary.first()) == "E1 E3");
}

TEST_CASE("for_each with an error_summary keeps the first k errors however many there are") {
    auto many = rill::iota(0, 10000) | rill::try_map([](int x) -> rill::result<int> {
                    if (x % 3 == 0) return rill::err("BAD", "item " + std::to_string(x));
                    return x;
                });
    auto summary = rill::for_each(many, [](int) {}, rill::error_summary(3));
    CHECK(summary.count() == 3334);
    REQUIRE(summary.first().size() == 3);
    CHECK(summary.first()[2].message == "item 6");
    CHECK(summary.first()[2].trace.at(0).index == 6); // provenance kept
    CHECK(rill::for_each(many, [](int) {}, rill::error_summary(0)).first().empty()); // counts only
}

TEST_CASE("for_each with an error handler releases an upstream resource and lets exceptions through") {
    auto log = std::make_shared<rill_test::event_log>();
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [](rill_test::logging_handle&) { return rill::from(rill_test::items({-1, 2})); });
    CHECK(rill::for_each(s, [](int) {}, rill::error_summary()).count() == 1);
    CHECK(trail(*log) == "open a, close a completed");
    CHECK_THROWS_AS(rill::for_each(s, [](int) {}, [](rill::err_info&&) { throw std::runtime_error("handler"); }),
                    std::runtime_error);
    CHECK(trail(*log) == "open a, close a completed, open a, close a failed");
}
