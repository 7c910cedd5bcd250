// Tests of include/rill/source/generate.hpp: generator<T> and generate(factory).
//
// g++ 12 miscompiles co_yield of a braced temporary or of a conditional of
// class type: these coroutines yield errors only through rill::err(...) or a
// named local, and other class-type values through a function call or a local.
#include <rill/source/generate.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include "support/archetypes.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/sources.hpp"

#include <doctest/doctest.h>

#include <any>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace {

using rill::generator;

generator<int> up_to(int n) {
    for (int i = 0; i < n; ++i) co_yield i;
}

generator<int> nothing() { co_return; }

rill_test::move_only make_move_only(int v) { return rill_test::move_only(v); }

// A coroutine with a large frame, to exercise runs whose frame does not fit the
// memory reserved by an earlier run.
generator<int> big_frame(int n) {
    std::array<int, 512> buffer{};
    for (int i = 0; i < n; ++i) buffer[static_cast<std::size_t>(i)] = i * 100;
    for (int i = 0; i < n; ++i) co_yield buffer[static_cast<std::size_t>(i)];
}

const std::vector<std::string> open_close_g{"open g", "close g"};

} // namespace

static_assert(std::is_same_v<rill::value_t<decltype(rill::generate([] { return up_to(1); }))>, int>);
static_assert(rill::replayable_stream<decltype(rill::generate([] { return up_to(1); }))>);
static_assert(std::is_nothrow_move_constructible_v<generator<int>>);
static_assert(!std::is_copy_constructible_v<generator<int>>);

TEST_CASE("a generator may co_yield a T, a result<T> and rill::err(...)") {
    const auto s = rill::generate([]() -> generator<int> {
        co_yield 1;
        rill::result<int> two = 2;
        co_yield two;
        co_yield rill::err("E", "m");
        rill::result<int> bad = rill::err("F", "n");
        co_yield bad;
        const int five = 5;
        co_yield five;
    });
    CHECK(rill_test::show(s) == "1 2 !E !F 5");
    CHECK(rill_test::show_pulled(s) == "1 2 !E !F 5");
}

TEST_CASE("a generator's Err items keep their position, whatever it is") {
    const auto make = [](std::vector<int> spec) {
        return rill::generate([spec]() -> generator<int> {
            for (int v : spec) {
                if (v < 0) co_yield rill::err("E" + std::to_string(-v), "m");
                else co_yield v;
            }
        });
    };
    CHECK(rill_test::show(make({-1, 2, 3})) == "!E1 2 3");
    CHECK(rill_test::show(make({1, -2, 3})) == "1 !E2 3");
    CHECK(rill_test::show(make({1, 2, -3})) == "1 2 !E3");
    CHECK(rill_test::show(make({-4})) == "!E4");
}

TEST_CASE("generate stamps Err items with provenance op \"generate\" and their index") {
    const auto s = rill::generate([]() -> generator<int> {
        co_yield 0;
        co_yield rill::err("E", "m");
        co_yield 2;
        co_yield rill::err("F", "n");
    });
    for (int run = 0; run < 2; ++run) {
        CAPTURE(run);
        const auto items = run == 0 ? rill::collect(s) : rill_test::pulled(s);
        REQUIRE(items.size() == 4);
        CHECK(items[1].error() == rill::err_info{"E", "m"});
        REQUIRE(items[1].error().trace.size() == 1);
        CHECK(items[1].error().trace[0] == rill::err_frame{"generate", "", 1});
        REQUIRE(items[3].error().trace.size() == 1);
        CHECK(items[3].error().trace[0] == rill::err_frame{"generate", "", 3});
    }
}

TEST_CASE("a generator that yields nothing makes an empty stream") {
    const auto s = rill::generate([] { return nothing(); });
    CHECK(rill_test::show(s) == "");
    auto c = s.open();
    CHECK_FALSE(c.next());
    CHECK_FALSE(c.next());
}

