// Tests of include/rill/stage/and_then.hpp
#include <rill/stage/and_then.hpp>

#include <rill/sink/collect.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/source/single.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/tap.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rill_test;

namespace {
// x -> Ok(0) ... Ok(x-1): an inner stream of x items.
auto upto = [](int x) { return rill::iota(0, x); };
// x -> Ok(x), Err("E<x>")
auto with_err = [](int x) { return rill::from(items({x, -x})); };
auto id = [](int x) { return x; };
} // namespace

TEST_CASE("and_then replaces each Ok item by the items of f(item), in order") {
    CHECK(shown(rill::of(1, 2, 3) | rill::and_then(upto)) == "0 0 1 0 1 2");
    CHECK(shown(rill::of(7) | rill::and_then([](int x) { return rill::of(x, x + 1); })) == "7 8");
}

TEST_CASE("and_then handles inner streams of zero, one and many items") {
    CHECK(shown(rill::of(0, 1, 3, 0, 2, 0) | rill::and_then(upto)) == "0 0 1 2 0 1");
    CHECK(shown(rill::of(0, 0, 0) | rill::and_then(upto)) == "");
    CHECK(shown(rill::of(1, 1) | rill::and_then(upto)) == "0 0");
    CHECK(shown(rill::of(4) | rill::and_then(upto)) == "0 1 2 3");
    CHECK(shown(rill::of(2) | rill::and_then([](int) { return rill::empty<int>(); })) == "");
}

TEST_CASE("and_then passes outer Err items in position and does not call f for them") {
    auto calls = counter();
    auto f = counted(upto, calls);
    CHECK(shown(rill::from(items({-1, 2, 1})) | rill::and_then(f)) == "!E1 0 1 0");
    CHECK(shown(rill::from(items({2, -2, 1})) | rill::and_then(f)) == "0 1 !E2 0");
    CHECK(shown(rill::from(items({2, 1, -3})) | rill::and_then(f)) == "0 1 0 !E3");
    CHECK(shown(rill::from(items({-4})) | rill::and_then(f)) == "!E4");
    CHECK(shown(rill::from(items({-1, 0, -2})) | rill::and_then(f)) == "!E1 !E2");
    CHECK(*calls == 3 * (2 + 2 + 2 + 0 + 1)); // three runs each
}

TEST_CASE("an outer Err item passes unchanged: no and_then frame is added") {
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::from(items({1, -2})) | rill::and_then(upto));
        REQUIRE(v.size() == 2);
        REQUIRE_FALSE(v[1].has_value());
        CHECK(text(v[1].error()) == "E2: error 2 [at from #1]");
    }
}

TEST_CASE("inner Err items are stamped with op and_then and the outer item's index") {
    CHECK(shown(rill::of(1, 2, 3) | rill::and_then(with_err)) == "1 !E1 2 !E2 3 !E3");
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::of(1, 2, 3) | rill::and_then(with_err));
        REQUIRE(v.size() == 6);
        CHECK(text(v[1].error()) == "E1: error 1 [at from #1, via and_then #0]");
        CHECK(text(v[5].error()) == "E3: error 3 [at from #1, via and_then #2]");
        REQUIRE(v[3].error().trace.size() == 2);
        CHECK(v[3].error().trace[1] == rill::err_frame{"and_then", "", 1});
    }
}

TEST_CASE("the outer index in an inner Err's provenance counts outer Err items too") {
    auto s = rill::from(items({-7, 5, -8, 6})) | rill::and_then([](int x) {
                 return rill::failed<int>(rill::err_info{"IN" + std::to_string(x), "inner", {}});
             });
    CHECK(shown(s) == "!E7 !IN5 !E8 !IN6");
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, s);
        REQUIRE(v.size() == 4);
        CHECK(text(v[1].error()) == "IN5: inner [at and_then #1]");
        CHECK(text(v[3].error()) == "IN6: inner [at and_then #3]");
    }
}

TEST_CASE("and_then over the empty stream gives no items and never calls f") {
    auto calls = counter();
    CHECK(shown(rill::empty<int>() | rill::and_then(counted(upto, calls))) == "");
    CHECK(*calls == 0);
}

