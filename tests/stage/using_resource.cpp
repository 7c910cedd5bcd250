// Tests of include/rill/stage/using_resource.hpp: acquire at the first pull of
// each run, a stable home for the resource, and exactly one release on every
// way a run can end.
#include <rill/stage/using_resource.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/tap.hpp>
#include <rill/stream.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

using rill_test::boom;
using rill_test::event_log;
using rill_test::logging_handle;
using log_ptr = std::shared_ptr<event_log>;

log_ptr new_log() { return std::make_shared<event_log>(); }

/// The log as one line: "open a, close a completed".
std::string trail(const log_ptr& log) {
    std::string out;
    for (const auto& e : log->events) {
        if (!out.empty()) out += ", ";
        out += e;
    }
    return out;
}

/// A logged resource "a" (three-argument form, release sees the exit case)
/// whose inner stream is `iota(0, n)`.
auto logged_iota(log_ptr log, int n, std::string name = "a") {
    return rill::using_resource(rill_test::acquire_logged(log, name), rill_test::release_logged(log),
                                [n](logging_handle&) { return rill::iota(0, n); });
}

/// A resource whose moves and destruction overwrite the value: a pointer to a
/// moved-from or destroyed resource reads -1 or -2, not the value.
struct tracked {
    explicit tracked(int v) : value(v) {}
    tracked(tracked&& o) noexcept : value(o.value) { o.value = -1; }
    tracked& operator=(tracked&&) = delete;
    ~tracked() { value = -2; }
    int value;
};

int identity(int x) { return x; }

} // namespace

// --- laziness: acquire at the first pull -------------------------------------------

TEST_CASE("using_resource acquires nothing and calls no user function when the stream is built") {
    auto log = new_log();
    auto acquires = std::make_shared<int>(0);
    auto uses = std::make_shared<int>(0);
    auto s = rill::using_resource(rill_test::counted(rill_test::acquire_logged(log, "a"), acquires),
                                  rill_test::release_logged(log),
                                  rill_test::counted([](logging_handle&) { return rill::of(1, 2); }, uses));
    CHECK(*acquires == 0);
    CHECK(*uses == 0);
    CHECK(log->events.empty());
    auto copy = s;
    CHECK(*acquires == 0);
    CHECK(log->events.empty());
}

TEST_CASE("using_resource acquires at the first pull of a run, not at open()") {
    auto log = new_log();
    auto uses = std::make_shared<int>(0);
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  rill_test::counted([](logging_handle&) { return rill::of(1, 2); }, uses));
    {
        auto c = s.open();
        CHECK(log->events.empty());
        CHECK(*uses == 0);
        auto r = c.next();
        REQUIRE(r);
        REQUIRE(r->has_value());
        CHECK(**r == 1);
        CHECK(trail(log) == "open a");
        CHECK(*uses == 1);
    }
    CHECK(trail(log) == "open a, close a stopped_early");
}

TEST_CASE("using_resource opened and destroyed before any pull neither acquires nor releases") {
    auto log = new_log();
    auto s = logged_iota(log, 3);
    { auto c = s.open(); }
    CHECK(log->events.empty());
}

TEST_CASE("each run of using_resource acquires and releases its own resource") {
    auto log = new_log();
    auto s = logged_iota(log, 3);
    CHECK(rill_test::show(s) == "0 1 2");
    CHECK(trail(log) == "open a, close a completed");
    CHECK(rill_test::show(s) == "0 1 2");
    CHECK(trail(log) == "open a, close a completed, open a, close a completed");
}

TEST_CASE("two runs of using_resource open at the same time each hold their own resource") {
    auto log = new_log();
    auto counter = std::make_shared<int>(0);
    auto s = rill::using_resource(
        [log, counter] {
            ++*counter;
            log->add("open r" + std::to_string(*counter));
            return *counter;
        },
        [log](int& r) { log->add("close r" + std::to_string(r)); },
        [](int& r) { return rill::of(r * 10, r * 10 + 1); });
    auto c1 = s.open();
    auto c2 = s.open();
    CHECK(**c1.next() == 10);
    CHECK(**c2.next() == 20);
    CHECK(**c1.next() == 11);
    CHECK(**c2.next() == 21);
    CHECK_FALSE(c2.next());
    CHECK(trail(log) == "open r1, open r2, close r2");
    CHECK_FALSE(c1.next());
    CHECK(trail(log) == "open r1, open r2, close r2, close r1");
}