TEST_CASE("a generator may stop with co_return before its end") {
    const auto s = rill::generate([]() -> generator<int> {
        for (int i = 0;; ++i) {
            if (i == 3) co_return;
            co_yield i;
        }
    });
    CHECK(rill_test::show(s) == "0 1 2");
}

TEST_CASE("generate calls the factory anew for every run, and never before a run") {
    auto factory_calls = std::make_shared<int>(0);
    auto body_runs = std::make_shared<int>(0);
    const auto s = rill::generate([factory_calls, body_runs] {
        ++*factory_calls;
        return [](std::shared_ptr<int> runs) -> generator<int> {
            ++*runs;
            for (int i = 1; i <= 3; ++i) co_yield i * 10;
        }(body_runs);
    });
    CHECK(*factory_calls == 0);
    CHECK(*body_runs == 0);
    CHECK(rill_test::show(s) == "10 20 30");
    CHECK(*factory_calls == 1);
    CHECK(*body_runs == 1);
    CHECK(rill_test::show(s) == "10 20 30");
    CHECK(*factory_calls == 2);
    CHECK(*body_runs == 2);
    const auto copy = s;
    CHECK(rill_test::show(copy) == "10 20 30");
    CHECK(*factory_calls == 3);
}

TEST_CASE("generate is lazy: take pulls no more items than needed from the coroutine") {
    auto resumed = std::make_shared<int>(0);
    const auto s = rill::generate([resumed]() -> generator<int> {
        for (int i = 0;; ++i) {
            ++*resumed;
            co_yield i;
        }
    });
    CHECK(rill_test::show(s | rill::take(3)) == "0 1 2");
    CHECK(*resumed == 3);
}

TEST_CASE("a [&] coroutine lambda works across runs and after the stream is destroyed") {
    std::vector<int> v{1, 2, 3};
    auto s = std::make_optional(rill::generate([&]() -> generator<int> {
        for (int x : v) co_yield x;
    }));
    CHECK(rill_test::show(*s) == "1 2 3");
    v.push_back(4);
    CHECK(rill_test::show(*s) == "1 2 3 4");

    auto c = s->open();
    s.reset(); // the description that made the cursor is gone
    std::vector<int> seen;
    while (auto r = c.next()) seen.push_back(**r);
    CHECK(seen == std::vector<int>{1, 2, 3, 4});
}

TEST_CASE("a [x] coroutine lambda works across runs and after the stream is destroyed") {
    auto s = std::make_optional(
        rill::generate([words = std::vector<std::string>{"alpha", "beta", "gamma"}]() -> generator<std::string> {
            for (const auto& w : words) co_yield w;
        }));
    CHECK(rill_test::show(*s) == "alpha beta gamma");
    CHECK(rill_test::show(*s) == "alpha beta gamma");

    auto c = s->open();
    auto first = c.next();
    s.reset(); // destroyed between two pulls, too
    std::vector<std::string> seen{**first};
    while (auto r = c.next()) seen.push_back(**r);
    CHECK(seen == std::vector<std::string>{"alpha", "beta", "gamma"});
}

TEST_CASE("an exception thrown inside the coroutine propagates from next() and destroys its locals") {
    for (int throw_at : {0, 1, 3}) {
        CAPTURE(throw_at);
        auto log = std::make_shared<rill_test::event_log>();
        const auto s = rill::generate([log, throw_at]() -> generator<int> {
            rill_test::logged_resource guard(log, "g");
            for (int i = 0; i < 3; ++i) {
                if (i == throw_at) throw rill_test::boom{};
                co_yield i;
            }
            if (throw_at == 3) throw rill_test::boom{};
        });
        {
            auto c = s.open();
            for (int i = 0; i < throw_at; ++i) {
                auto r = c.next();
                REQUIRE(r);
                CHECK(**r == i);
            }
            CHECK_THROWS_AS(c.next(), rill_test::boom);
            CHECK(log->events == open_close_g); // unwound before next() returned
        }
        CHECK(log->events == open_close_g); // exactly once
    }
}