TEST_CASE("each inner run is released before the next outer item is pulled") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto outer = rill::iota(0, 3) | rill::tap([log](int i) { log->add("pull " + std::to_string(i)); });

        auto r = outer | rill::and_then([log](int i) {
                     return resource_over(log, "r" + std::to_string(i), rill::iota(0, i));
                 });
        CHECK(show_via(how, r) == "0 0 1");
        CHECK(events_of(log) == "pull 0 | open r0 | close r0 completed | "
                                "pull 1 | open r1 | close r1 completed | "
                                "pull 2 | open r2 | close r2 completed");

        // An inner run that holds its resource until its cursor is destroyed.
        log->events.clear();
        auto h = outer | rill::and_then([log](int i) { return held(rill::iota(0, i), log, "h" + std::to_string(i)); });
        CHECK(show_via(how, h) == "0 0 1");
        CHECK(events_of(log) == "pull 0 | open h0 | close h0 | pull 1 | open h1 | close h1 | pull 2 | open h2 | close h2");
    }
}

TEST_CASE("inner resources are released before the outer one, in reverse order of acquisition") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto s = resource_over(log, "outer", rill::iota(1, 3)) | rill::and_then([log](int i) {
                     return resource_over(log, "in" + std::to_string(i), rill::iota(0, i));
                 });
        CHECK(show_via(how, s) == "0 0 1");
        CHECK(events_of(log) == "open outer | open in1 | close in1 completed | open in2 | close in2 completed | "
                                "close outer completed");
    }
}

TEST_CASE("and_then pulls outer items only when the inner run is used up") {
    // take(n) over and_then(upto) over 1, 2, 3, ...: "0", "0 1", "0 1 2", ...
    struct expect {
        int n;
        const char* items;
        int pulls;
    };
    for (via how : every_way) for (expect e : {expect{1, "0", 1}, expect{3, "0 0 1", 2}, expect{4, "0 0 1 0", 3}}) {
        CAPTURE(how);
        CAPTURE(e.n);
        auto pulls = counter();
        auto calls = counter();
        auto s = count_pulls(rill::iota(1), pulls) | rill::and_then(counted(upto, calls));
        CHECK(show_via(how, s | rill::take(e.n)) == e.items);
        CHECK(*pulls == e.pulls);
        CHECK(*calls == e.pulls);
    }
}

TEST_CASE("and_then stopped by break from range-for pulled no further outer item") {
    auto pulls = counter();
    auto s = count_pulls(rill::iota(1), pulls) | rill::and_then(upto);
    int seen = 0;
    for (auto&& r : s) {
        (void)r;
        if (++seen == 2) break;
    }
    CHECK(*pulls == 2);
}

TEST_CASE("stopping early inside an inner run releases the inner and outer resources") {
    auto make = [](std::shared_ptr<event_log> log) {
        return resource_over(log, "outer", rill::iota(1, 4)) | rill::and_then([log](int i) {
                   return resource_over(log, "in" + std::to_string(i), rill::iota(0, 3));
               });
    };
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        CHECK(show_via(how, make(log) | rill::take(4)) == "0 1 2 0");
        CHECK(events_of(log) == "open outer | open in1 | close in1 completed | open in2 | close in2 stopped_early | "
                                "close outer stopped_early");
    }
    SUBCASE("destroying the cursor") {
        auto log = new_log();
        {
            auto c = make(log).open();
            CHECK(c.next()->value() == 0);
            CHECK(events_of(log) == "open outer | open in1");
        }
        CHECK(events_of(log) == "open outer | open in1 | close in1 stopped_early | close outer stopped_early");
    }
}

TEST_CASE("an exception thrown by f propagates and releases what the run holds") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto f = counted([log](int i) { return resource_over(log, "in" + std::to_string(i), rill::iota(0, 2)); }, calls, k);
        auto s = resource_over(log, "outer", rill::iota(0, 3)) | rill::and_then(f);
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        std::string expected = "open outer | ";
        for (int i = 0; i + 1 < k; ++i)
            expected += "open in" + std::to_string(i) + " | close in" + std::to_string(i) + " completed | ";
        CHECK(events_of(log) == expected + "close outer failed");
    }
}