// --- completion ------------------------------------------------------------------

TEST_CASE("using_resource releases with completed as soon as the inner stream is exhausted, before next() returns the end") {
    auto log = new_log();
    auto s = logged_iota(log, 2);
    auto c = s.open();
    CHECK(**c.next() == 0);
    CHECK(**c.next() == 1);
    CHECK(trail(log) == "open a"); // the inner stream has not said it is done yet
    CHECK_FALSE(c.next());
    CHECK(trail(log) == "open a, close a completed"); // released while the cursor is still alive
    CHECK_FALSE(c.next());
    CHECK(trail(log) == "open a, close a completed");
}

TEST_CASE("using_resource over an empty inner stream acquires, yields nothing and releases with completed") {
    auto log = new_log();
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [](logging_handle&) { return rill::empty<int>(); });
    auto c = s.open();
    CHECK_FALSE(c.next());
    CHECK(trail(log) == "open a, close a completed");
}

TEST_CASE("using_resource passes Err items of the inner stream in position and still completes") {
    auto log = new_log();
    auto run = [&](std::initializer_list<int> vs) {
        log->events.clear();
        auto v = rill_test::items(vs);
        auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                      [v](logging_handle&) { return rill::from(std::vector<rill::result<int>>(v)); });
        return rill_test::show(s);
    };
    CHECK(run({-1, 2, 3}) == "!E1 2 3");
    CHECK(trail(log) == "open a, close a completed");
    CHECK(run({1, -2, 3}) == "1 !E2 3");
    CHECK(trail(log) == "open a, close a completed");
    CHECK(run({1, 2, -3}) == "1 2 !E3");
    CHECK(trail(log) == "open a, close a completed");
    CHECK(run({-4}) == "!E4");
    CHECK(trail(log) == "open a, close a completed");
}

TEST_CASE("using_resource gives the same items on every run") {
    auto s = rill::using_resource([] { return 3; }, [](int& n) { return rill::iota(0, n) | rill::map([](int x) { return x * x; }); });
    CHECK(rill_test::show(s) == "0 1 4");
    CHECK(rill_test::show(s) == "0 1 4");
    CHECK(rill_test::show(std::move(s)) == "0 1 4");
}

// --- early stop ------------------------------------------------------------------

TEST_CASE("using_resource releases once with stopped_early when a range-for breaks") {
    auto log = new_log();
    auto pulls = std::make_shared<int>(0);
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [pulls](logging_handle&) {
                                      return rill::iota(0, 10) | rill::map(rill_test::counted(identity, pulls));
                                  });
    std::vector<int> seen;
    for (auto&& r : s) {
        seen.push_back(*r);
        if (*r == 1) break;
    }
    CHECK(seen == std::vector<int>{0, 1});
    CHECK(*pulls == 2);
    CHECK(trail(log) == "open a, close a stopped_early");
}

TEST_CASE("using_resource under take(k) pulls k items and releases with stopped_early right after the k-th") {
    auto log = new_log();
    auto pulls = std::make_shared<int>(0);
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [pulls](logging_handle&) {
                                      return rill::iota(0, 10) | rill::map(rill_test::counted(identity, pulls));
                                  }) |
             rill::take(2);
    SUBCASE("collected") {
        CHECK(rill_test::show(s) == "0 1");
        CHECK(*pulls == 2);
        CHECK(trail(log) == "open a, close a stopped_early");
    }
    SUBCASE("pulled by hand") {
        auto c = s.open();
        CHECK(**c.next() == 0);
        CHECK(trail(log) == "open a");
        CHECK(**c.next() == 1);
        CHECK(trail(log) == "open a, close a stopped_early"); // take lets go of upstream after the k-th item
        CHECK_FALSE(c.next());
        CHECK(*pulls == 2);
    }
    CHECK(log->events.size() == 2);
}

TEST_CASE("using_resource releases once with stopped_early when a cursor is destroyed after one pull") {
    auto log = new_log();
    auto s = logged_iota(log, 5);
    {
        auto c = s.open();
        CHECK(**c.next() == 0);
        CHECK(trail(log) == "open a");
    }
    CHECK(trail(log) == "open a, close a stopped_early");
}