TEST_CASE("an exception thrown inside the coroutine releases the resources of the run") {
    // Through stream<T>, which hides the generate cursor from using_resource;
    // the direct form is tested below.
    auto log = std::make_shared<rill_test::event_log>();
    const auto s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                        [log](rill_test::logging_handle&) -> rill::stream<int> {
                                            return rill::generate([log]() -> generator<int> {
                                                rill_test::logged_resource guard(log, "g");
                                                co_yield 1;
                                                throw rill_test::boom{};
                                            });
                                        });
    CHECK_THROWS_AS(rill::collect(s), rill_test::boom);
    CHECK(log->events == std::vector<std::string>{"open r", "open g", "close g", "close r failed"});
}

TEST_CASE("a generate stream erased inside and_then outlives its temporary description") {
    const auto s = rill::iota(1, 4) | rill::and_then([](int n) -> rill::stream<std::string> {
                       return rill::generate([n, label = std::string(static_cast<std::size_t>(n), '*')]()
                                                 -> generator<std::string> {
                           for (int i = 0; i < n; ++i) co_yield label;
                       });
                   });
    CHECK(rill_test::show(s) == "* ** ** *** *** ***");
    CHECK(rill_test::show(s) == "* ** ** *** *** ***");
}

TEST_CASE("a generate stream returned by an and_then function outlives its temporary description") {
    const auto s = rill::iota(1, 4) | rill::and_then([](int n) {
                       return rill::generate([n, label = std::string(static_cast<std::size_t>(n), '*')]()
                                                 -> generator<std::string> {
                           for (int i = 0; i < n; ++i) co_yield label;
                       });
                   });
    CHECK(rill_test::show(s) == "* ** ** *** *** ***");
    CHECK(rill_test::show(s) == "* ** ** *** *** ***");
}

TEST_CASE("an exception inside a coroutine used by using_resource releases the resource") {
    auto log = std::make_shared<rill_test::event_log>();
    const auto s = rill::using_resource(rill_test::acquire_logged(log, "r"), rill_test::release_logged(log),
                                        [log](rill_test::logging_handle&) {
                                            return rill::generate([log]() -> generator<int> {
                                                rill_test::logged_resource guard(log, "g");
                                                co_yield 1;
                                                throw rill_test::boom{};
                                            });
                                        });
    CHECK_THROWS_AS(rill::collect(s), rill_test::boom);
    CHECK(log->events == std::vector<std::string>{"open r", "open g", "close g", "close r failed"});
}


TEST_CASE("an exception thrown by the factory propagates from the run") {
    auto calls = std::make_shared<int>(0);
    const auto s = rill::generate(rill_test::counted([] { return up_to(3); }, calls, 2));
    CHECK(rill_test::show(s) == "0 1 2");
    CHECK_THROWS_AS(rill::collect(s), rill_test::boom);
    CHECK(rill_test::show(s) == "0 1 2");
    CHECK(*calls == 3);
}

TEST_CASE("stopping a run early destroys the coroutine frame and its locals") {
    auto log = std::make_shared<rill_test::event_log>();
    const auto s = rill::generate([log]() -> generator<int> {
        rill_test::logged_resource guard(log, "g");
        for (int i = 0;; ++i) co_yield i;
    });
    SUBCASE("take") {
        CHECK(rill_test::show(s | rill::take(2)) == "0 1");
        CHECK(log->events == open_close_g);
    }
    SUBCASE("destroying the cursor") {
        {
            auto c = s.open();
            CHECK(**c.next() == 0);
            CHECK(log->events == std::vector<std::string>{"open g"});
        }
        CHECK(log->events == open_close_g);
    }
    SUBCASE("break from a range-for") {
        for (auto&& r : s) {
            if (*r == 4) break;
        }
        CHECK(log->events == open_close_g);
    }
    SUBCASE("a cursor destroyed before its first pull never runs the body") {
        { auto c = s.open(); }
        CHECK(log->events.empty());
    }
}

