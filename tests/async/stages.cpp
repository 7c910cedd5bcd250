// rill::async stages through next()/close() and the sinks: map, try_map,
// filter, take, drop, take_while, enumerate, tap, map_err, recover, named;
// plain and awaitable functions; Err items in every position; both call forms.
#include "support.hpp"

#include <doctest/doctest.h>

#include <utility>

using namespace rill_async_test;

namespace {
// 1 E:x 3 4 E:y: Err items first-but-one, in the middle and last.
auto mixed() {
    rill::result<int> x = rill::err("E", "x"), y = rill::err("E", "y");
    return async::of(rill::result<int>(1), x, rill::result<int>(3), rill::result<int>(4), y);
}
auto twice_later = [](int v) -> asio::awaitable<int> {
    co_await sleep_for(std::chrono::milliseconds(0));
    co_return v * 2;
};
} // namespace

TEST_CASE("map applies a plain or an awaitable function to Ok items - Err items pass") {
    CHECK(run_show(mixed() | async::map([](int v) { return v * 2; })) == "2 E:x 6 8 E:y");
    CHECK(run_show(async::map(mixed(), twice_later)) == "2 E:x 6 8 E:y");
    CHECK(run_show(mixed() | async::map([](int v) { return std::to_string(v) + "!"; })) == "1! E:x 3! 4! E:y");
}

TEST_CASE("map through next() and close() by hand") {
    async::run([]() -> asio::awaitable<void> {
        auto c = (async::of(1, 2) | async::map([](int v) { return v + 1; })).open();
        auto a = co_await c.next();
        auto b = co_await c.next();
        auto end = co_await c.next();
        CHECK(**a == 2);
        CHECK(**b == 3);
        CHECK(!end);
        co_await c.close();
        co_await c.close();
    }());
}

TEST_CASE("try_map turns a returned Err into an item stamped with its position") {
    auto parse = [](int v) -> rill::result<int> {
        if (v == 3) return rill::err("PARSE", "three");
        return v * 10;
    };
    auto v = items(mixed() | async::try_map(parse));
    CHECK(show(v) == "10 E:x PARSE:three 40 E:y");
    REQUIRE(v[2].error().trace.size() == 1);
    CHECK(v[2].error().trace[0].op == "try_map");
    CHECK(v[2].error().trace[0].index == 2);
    auto later = [](int v) -> asio::awaitable<rill::result<int>> {
        co_await sleep_for(std::chrono::milliseconds(0));
        if (v == 4) co_return rill::err("E", "four");
        co_return v;
    };
    CHECK(run_show(async::try_map(mixed(), later)) == "1 E:x 3 E:four E:y");
}

TEST_CASE("filter keeps the Ok items that pass (plain or awaitable predicate) - Err items pass") {
    CHECK(run_show(mixed() | async::filter([](int v) { return v % 2 == 0; })) == "E:x 4 E:y");
    auto odd = [](const int& v) -> asio::awaitable<bool> { co_return v % 2 == 1; };
    CHECK(run_show(async::filter(mixed(), odd)) == "1 E:x 3 E:y");
}

TEST_CASE("take and drop count Ok and Err items alike") {
    CHECK(run_show(mixed() | async::take(2)) == "1 E:x");
    CHECK(run_show(mixed() | async::take(0)).empty());
    CHECK(run_show(mixed() | async::take(99)) == "1 E:x 3 4 E:y");
    CHECK(run_show(async::take(mixed(), 3)) == "1 E:x 3");
    CHECK(run_show(mixed() | async::drop(2)) == "3 4 E:y");
    CHECK(run_show(async::drop(mixed(), 9)).empty());
    CHECK(run_show(mixed() | async::drop(0)) == "1 E:x 3 4 E:y");
}

TEST_CASE("take_while ends at the first Ok item that fails - Err items pass") {
    CHECK(run_show(mixed() | async::take_while([](int v) { return v < 4; })) == "1 E:x 3");
    auto small = [](const int& v) -> asio::awaitable<bool> { co_return v < 2; };
    CHECK(run_show(async::take_while(mixed(), small)) == "1 E:x");
}