TEST_CASE("using_resource releases with stopped_early when the cursor is destroyed after the last item but before the end") {
    auto log = new_log();
    auto s = logged_iota(log, 2);
    {
        auto c = s.open();
        CHECK(**c.next() == 0);
        CHECK(**c.next() == 1);
    }
    CHECK(trail(log) == "open a, close a stopped_early");
}

// --- exceptions ------------------------------------------------------------------

TEST_CASE("an exception thrown by the inner stream reaches the consumer once and releases with failed") {
    for (int throw_at : {1, 3, 5}) {
        CAPTURE(throw_at);
        auto log = new_log();
        auto calls = std::make_shared<int>(0);
        auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                      [calls, throw_at](logging_handle&) {
                                          return rill::iota(0, 5) | rill::map(rill_test::counted(identity, calls, throw_at));
                                      });
        int caught = 0;
        std::vector<int> seen;
        try {
            for (auto&& r : s) seen.push_back(*r);
        } catch (const boom&) {
            ++caught;
        }
        CHECK(caught == 1);
        CHECK(seen.size() == std::size_t(throw_at - 1));
        CHECK(*calls == throw_at);
        CHECK(trail(log) == "open a, close a failed");
    }
}

TEST_CASE("an exception thrown by the inner stream releases before it leaves next()") {
    auto log = new_log();
    auto calls = std::make_shared<int>(0);
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  [calls](logging_handle&) {
                                      return rill::iota(0, 5) | rill::map(rill_test::counted(identity, calls, 2));
                                  });
    {
        auto c = s.open();
        CHECK(**c.next() == 0);
        CHECK_THROWS_AS(c.next(), boom);
        CHECK(trail(log) == "open a, close a failed");
    }
    CHECK(trail(log) == "open a, close a failed"); // not released again by the cursor's destructor
}

TEST_CASE("an exception thrown by use() reaches the consumer and releases with failed") {
    auto log = new_log();
    auto uses = std::make_shared<int>(0);
    auto s = rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                  rill_test::counted([](logging_handle&) { return rill::of(1, 2); }, uses, 1));
    int caught = 0;
    try {
        (void)rill::collect(s);
    } catch (const boom&) {
        ++caught;
    }
    CHECK(caught == 1);
    CHECK(*uses == 1);
    CHECK(trail(log) == "open a, close a failed");
}

TEST_CASE("an exception thrown by a downstream map function reaches the consumer and releases with failed") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = new_log();
        auto calls = std::make_shared<int>(0);
        auto s = logged_iota(log, 3) | rill::map(rill_test::counted(identity, calls, throw_at));
        int caught = 0;
        try {
            (void)rill::collect(s);
        } catch (const boom&) {
            ++caught;
        }
        CHECK(caught == 1);
        CHECK(*calls == throw_at);
        CHECK(trail(log) == "open a, close a failed");
    }
}

TEST_CASE("an exception thrown by a downstream map function while pulling by hand releases with failed") {
    for (int throw_at : {1, 2, 3}) {
        CAPTURE(throw_at);
        auto log = new_log();
        auto calls = std::make_shared<int>(0);
        auto s = logged_iota(log, 3) | rill::map(rill_test::counted(identity, calls, throw_at));
        CHECK_THROWS_AS(
            [&] {
                auto c = s.open();
                while (c.next()) {
                }
            }(),
            boom);
        CHECK(*calls == throw_at);
        CHECK(trail(log) == "open a, close a failed");
    }
}

TEST_CASE("an exception thrown by the body of a range-for over using_resource releases with failed") {
    auto log = new_log();
    auto s = logged_iota(log, 5);
    CHECK_THROWS_AS(
        [&] {
            for (auto&& r : s)
                if (*r == 2) throw boom{};
        }(),
        boom);
    CHECK(trail(log) == "open a, close a failed");
}

TEST_CASE("an exception thrown by acquire propagates, and nothing is used or released") {
    auto released = std::make_shared<int>(0);
    auto uses = std::make_shared<int>(0);
    auto s = rill::using_resource([]() -> int { throw boom{}; }, [released](int&) { ++*released; },
                                  rill_test::counted([](int&) { return rill::of(1); }, uses));
    CHECK_THROWS_AS((void)rill::collect(s), boom);
    CHECK(*released == 0);
    CHECK(*uses == 0);
}