TEST_CASE("generate carries move-only items and items without a default constructor") {
    const auto m = rill::generate([]() -> generator<rill_test::move_only> {
        for (int i = 0; i < 3; ++i) co_yield make_move_only(i);
        rill_test::move_only last(9);
        co_yield std::move(last);
    });
    CHECK(rill_test::show(m) == "move_only(0) move_only(1) move_only(2) move_only(9)");
    CHECK(rill_test::show(m | rill::map([](rill_test::move_only x) { return x.get(); })) == "0 1 2 9");

    const auto n = rill::generate([]() -> generator<rill_test::no_default> {
        rill_test::no_default a(1);
        co_yield a;
        co_yield rill::err("E", "m");
    });
    CHECK(rill_test::show(n) == "no_default(1) !E");
}

TEST_CASE("a generator may run other streams, and generate streams nest") {
    const auto inner = rill::generate([] { return up_to(2); });
    const auto s = rill::generate([inner]() -> generator<int> {
        for (int round = 0; round < 2; ++round)
            for (auto&& r : inner) co_yield r;
    });
    CHECK(rill_test::show(s) == "0 1 0 1");
    CHECK(rill_test::show(s) == "0 1 0 1");
}

TEST_CASE("a factory may create more than one coroutine, or coroutines of different frame sizes") {
    const auto two = rill::generate([] {
        auto discarded = up_to(5);
        return up_to(2);
    });
    CHECK(rill_test::show(two) == "0 1");
    CHECK(rill_test::show(two) == "0 1");

    auto use_big = std::make_shared<bool>(false);
    const auto either = rill::generate([use_big] { return *use_big ? big_frame(3) : up_to(3); });
    CHECK(rill_test::show(either) == "0 1 2");
    *use_big = true;
    CHECK(rill_test::show(either) == "0 100 200");
    *use_big = false;
    CHECK(rill_test::show(either) == "0 1 2");
    *use_big = true;
    CHECK(rill_test::show(either) == "0 100 200");
}

// --- how a yielded item reaches the consumer ---------------------------------------

namespace {
/// Counts its copies and moves into counters the test owns.
struct tally {
    tally(int v, std::shared_ptr<int> c, std::shared_ptr<int> m) : value(v), copies(std::move(c)), moves(std::move(m)) {}
    tally(const tally& o) : value(o.value), copies(o.copies), moves(o.moves) { ++*copies; }
    tally(tally&& o) noexcept : value(o.value), copies(o.copies), moves(o.moves) { ++*moves; }
    tally& operator=(const tally&) = delete;
    int value;
    std::shared_ptr<int> copies;
    std::shared_ptr<int> moves;
};

rill::result<std::string> ok_string(std::string s) { return s; }
} // namespace

TEST_CASE("a yielded T rvalue reaches a push sink with no copy and no move, and next() with one move") {
    auto copies = std::make_shared<int>(0);
    auto moves = std::make_shared<int>(0);
    const auto s = rill::generate([copies, moves]() -> generator<tally> {
        for (int i = 0; i < 2; ++i) co_yield tally(i, copies, moves);
        tally last(2, copies, moves);
        co_yield std::move(last);
    });
    int sum = 0;
    CHECK(rill::for_each(s, [&sum](tally&& t) { sum += t.value; }).empty());
    CHECK(sum == 3);
    CHECK(*copies == 0);
    CHECK(*moves == 0);
    auto c = s.open();
    while (auto r = c.next()) sum += (*r)->value;
    CHECK(sum == 6);
    CHECK(*copies == 0);
    CHECK(*moves == 3);
}

