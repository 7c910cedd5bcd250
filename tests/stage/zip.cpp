// Tests of include/rill/stage/zip.hpp
#include <rill/stage/zip.hpp>

#include <rill/sink/collect.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

using namespace rill_test;

namespace {
// Renders a run of zipped ints, consumed `how`: "1/10 !E1 3/30".
template <class S>
std::string show_pairs(via how, const S& s) {
    return show_via(how, s | rill::map([](const std::tuple<int, int>& t) {
                             return std::to_string(std::get<0>(t)) + "/" + std::to_string(std::get<1>(t));
                         }));
}
// The same for a run drained and a run pulled, which must agree.
template <class S>
std::string shown_pairs(const S& s) {
    auto a = show_pairs(via::drain, s);
    auto b = show_pairs(via::next, s);
    return a == b ? a : "drain: [" + a + "] next: [" + b + "]";
}
std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}
} // namespace

TEST_CASE("zip pairs the items of its streams position by position") {
    auto s = rill::zip(rill::of(1, 2, 3), rill::of(std::string("a"), std::string("b"), std::string("c")));
    static_assert(std::is_same_v<rill::value_t<decltype(s)>, std::tuple<int, std::string>>);
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, s);
        REQUIRE(v.size() == 3);
        CHECK(v[0].value() == std::tuple<int, std::string>{1, "a"});
        CHECK(v[2].value() == std::tuple<int, std::string>{3, "c"});
    }
    CHECK(shown_pairs(rill::zip(rill::iota(1, 4), rill::iota(10, 13))) == "1/10 2/11 3/12");
}

TEST_CASE("zip of three streams gives triples; zip of one gives 1-tuples") {
    auto v = collect_via(via::drain, rill::zip(rill::of(1, 2), rill::of('x', 'y'), rill::of(0.5, 1.5)));
    REQUIRE(v.size() == 2);
    CHECK(v[1].value() == std::tuple<int, char, double>{2, 'y', 1.5});
    CHECK(collect_via(via::next, rill::zip(rill::of(1, 2), rill::of('x', 'y'), rill::of(0.5, 1.5))) == v);
    auto w = collect_via(via::next, rill::zip(rill::of(7)));
    REQUIRE(w.size() == 1);
    CHECK(w[0].value() == std::tuple<int>{7});
}

TEST_CASE("a round with an Err item gives that Err in its position; the run goes on") {
    CHECK(shown_pairs(rill::zip(rill::from(items({-1, 2, 3})), rill::iota(10, 13))) == "!E1 2/11 3/12");
    CHECK(shown_pairs(rill::zip(rill::iota(0, 3), rill::from(items({1, -2, 3})))) == "0/1 !E2 2/3");
    CHECK(shown_pairs(rill::zip(rill::from(items({1, 2, -3})), rill::iota(10, 13))) == "1/10 2/11 !E3");
    CHECK(shown_pairs(rill::zip(rill::from(items({-4})), rill::of(1))) == "!E4");
}

TEST_CASE("the leftmost Err of a round wins and the round's other items are dropped") {
    auto a = rill::from(items({1, -1, -2, 4}));
    auto b = rill::from(items({-3, -4, 3, 5}));
    CHECK(shown_pairs(rill::zip(a, b)) == "!E3 !E1 !E2 4/5");
    CHECK(shown_pairs(rill::zip(b, a)) == "!E3 !E4 !E2 5/4");
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::zip(a, b));
        REQUIRE(v.size() == 4);
        CHECK(text(v[1].error()) == "E1: error 1 [at from #1]"); // unchanged, provenance included
    }
}

TEST_CASE("zip ends with its shortest stream") {
    CHECK(shown_pairs(rill::zip(rill::iota(0, 5), rill::iota(0, 2))) == "0/0 1/1");
    CHECK(shown_pairs(rill::zip(rill::iota(0, 2), rill::iota(0))) == "0/0 1/1");
    CHECK(shown_pairs(rill::zip(rill::empty<int>(), rill::iota(0, 3))) == "");
    CHECK(shown_pairs(rill::zip(rill::iota(0, 3), rill::empty<int>())) == "");
}

TEST_CASE("zip pulls each stream once per round, left to right, and stops at the first that ends") {
    auto pa = counter();
    auto pb = counter();
    for (via how : every_way) {
        CAPTURE(how);
        *pa = *pb = 0;
        // The right stream is shorter: the left item of the last round is dropped.
        CHECK(show_pairs(how, rill::zip(count_pulls(rill::iota(0), pa), count_pulls(rill::iota(0, 2), pb))) == "0/0 1/1");
        CHECK(*pa == 3);
        CHECK(*pb == 3);
        *pa = *pb = 0;
        // The left stream is shorter: the right one is not pulled in the last round.
        CHECK(show_pairs(how, rill::zip(count_pulls(rill::iota(0, 2), pa), count_pulls(rill::iota(0), pb))) == "0/0 1/1");
        CHECK(*pa == 3);
        CHECK(*pb == 2);
        *pa = *pb = 0;
        CHECK(show_pairs(how, rill::zip(count_pulls(rill::iota(0), pa), count_pulls(rill::iota(0), pb)) | rill::take(2)) ==
              "0/0 1/1");
        CHECK(*pa == 2);
        CHECK(*pb == 2);
    }
    SUBCASE("the consumer pulling past the end pulls nothing more") {
        *pa = *pb = 0;
        auto c = rill::zip(count_pulls(rill::iota(0, 1), pa), count_pulls(rill::iota(0), pb)).open();
        CHECK(c.next().has_value());
        CHECK_FALSE(c.next().has_value());
        CHECK_FALSE(c.next().has_value());
        CHECK(*pa == 2);
        CHECK(*pb == 1);
    }
}