TEST_CASE("take_while and take pull no further than they need") {
    auto pulls = std::make_shared<int>(0);
    CHECK(run_show(counted(100, pulls) | async::take_while([](int v) { return v < 3; })) == "0 1 2");
    CHECK(*pulls == 4);
    *pulls = 0;
    CHECK(run_show(counted(100, pulls) | async::drop(2) | async::take(2)) == "2 3");
    CHECK(*pulls == 4);
}

TEST_CASE("enumerate pairs Ok items with their position, Err items counting") {
    auto s = mixed() | async::enumerate() | async::map([](std::pair<std::size_t, int> p) {
                 return std::to_string(p.first) + "=" + std::to_string(p.second);
             });
    CHECK(run_show(s) == "0=1 E:x 2=3 3=4 E:y");
    CHECK(async::run(async::count(async::enumerate(mixed()))) == 5);
}

TEST_CASE("tap sees each Ok item (plain or awaitable) and changes nothing") {
    std::vector<int> seen;
    CHECK(run_show(mixed() | async::tap([&](const int& v) { seen.push_back(v); })) == "1 E:x 3 4 E:y");
    CHECK(seen == std::vector<int>{1, 3, 4});
    seen.clear();
    auto later = [&](const int& v) -> asio::awaitable<void> {
        co_await sleep_for(std::chrono::milliseconds(0));
        seen.push_back(v);
    };
    CHECK(run_show(async::tap(mixed(), later)) == "1 E:x 3 4 E:y");
    CHECK(seen == std::vector<int>{1, 3, 4});
}

TEST_CASE("map_err rewrites Err items and keeps their provenance - recover replaces them") {
    auto upper = [](rill::err_info e) { return rill::err_info{"X", e.message}; };
    auto v = items(mixed() | async::map_err(upper));
    CHECK(show(v) == "1 X:x 3 4 X:y");
    REQUIRE(v[1].error().trace.size() == 2); // of's frame, then map_err's
    CHECK(v[1].error().trace[1].op == "map_err");
    auto later = [](rill::err_info e) -> asio::awaitable<rill::err_info> { co_return rill::err_info{"L", e.message}; };
    CHECK(run_show(async::map_err(mixed(), later)) == "1 L:x 3 4 L:y");
    CHECK(run_show(mixed() | async::recover([](const rill::err_info&) { return 0; })) == "1 0 3 4 0");
    auto partly = [](rill::err_info e) -> asio::awaitable<rill::result<int>> {
        if (e.message == "x") co_return -1;
        co_return rill::err("R", e.message);
    };
    CHECK(run_show(async::recover(mixed(), partly)) == "1 -1 3 4 R:y");
}

TEST_CASE("named labels the provenance of the stages before it") {
    auto parse = [](int v) -> rill::result<int> {
        if (v == 2) return rill::err("PARSE", "two");
        return v;
    };
    auto s = async::of(1, 2) | async::try_map(parse) | async::named("parse");
    auto v = items(s);
    REQUIRE(!v[1].has_value());
    std::ostringstream os;
    os << v[1].error();
    CHECK(os.str() == "PARSE: two [at parse (try_map) #1]");
    CHECK(show(items(async::named(s, "again"))) == "1 PARSE:two");
}

TEST_CASE("stages compose into fragments with |") {
    auto fragment = async::map([](int v) { return v + 1; }) | async::filter([](int v) { return v % 2 == 0; }) |
                    async::take(2);
    CHECK(run_show(async::iota(0, 100) | fragment) == "2 4");
}

TEST_CASE("an exception from a user function propagates after the run is closed") {
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource(acquire_async(l, "r"), release_async(l),
                                   [](std::string&) { return async::iota(0, 10); }) |
             async::map([](int v) {
                 if (v == 2) throw boom();
                 return v;
             });
    CHECK_THROWS_AS(items(s), boom);
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    auto p = async::using_resource(acquire_async(l, "r"), release_async(l),
                                   [](std::string&) { return async::iota(0, 10); }) |
             async::filter([](int v) -> bool {
                 if (v == 1) throw boom();
                 return true;
             });
    CHECK_THROWS_AS(async::run(async::for_each(p, [](int) {})), boom);
    CHECK(l->str() == "open r | close r failed");
}