// --- failed acquire --------------------------------------------------------------

TEST_CASE("a failed acquire yields exactly one Err item, stamped using_resource, and no release") {
    auto released = std::make_shared<int>(0);
    auto uses = std::make_shared<int>(0);
    auto s = rill::using_resource([]() -> rill::result<int> { return rill::err("NOFILE", "cannot open"); },
                                  [released](int&, rill::exit_case) { ++*released; },
                                  rill_test::counted([](int&) { return rill::of(1, 2); }, uses));
    auto items = rill::collect(s);
    REQUIRE(items.size() == 1);
    REQUIRE_FALSE(items[0].has_value());
    const rill::err_info& e = items[0].error();
    CHECK(e == rill::err_info{"NOFILE", "cannot open"});
    REQUIRE(e.trace.size() == 1);
    CHECK(e.trace[0].op == "using_resource");
    CHECK(e.trace[0].stage == "");
    CHECK(e.trace[0].index == 0);
    CHECK(*released == 0);
    CHECK(*uses == 0);

    // pulled by hand: the Err, then the end
    auto c = s.open();
    auto first = c.next();
    REQUIRE(first);
    CHECK_FALSE(first->has_value());
    CHECK_FALSE(c.next());
    CHECK(*released == 0);
    CHECK(*uses == 0);
}

TEST_CASE("a failed acquire of the two-argument form yields its Err and destroys nothing") {
    auto log = new_log();
    auto fail = std::make_shared<bool>(true);
    auto s = rill::using_resource(
        [log, fail]() -> rill::result<rill_test::logged_resource> {
            if (*fail) return rill::err("BUSY", "locked");
            return rill_test::logged_resource(log, "a");
        },
        [](rill_test::logged_resource&) { return rill::of(1); });
    CHECK(rill_test::show(s) == "!BUSY");
    CHECK(log->events.empty());
    *fail = false;
    CHECK(rill_test::show(s) == "1");
    CHECK(trail(log) == "open a, close a");
}

// --- the three ways to release ---------------------------------------------------

TEST_CASE("the two-argument using_resource releases through the resource's destructor, exactly once") {
    auto log = new_log();
    auto s = rill::using_resource([log] { return rill_test::logged_resource(log, "a"); },
                                  [](rill_test::logged_resource& r) {
                                      return rill::of(std::string("x"), std::string("y")) |
                                             rill::map([n = r.name()](std::string v) { return n + v; });
                                  });
    SUBCASE("completed") {
        auto c = s.open();
        CHECK(**c.next() == "ax");
        CHECK(**c.next() == "ay");
        CHECK(trail(log) == "open a");
        CHECK_FALSE(c.next());
        CHECK(trail(log) == "open a, close a");
    }
    SUBCASE("stopped early") {
        {
            auto c = s.open();
            CHECK(**c.next() == "ax");
        }
        CHECK(trail(log) == "open a, close a");
    }
    SUBCASE("an exception downstream") {
        auto t = s | rill::map([](std::string) -> std::string { throw boom{}; });
        CHECK_THROWS_AS((void)rill::collect(t), boom);
        CHECK(trail(log) == "open a, close a");
    }
    SUBCASE("acquire returning result<R>") {
        auto r = rill::using_resource(
            [log]() -> rill::result<rill_test::logged_resource> { return rill_test::logged_resource(log, "b"); },
            [](rill_test::logged_resource&) { return rill::of(1, 2); });
        CHECK(rill_test::show(r) == "1 2");
        CHECK(trail(log) == "open b, close b");
    }
}

TEST_CASE("a release taking only (R&) is called exactly once with the resource on every way a run ends") {
    auto released = std::make_shared<std::vector<int>>();
    auto make = [released](auto tail) {
        return rill::using_resource([] { return 42; }, [released](int& r) { released->push_back(r); },
                                    [tail](int& r) { return rill::iota(0, 3) | rill::map([&r](int x) { return x + r; }) | tail; });
    };
    auto plain = rill::map([](int x) { return x; });
    SUBCASE("completed") {
        CHECK(rill_test::show(make(plain)) == "42 43 44");
    }
    SUBCASE("stopped early") {
        CHECK(rill_test::show(make(plain) | rill::take(1)) == "42");
    }
    SUBCASE("exception in the inner stream") {
        auto s = make(rill::map([](int x) -> int {
            if (x == 43) throw boom{};
            return x;
        }));
        CHECK_THROWS_AS((void)rill::collect(s), boom);
    }
    CHECK(*released == std::vector<int>{42});
}