TEST_CASE("a yielded T lvalue is copied once, and the coroutine's variable keeps its value") {
    auto copies = std::make_shared<int>(0);
    auto moves = std::make_shared<int>(0);
    auto kept = std::make_shared<std::vector<int>>();
    const auto s = rill::generate([copies, moves, kept]() -> generator<tally> {
        tally t(7, copies, moves);
        co_yield t;
        kept->push_back(t.value);
        const tally u(8, copies, moves);
        co_yield u;
        kept->push_back(u.value);
    });
    int sum = 0;
    CHECK(rill::for_each(s, [&sum](tally&& t) { sum += t.value; }).empty());
    CHECK(sum == 15);
    CHECK(*copies == 2);
    CHECK(*moves == 0);
    auto c = s.open();
    while (auto r = c.next()) sum += (*r)->value;
    CHECK(sum == 30);
    CHECK(*copies == 4);
    CHECK(*moves == 0);
    CHECK(*kept == std::vector<int>{7, 8, 7, 8});
}

TEST_CASE("a generator's string and result lvalues keep their value after they are yielded") {
    auto seen = std::make_shared<std::vector<std::string>>();
    const auto s = rill::generate([seen]() -> generator<std::string> {
        std::string text = "a string long enough to live on the heap, not in the object";
        co_yield text;
        seen->push_back(text);
        rill::result<std::string> r = std::string("a result long enough to live on the heap, too");
        co_yield r;
        seen->push_back(r ? *r : "Err");
    });
    const std::vector<std::string> expected{"a string long enough to live on the heap, not in the object",
                                            "a result long enough to live on the heap, too"};
    CHECK(rill_test::show(s) == expected[0] + " " + expected[1]);
    CHECK(*seen == expected);
    seen->clear();
    CHECK(rill_test::show_pulled(s) == expected[0] + " " + expected[1]);
    CHECK(*seen == expected);
}

TEST_CASE("a generator may co_yield what converts to T, or what a result<T> is made from") {
    const auto strings = rill::generate([]() -> generator<std::string> {
        co_yield "a literal";
        co_yield std::string_view("a string_view");
        co_yield ok_string("a function's result");
        co_yield rill::result<std::string>(std::string("a result prvalue"));
        const rill::result<std::string> named = rill::err("E", "m");
        co_yield named;
    });
    CHECK(rill_test::show(strings) == "a literal a string_view a function's result a result prvalue !E");
    CHECK(rill_test::show_pulled(strings) == "a literal a string_view a function's result a result prvalue !E");

    const auto longs = rill::generate([]() -> generator<long> {
        co_yield 1;
        short two = 2;
        co_yield two;
        co_yield 3L;
    });
    CHECK(rill_test::show(longs) == "1 2 3");

    // A T that can be made from anything still takes err(...) as an Err item.
    const auto anys = rill::generate([]() -> generator<std::any> {
        co_yield rill::err("E", "m");
        co_yield std::any(1);
    });
    const auto items = rill::collect(anys);
    REQUIRE(items.size() == 2);
    CHECK_FALSE(items[0].has_value());
    REQUIRE(items[1].has_value());
    CHECK(std::any_cast<int>(*items[1]) == 1);
}

TEST_CASE("a run stopped at any co_yield leaves no item alive, whatever was yielded there") {
    auto live = std::make_shared<long>(0);
    const auto s = rill::generate([live]() -> generator<rill_test::counted_item> {
        rill_test::counted_item a(1, live);
        co_yield a;                                    // lvalue T
        co_yield rill_test::counted_item(2, live);     // rvalue T
        rill::result<rill_test::counted_item> r(tl::in_place, 3, live);
        co_yield r;                                    // result lvalue
        co_yield std::move(r);                         // result xvalue
        co_yield rill::err("E", "m");                  // err(...)
    });
    for (int stop = 0; stop <= 6; ++stop) {
        CAPTURE(stop);
        {
            auto c = s.open();
            for (int i = 0; i < stop; ++i) (void)c.next();
        }
        CHECK(*live == 0);
        {
            std::size_t n = 0;
            for (auto&& item : s) {
                (void)item;
                if (++n == static_cast<std::size_t>(stop)) break;
            }
        }
        CHECK(*live == 0);
    }
    CHECK(rill::collect(s).size() == 5);
    CHECK(*live == 0);
}