TEST_CASE("when zip ends, every stream's resource is released, before the cursor goes") {
    auto log = new_log();
    SUBCASE("the right stream ends first") {
        auto c = rill::zip(resource_over(log, "a", rill::iota(0, 5)), resource_over(log, "b", rill::iota(0, 1))).open();
        CHECK(c.next().has_value());
        CHECK(events_of(log) == "open a | open b");
        CHECK_FALSE(c.next().has_value());
        CHECK(events_of(log) == "open a | open b | close b completed | close a stopped_early");
    }
    SUBCASE("the left stream ends first") {
        auto c = rill::zip(resource_over(log, "a", rill::iota(0, 1)), resource_over(log, "b", rill::iota(0, 5))).open();
        CHECK(c.next().has_value());
        CHECK_FALSE(c.next().has_value());
        CHECK(events_of(log) == "open a | open b | close a completed | close b stopped_early");
    }
    SUBCASE("runs that hold their resource until their cursor goes") {
        auto c = rill::zip(held(rill::iota(0, 5), log, "a"), held(rill::iota(0, 1), log, "b")).open();
        CHECK(c.next().has_value());
        CHECK(log->events.size() == 2);
        CHECK_FALSE(c.next().has_value());
        CHECK(sorted(log->events) == std::vector<std::string>{"close a", "close b", "open a", "open b"});
    }
}

TEST_CASE("a drained zip releases every stream's resource at its end") {
    auto log = new_log();
    auto s = rill::zip(resource_over(log, "a", rill::iota(0, 5)), resource_over(log, "b", rill::iota(0, 1)));
    CHECK(rill::for_each(s, [log](const std::tuple<int, int>&) { log->add("got"); }).empty());
    CHECK(events_of(log) == "open a | open b | got | close b completed | close a stopped_early");
}

TEST_CASE("zip stopped early releases every stream's resource") {
    auto log = new_log();
    {
        auto c = rill::zip(resource_over(log, "a", rill::iota(0, 5)), resource_over(log, "b", rill::iota(0, 5))).open();
        CHECK(c.next().has_value());
    }
    CHECK(sorted(log->events) == std::vector<std::string>{"close a stopped_early", "close b stopped_early", "open a", "open b"});
}

TEST_CASE("zip releases its streams' resources in reverse order of acquisition") {
    auto log = new_log();
    SUBCASE("stopped early") {
        {
            auto c = rill::zip(resource_over(log, "a", rill::iota(0, 5)), resource_over(log, "b", rill::iota(0, 5))).open();
            c.next();
        }
        CHECK(events_of(log) == "open a | open b | close b stopped_early | close a stopped_early");
    }
    SUBCASE("an exception") {
        for (via how : every_way) {
            CAPTURE(how);
            log->events.clear();
            auto calls = counter();
            auto s = rill::zip(resource_over(log, "a", rill::iota(0, 5)),
                               resource_over(log, "b", rill::iota(0, 5)) | rill::map(counted([](int x) { return x; }, calls, 2)));
            CHECK_THROWS_AS(collect_via(how, s), boom);
            CHECK(events_of(log) == "open a | open b | close b failed | close a failed");
        }
    }
    SUBCASE("runs that acquire when they are opened") {
        {
            auto c = rill::zip(held(rill::iota(0, 5), log, "a"), held(rill::iota(0, 5), log, "b")).open();
            c.next();
        }
        REQUIRE(log->events.size() == 4);
        // Whatever order the runs were opened in, they are closed in the reverse one.
        CHECK(log->events[2] == "close " + log->events[1].substr(5));
        CHECK(log->events[3] == "close " + log->events[0].substr(5));
    }
}

TEST_CASE("an exception from one side propagates and every side's resource is released as failed") {
    for (via how : every_way) for (int k : {1, 2, 3}) {
        CAPTURE(how);
        CAPTURE(k);
        auto log = new_log();
        auto calls = counter();
        auto s = rill::zip(resource_over(log, "a", rill::iota(0, 5)),
                           resource_over(log, "b", rill::iota(0, 5)) | rill::map(counted([](int x) { return x; }, calls, k)));
        CHECK_THROWS_AS(collect_via(how, s), boom);
        CHECK(*calls == k);
        CHECK(sorted(log->events) == std::vector<std::string>{"close a failed", "close b failed", "open a", "open b"});
    }
}

TEST_CASE("zip works with move-only and non-default-constructible items") {
    auto mo = rill::iota(1, 3) | rill::map([](int i) { return move_only(i); });
    auto nd = rill::iota(5, 7) | rill::map([](int i) { return no_default(i); });
    for (via how : every_way) {
        CAPTURE(how);
        auto v = collect_via(how, rill::zip(mo, nd));
        REQUIRE(v.size() == 2);
        CHECK(std::get<0>(v[1].value()).get() == 2);
        CHECK(std::get<1>(v[1].value()) == no_default(6));
    }
}

TEST_CASE("building a zip calls no user function, and runs replay") {
    auto calls = counter();
    auto f = counted([](int x) { return x * 10; }, calls);
    auto s = rill::zip(rill::from(items({1, -2, 3})), rill::iota(0, 3) | rill::map(f));
    CHECK(*calls == 0);
    CHECK(shown_pairs(s) == "1/0 !E2 3/20");
    CHECK(shown_pairs(s) == "1/0 !E2 3/20");
    CHECK(*calls == 12);
}