TEST_CASE("a release taking (R&, exit_case) is told how the run ended") {
    auto log = new_log();
    auto s = logged_iota(log, 3);
    CHECK(rill_test::show(s) == "0 1 2");
    CHECK(rill_test::show(s | rill::take(1)) == "0");
    CHECK_THROWS_AS((void)rill::collect(s | rill::map([](int) -> int { throw boom{}; })), boom);
    CHECK(trail(log) ==
          "open a, close a completed, open a, close a stopped_early, open a, close a failed");
}

namespace {
/// Runs `run(s)` from a destructor, that is while the exception thrown past it propagates.
template <class S, class Run>
struct runs_while_unwinding {
    const S& s;
    Run run;
    ~runs_while_unwinding() { run(s); }
};
template <class S, class Run>
void throw_past(const S& s, Run run) {
    runs_while_unwinding<S, Run> r{s, run};
    throw boom{};
}
} // namespace

TEST_CASE("a run that begins while an exception propagates and stops early releases with stopped_early") {
    auto log = new_log();
    auto s = logged_iota(log, 3);
    CHECK_THROWS_AS(throw_past(s,
                               [](const auto& st) {
                                   auto c = st.open();
                                   (void)c.next();
                               }),
                    boom);
    CHECK(trail(log) == "open a, close a stopped_early");
}

TEST_CASE("a run that begins while an exception propagates and completes releases with completed") {
    auto log = new_log();
    auto s = logged_iota(log, 3);
    CHECK_THROWS_AS(throw_past(s, [](const auto& st) { (void)rill::collect(st); }), boom);
    CHECK(trail(log) == "open a, close a completed");
}

TEST_CASE("a run that begins while an exception propagates and then throws itself releases with failed") {
    auto log = new_log();
    auto s = logged_iota(log, 3);
    CHECK_THROWS_AS(throw_past(s,
                               [](const auto& st) {
                                   try {
                                       for (auto&& r : st) {
                                           (void)r;
                                           throw std::runtime_error("inner");
                                       }
                                   } catch (const std::runtime_error&) {
                                   }
                               }),
                    boom);
    CHECK(trail(log) == "open a, close a failed");
}

TEST_CASE("a release without exit_case and the destructor release are called once on every way a run ends, "
          "also while an exception propagates") {
    int destroyed = 0;
    int released = 0;
    struct res {
        int* destroyed;
        explicit res(int* d) : destroyed(d) {}
        res(res&& o) noexcept : destroyed(std::exchange(o.destroyed, nullptr)) {}
        ~res() {
            if (destroyed) ++*destroyed;
        }
    };
    const auto by_destructor = rill::using_resource([&destroyed] { return res(&destroyed); },
                                                    [](res&) { return rill::iota(0, 3); });
    const auto by_release = rill::using_resource([] { return 0; }, [&released](int&) { ++released; },
                                                 [](int&) { return rill::iota(0, 3); });
    auto stop_after_one = [](const auto& st) {
        auto c = st.open();
        (void)c.next();
    };
    stop_after_one(by_destructor);
    stop_after_one(by_release);
    CHECK_THROWS_AS(throw_past(by_destructor, stop_after_one), boom);
    CHECK_THROWS_AS(throw_past(by_release, stop_after_one), boom);
    CHECK_THROWS_AS((void)rill::collect(by_destructor | rill::map([](int) -> int { throw boom{}; })), boom);
    CHECK_THROWS_AS((void)rill::collect(by_release | rill::map([](int) -> int { throw boom{}; })), boom);
    CHECK(rill::collect(by_destructor).size() == 3);
    CHECK(rill::collect(by_release).size() == 3);
    CHECK(destroyed == 4);
    CHECK(released == 4);
}

TEST_CASE("exit_case prints its name") {
    auto str = [](rill::exit_case e) {
        std::ostringstream os;
        os << e;
        return os.str();
    };
    CHECK(str(rill::exit_case::completed) == "completed");
    CHECK(str(rill::exit_case::stopped_early) == "stopped_early");
    CHECK(str(rill::exit_case::failed) == "failed");
}

// --- nesting ---------------------------------------------------------------------

