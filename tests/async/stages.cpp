// rill::async stages through next()/close() and the sinks: map, try_map,
// filter, take, drop, take_while, enumerate, tap, map_err, recover, named;
// plain and awaitable functions; Err items in every position; both call forms.
#include "support.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

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

// --- the synchronous fast path (core.hpp, `drains`) ------------------------------------

namespace {
// A sink for try_drain() that records what it is given and stops after `stop_after` items.
struct recording_sink {
    std::vector<std::string> seen{};
    std::size_t stop_after = static_cast<std::size_t>(-1);
    bool ok(int&& v) { return add(std::to_string(v)); }
    bool err(rill::err_info&& e) { return add(e.code + ":" + e.message); }
    bool add(std::string s) {
        seen.push_back(std::move(s));
        return seen.size() < stop_after;
    }
};
} // namespace

TEST_CASE("fast path: plain stages over a sync source push what is ready, an awaitable function does not") {
    auto plain = async::iota(0, 10) | async::map([](int v) { return v + 1; }) |
                 async::filter([](int v) { return v % 2 == 0; }) |
                 async::try_map([](int v) -> rill::result<int> { return v; }) | async::tap([](int) {}) |
                 async::map_err([](rill::err_info e) { return e; }) | async::named("plain");
    static_assert(async::drains<async::cursor_t<decltype(plain)&>>);
    static_assert(async::drains<async::cursor_t<decltype(async::iota(0, 3) | async::enumerate())&>>);
    auto awaiting = async::iota(0, 10) | async::map(twice_later) | async::map([](int v) { return v; });
    static_assert(!async::drains<async::cursor_t<decltype(awaiting)&>>);
    // The stages above the awaitable one still give the same items through the sinks.
    CHECK(run_show(awaiting | async::take(3)) == "0 2 4");
}

TEST_CASE("fast path: try_drain() stops before each yield to the event loop, and next() goes on from there") {
    async::run([]() -> asio::awaitable<void> {
        const int n = static_cast<int>(async::from_yield_every) * 2 + 10;
        auto c = (async::iota(0, n) | async::map([](int v) { return v + 1; })).open();
        recording_sink sink;
        std::vector<std::size_t> pushed_in_a_row;
        for (;;) {
            const std::size_t before = sink.seen.size();
            const async::drained d = c.try_drain(sink);
            pushed_in_a_row.push_back(sink.seen.size() - before);
            if (d == async::drained::ended) break;
            REQUIRE(d == async::drained::pending);
            // Not ready now: the caller awaits, and that item comes from next().
            auto r = co_await c.next();
            REQUIRE(r);
            sink.seen.push_back(std::to_string(**r));
        }
        REQUIRE(sink.seen.size() == static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) CHECK(sink.seen[static_cast<std::size_t>(i)] == std::to_string(i + 1));
        CHECK(pushed_in_a_row == std::vector<std::size_t>{async::from_yield_every - 1, async::from_yield_every - 1, 10});
        CHECK(c.try_drain(sink) == async::drained::ended); // an ended run says so again
        co_await c.close();
    }());
}

TEST_CASE("fast path: a sink that stops gets no further item, and the run goes on where it stopped") {
    async::run([]() -> asio::awaitable<void> {
        rill::result<int> bad = rill::err("E", "m");
        auto c = (async::of(rill::result<int>(1), bad, rill::result<int>(3), rill::result<int>(4)) |
                  async::try_map([](int v) -> rill::result<int> {
                      if (v == 3) return rill::err("T", "three");
                      return v * 10;
                  }))
                     .open();
        recording_sink sink{{}, 2};
        CHECK(c.try_drain(sink) == async::drained::stopped);
        CHECK(sink.seen == std::vector<std::string>{"10", "E:m"});
        auto r = co_await c.next(); // the third item, stamped with its position by try_map
        REQUIRE(r);
        REQUIRE(!r->has_value());
        CHECK(r->error().code == "T");
        REQUIRE(!r->error().trace.empty());
        CHECK(r->error().trace.back().index == 2);
        sink.stop_after = 10;
        CHECK(c.try_drain(sink) == async::drained::ended);
        CHECK(sink.seen.back() == "40");
        co_await c.close();
    }());
}

TEST_CASE("fast path: a filter that drops most items keeps each kept item once, in order") {
    const int n = static_cast<int>(async::from_yield_every) * 3;
    auto s = async::iota(0, n) | async::filter([](int v) { return v % 97 == 0; });
    CHECK(async::run(async::count(s)) == static_cast<std::size_t>((n + 96) / 97));
    auto v = async::run(async::collect(s));
    REQUIRE(v.size() == static_cast<std::size_t>((n + 96) / 97));
    for (std::size_t i = 0; i < v.size(); ++i) CHECK(*v[i] == static_cast<int>(i) * 97);
}