TEST_CASE("an exception thrown by the inner stream releases the inner resource as failed and propagates") {
    // The inner stream throws at its k-th item, inside the resource's use or in a stage over it.
    auto inside_use = [](std::shared_ptr<event_log> log, auto thrower) {
        return rill::using_resource(acquire_logged(log, "in"), release_logged(log),
                                    [thrower](logging_handle&) { return rill::iota(0, 3) | rill::map(thrower); });
    };
    auto over_resource = [](std::shared_ptr<event_log> log, auto thrower) {
        return resource_over(log, "in", rill::iota(0, 3)) | rill::map(thrower);
    };
    auto check = [](auto make_inner) {
        for (via how : every_way) for (int k : {1, 2, 3}) {
            CAPTURE(how);
            CAPTURE(k);
            auto log = new_log();
            auto calls = counter();
            auto thrower = counted(id, calls, k);
            auto s = resource_over(log, "outer", rill::of(5)) |
                     rill::and_then([log, thrower, make_inner](int) { return make_inner(log, thrower); });
            CHECK_THROWS_AS(collect_via(how, s), boom);
            CHECK(*calls == k);
            CHECK(events_of(log) == "open outer | open in | close in failed | close outer failed");
        }
    };
    check(inside_use);
    check(over_resource);
}

TEST_CASE("an exception thrown while opening the inner run releases the inner resource as failed") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto s = rill::of(1, 2) | rill::and_then([log](int) {
                     return rill::using_resource(acquire_logged(log, "in"), release_logged(log),
                                                 [](logging_handle&) -> rill::iota_stream<int, true> { throw boom{}; });
                 });
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(events_of(log) == "open in | close in failed");
    }
}

TEST_CASE("an exception from an inner run that holds its resource destroys that run") {
    for (via how : every_way) {
        CAPTURE(how);
        auto log = new_log();
        auto calls = counter();
        auto s = rill::of(3) | rill::and_then([log, calls](int i) {
                     return held(rill::iota(0, i) | rill::map(counted(id, calls, 2)), log, "h");
                 });
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(events_of(log) == "open h | close h");
    }
}

TEST_CASE("move-only values go through and_then") {
    auto make = [](int i) { return move_only(i); };
    auto mo = rill::iota(1, 4) | rill::map(make);
    CHECK(shown(mo | rill::and_then([](move_only m) { return rill::pure(std::move(m)); })) ==
          "move_only(1) move_only(2) move_only(3)");
    CHECK(shown(rill::of(2, 1) | rill::and_then([make](int x) { return rill::iota(0, x) | rill::map(make); })) ==
          "move_only(0) move_only(1) move_only(0)");
    CHECK(shown(mo | rill::and_then([make](move_only&& m) { return rill::iota(0, m.get()) | rill::map(make); })) ==
          "move_only(0) move_only(0) move_only(1) move_only(0) move_only(1) move_only(2)");
}

TEST_CASE("non-default-constructible values go through and_then") {
    auto s = rill::of(1, 2) | rill::and_then([](int x) { return rill::of(no_default(x), no_default(-x)); });
    CHECK(shown(s) == "no_default(1) no_default(-1) no_default(2) no_default(-2)");
}

TEST_CASE("f may return a type-erased stream to choose the inner pipeline per item") {
    auto f = [](int x) -> rill::stream<int> {
        if (x % 2 == 0) return rill::iota(0, x);
        return rill::of(x * 100);
    };
    CHECK(shown(rill::from(items({1, 2, -1, 3})) | rill::and_then(f)) == "100 0 1 !E1 300");
}

TEST_CASE("and_then has the same items in the call form and the pipe form") {
    auto src = rill::from(items({2, -1, 1}));
    CHECK(shown(rill::and_then(src, upto)) == "0 1 !E1 0");
    CHECK(rill::collect(rill::and_then(src, with_err)) == rill::collect(src | rill::and_then(with_err)));
}

TEST_CASE("building an and_then pipeline calls no user function") {
    auto calls = counter();
    auto s = rill::iota(0, 3) | rill::and_then(counted(upto, calls)) | rill::and_then(counted(upto, calls));
    CHECK(*calls == 0);
    CHECK(show_via(via::drain, s) == "0");
    CHECK(*calls == 3 + 3); // upto(0..2) gives 0, 0 1; then upto(0), upto(0), upto(1)
    CHECK(show_via(via::next, s) == "0");
    CHECK(*calls == 12);
}

TEST_CASE("and_then replays: two runs give the same items") {
    auto calls = counter();
    auto s = rill::from(items({2, -1, 1})) | rill::and_then(counted(with_err, calls));
    CHECK(shown(s) == "2 !E2 !E1 1 !E1");
    CHECK(shown(s) == "2 !E2 !E1 1 !E1");
    CHECK(*calls == 12);
}