namespace {
/// Outer resource "a" whose inner stream holds resource "b" over `tail(iota(0, 3))`.
template <class Tail>
auto nested(log_ptr log, Tail tail) {
    return rill::using_resource(rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
                                [log, tail](logging_handle&) {
                                    return rill::using_resource(rill_test::acquire_logged(log, "b"),
                                                                rill_test::release_logged(log),
                                                                [tail](logging_handle&) { return rill::iota(0, 3) | tail; });
                                });
}
auto keep = rill::map([](int x) { return x; });
} // namespace

TEST_CASE("nested using_resource releases the inner resource then the outer one on completion") {
    auto log = new_log();
    auto s = nested(log, keep);
    auto c = s.open();
    CHECK(**c.next() == 0);
    CHECK(trail(log) == "open a, open b");
    CHECK(**c.next() == 1);
    CHECK(**c.next() == 2);
    CHECK_FALSE(c.next());
    CHECK(trail(log) == "open a, open b, close b completed, close a completed");
}

TEST_CASE("nested using_resource releases the inner resource then the outer one on early stop") {
    auto log = new_log();
    SUBCASE("take") {
        CHECK(rill_test::show(nested(log, keep) | rill::take(1)) == "0");
    }
    SUBCASE("break") {
        for (auto&& r : nested(log, keep))
            if (*r == 1) break;
    }
    SUBCASE("cursor destroyed") {
        auto s = nested(log, keep);
        auto c = s.open();
        CHECK(**c.next() == 0);
    }
    CHECK(trail(log) == "open a, open b, close b stopped_early, close a stopped_early");
}

TEST_CASE("nested using_resource releases the inner resource then the outer one on an exception") {
    auto log = new_log();
    auto thrower = rill::map([](int x) -> int {
        if (x == 1) throw boom{};
        return x;
    });
    SUBCASE("thrown inside") {
        CHECK_THROWS_AS((void)rill::collect(nested(log, thrower)), boom);
    }
    SUBCASE("thrown downstream") {
        CHECK_THROWS_AS((void)rill::collect(nested(log, keep) | thrower), boom);
    }
    CHECK(trail(log) == "open a, open b, close b failed, close a failed");
}

// --- per item inside and_then ----------------------------------------------------

namespace {
/// For each x of 1..3, a resource "rX" around the items x*10, x*10+1; every
/// item reaching the consumer logs "item V".
template <class Tail>
auto per_item(log_ptr log, Tail tail) {
    return rill::of(1, 2, 3) | rill::and_then([log, tail](int x) {
               return rill::using_resource(rill_test::acquire_logged(log, "r" + std::to_string(x)),
                                           rill_test::release_logged(log),
                                           [x, tail](logging_handle&) { return rill::of(x * 10, x * 10 + 1) | tail; });
           }) |
           rill::tap([log](int v) { log->add("item " + std::to_string(v)); });
}
} // namespace

TEST_CASE("using_resource inside and_then closes each item's resource before the next one opens") {
    auto log = new_log();
    CHECK(rill_test::show(per_item(log, keep)) == "10 11 20 21 30 31");
    CHECK(trail(log) == "open r1, item 10, item 11, close r1 completed, "
                        "open r2, item 20, item 21, close r2 completed, "
                        "open r3, item 30, item 31, close r3 completed");
}

TEST_CASE("using_resource inside and_then pulled one item at a time closes each item's resource before the next one opens") {
    auto log = new_log();
    std::vector<int> seen;
    for (auto&& r : per_item(log, keep)) seen.push_back(*r);
    CHECK(seen == std::vector<int>{10, 11, 20, 21, 30, 31});
    CHECK(trail(log) == "open r1, item 10, item 11, close r1 completed, "
                        "open r2, item 20, item 21, close r2 completed, "
                        "open r3, item 30, item 31, close r3 completed");
}

TEST_CASE("using_resource inside and_then stopped early releases the current resource and opens no other") {
    auto log = new_log();
    SUBCASE("take") {
        CHECK(rill_test::show(per_item(log, keep) | rill::take(3)) == "10 11 20");
    }
    SUBCASE("break") {
        for (auto&& r : per_item(log, keep))
            if (*r == 20) break;
    }
    CHECK(trail(log) == "open r1, item 10, item 11, close r1 completed, open r2, item 20, close r2 stopped_early");
}

TEST_CASE("using_resource inside and_then releases the current resource with failed on an exception") {
    auto log = new_log();
    auto thrower = rill::map([](int v) -> int {
        if (v == 21) throw boom{};
        return v;
    });
    SUBCASE("collected") {
        CHECK_THROWS_AS((void)rill::collect(per_item(log, thrower)), boom);
    }
    SUBCASE("pulled one item at a time") {
        CHECK_THROWS_AS(
            [&] {
                for (auto&& r : per_item(log, thrower)) (void)r;
            }(),
            boom);
    }
    CHECK(trail(log) == "open r1, item 10, item 11, close r1 completed, open r2, item 20, close r2 failed");
}

// --- a stable home ---------------------------------------------------------------

TEST_CASE("using_resource keeps the resource at one address for the whole run, even when the cursor moves") {
    auto seen = std::make_shared<std::vector<const tracked*>>();
    auto released = std::make_shared<std::vector<int>>();
    auto s = rill::using_resource([] { return tracked(7); },
                                  [released](tracked& r) { released->push_back(r.value); },
                                  [seen](tracked& r) {
                                      seen->push_back(&r);
                                      const tracked* p = &r;
                                      return rill::iota(0, 3) | rill::map([p, seen](int x) {
                                                 seen->push_back(p);
                                                 return x * 100 + p->value;
                                             });
                                  });
    using cursor = decltype(s.open());
    std::optional<cursor> moved;
    {
        auto c = s.open();
        auto first = c.next();
        REQUIRE(first);
        CHECK(**first == 7);
        auto c2 = std::move(c);
        auto second = c2.next();
        REQUIRE(second);
        CHECK(**second == 107);
        moved.emplace(std::move(c2));
    } // c and c2, both moved from, are gone
    CHECK(released->empty());
    auto third = moved->next();
    REQUIRE(third);
    CHECK(**third == 207);
    CHECK_FALSE(moved->next());
    CHECK(*released == std::vector<int>{7});
    REQUIRE(seen->size() == 4);
    for (const tracked* p : *seen) CHECK(p == seen->front());
    moved.reset();
    CHECK(*released == std::vector<int>{7});
}

TEST_CASE("using_resource's resource outlives the inner stream's references to it") {
    auto s = rill::using_resource([] { return std::vector<int>{4, 5, 6}; },
                                  [](std::vector<int>& v) { return rill::from(v); });
    CHECK(rill_test::show(s) == "4 5 6");
    CHECK(rill_test::show(s | rill::take(2)) == "4 5");
}

// --- awkward types ---------------------------------------------------------------

TEST_CASE("using_resource works with a move-only resource") {
    auto log = new_log();
    auto release = [log](rill_test::move_only& m, rill::exit_case how) {
        std::ostringstream os;
        os << "close " << m.get() << " " << how;
        log->add(os.str());
    };
    auto use = [](rill_test::move_only& m) {
        const rill_test::move_only* p = &m;
        return rill::iota(1, 4) | rill::map([p](int x) { return x * p->get(); });
    };
    SUBCASE("acquire returning R") {
        auto s = rill::using_resource([] { return rill_test::move_only(5); }, release, use);
        CHECK(rill_test::show(s) == "5 10 15");
        CHECK(rill_test::show(s | rill::take(1)) == "5");
        CHECK(trail(log) == "close 5 completed, close 5 stopped_early");
    }
    SUBCASE("acquire returning result<R>") {
        auto s = rill::using_resource([]() -> rill::result<rill_test::move_only> { return rill_test::move_only(2); },
                                      release, use);
        CHECK(rill_test::show(s) == "2 4 6");
        CHECK(trail(log) == "close 2 completed");
    }
    SUBCASE("two-argument form") {
        auto s = rill::using_resource([] { return rill_test::move_only(3); }, use);
        CHECK(rill_test::show(s) == "3 6 9");
    }
}

TEST_CASE("using_resource works with a resource without a default constructor and move-only items") {
    auto s = rill::using_resource([] { return rill_test::no_default(4); }, [](rill_test::no_default& n) {
        return rill::iota(0, 3) | rill::map([k = n.value](int x) { return rill_test::move_only(x + k); });
    });
    auto items = rill::collect(s);
    REQUIRE(items.size() == 3);
    CHECK(items[0]->get() == 4);
    CHECK(items[1]->get() == 5);
    CHECK(items[2]->get() == 6);
}

// --- erased ----------------------------------------------------------------------

TEST_CASE("using_resource converted to rill::stream<T> keeps its laziness and its releases") {
    auto log = new_log();
    auto uses = std::make_shared<int>(0);
    auto calls = std::make_shared<int>(0);
    rill::stream<int> s = rill::using_resource(
        rill_test::acquire_logged(log, "a"), rill_test::release_logged(log),
        rill_test::counted([calls](logging_handle&) { return rill::iota(0, 3) | rill::map(rill_test::counted(identity, calls)); },
                           uses));
    CHECK(*uses == 0);
    CHECK(log->events.empty());

    SUBCASE("acquire at the first pull, release before the end is returned") {
        auto c = s.open();
        CHECK(log->events.empty());
        CHECK(**c.next() == 0);
        CHECK(trail(log) == "open a");
        CHECK(**c.next() == 1);
        CHECK(**c.next() == 2);
        CHECK(trail(log) == "open a");
        CHECK_FALSE(c.next());
        CHECK(trail(log) == "open a, close a completed");
    }
    SUBCASE("two runs acquire twice") {
        CHECK(rill_test::show(s) == "0 1 2");
        CHECK(rill_test::show(s) == "0 1 2");
        CHECK(*uses == 2);
        CHECK(trail(log) == "open a, close a completed, open a, close a completed");
    }
    SUBCASE("early stop: break, take, destroyed cursor") {
        for (auto&& r : s)
            if (*r == 0) break;
        CHECK(rill_test::show(s | rill::take(2)) == "0 1");
        {
            auto c = s.open();
            (void)c.next();
        }
        CHECK(*calls == 4);
        CHECK(trail(log) == "open a, close a stopped_early, open a, close a stopped_early, open a, close a stopped_early");
    }
    SUBCASE("an exception downstream") {
        CHECK_THROWS_AS((void)rill::collect(s | rill::map([](int x) -> int {
                                                if (x == 1) throw boom{};
                                                return x;
                                            })),
                        boom);
        CHECK(trail(log) == "open a, close a failed");
    }
    SUBCASE("copies of the erased stream run independently") {
        rill::stream<int> copy = s;
        CHECK(rill_test::show(copy) == "0 1 2");
        CHECK(trail(log) == "open a, close a completed");
    }
}

TEST_CASE("using_resource converted to rill::stream<T> keeps a failed acquire's single Err and its provenance") {
    auto released = std::make_shared<int>(0);
    rill::stream<int> s = rill::using_resource([]() -> rill::result<int> { return rill::err("NOFILE", "cannot open"); },
                                               [released](int&) { ++*released; },
                                               [](int& r) { return rill::of(r); });
    auto items = rill::collect(s);
    REQUIRE(items.size() == 1);
    REQUIRE_FALSE(items[0].has_value());
    CHECK(items[0].error().code == "NOFILE");
    REQUIRE(items[0].error().trace.size() == 1);
    CHECK(items[0].error().trace[0].op == "using_resource");
    CHECK(*released == 0);
}

TEST_CASE("using_resource converted to rill::stream<T> keeps the stable address and nested release order") {
    auto log = new_log();
    rill::stream<int> s = nested(log, keep);
    CHECK(rill_test::show(s) == "0 1 2");
    CHECK(rill_test::show(s | rill::take(1)) == "0");
    CHECK(trail(log) == "open a, open b, close b completed, close a completed, "
                        "open a, open b, close b stopped_early, close a stopped_early");

    auto seen = std::make_shared<std::vector<const tracked*>>();
    rill::stream<int> t = rill::using_resource([] { return tracked(9); }, [seen](tracked& r) {
        const tracked* p = &r;
        seen->push_back(p);
        return rill::iota(0, 2) | rill::map([p, seen](int x) {
                   seen->push_back(p);
                   return x + p->value;
               });
    });
    auto c = t.open();
    CHECK(**c.next() == 9);
    auto c2 = std::move(c);
    CHECK(**c2.next() == 10);
    CHECK_FALSE(c2.next());
    REQUIRE(seen->size() == 3);
    CHECK((*seen)[1] == (*seen)[0]);
    CHECK((*seen)[2] == (*seen)[0]);
}
