// rill::async::chunk, scan, concat, zip and the sink to<C>: the sync operators'
// meaning and Err handling, through next()/close() and the sinks; exceptions
// from f, early stops and cancellation close every run exactly once; pulls.
#include "support.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace rill_async_test;

namespace {
// 1 E:x 3 4 E:y: Err items second, in the middle and last.
auto mixed() {
    rill::result<int> x = rill::err("E", "x"), y = rill::err("E", "y");
    return async::of(rill::result<int>(1), x, rill::result<int>(3), rill::result<int>(4), y);
}

// A chunk as text: "1,2,3".
auto joined = async::map([](std::vector<int> v) {
    std::string s;
    for (int x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
    return s;
});

// A pair of a zip as text: "a:1".
auto paired = async::map([](std::tuple<int, int> t) {
    return std::to_string(std::get<0>(t)) + ":" + std::to_string(std::get<1>(t));
});

// `src` inside a resource NAME logged as "open NAME" / "close NAME <exit_case>".
template <class S>
auto held(std::shared_ptr<event_log> l, std::string name, S src) {
    return async::using_resource(acquire_async(l, name), release_async(l), [src](std::string&) { return src; });
}

// Ok(0) ... Ok(n-1), logging "open NAME" at its first pull and "close NAME
// <exit_case>" at every close(): unlike using_resource, it does not release by
// itself at its end, so a close an operator forgets, or repeats, shows.
struct probe {
    using value_type = int;
    std::shared_ptr<event_log> l;
    std::string name;
    int n;

    struct cursor {
        using value_type = int;
        std::shared_ptr<event_log> l;
        std::string name;
        int n;
        int i = 0;
        bool started = false;
        asio::awaitable<async::item<int>> next() {
            if (!started) l->add("open " + name);
            started = true;
            if (i >= n) co_return std::nullopt;
            co_return rill::result<int>(i++);
        }
        asio::awaitable<void> close(rill::exit_case how = rill::exit_case::stopped_early) {
            std::ostringstream os;
            os << "close " << name << ' ' << how;
            l->add(os.str());
            co_return;
        }
    };
    cursor open() const { return cursor{l, name, n}; }
};

// 0, 1, 2, ... each after 1 ms: slow enough for a timer to cancel the consumer.
auto slow() {
    return async::iota(0) | async::tap([](const int&) -> asio::awaitable<void> { co_await sleep_for(1ms); });
}

// Runs `s` (counting its items) against a 10 ms timer that wins.
template <class S>
void cancelled_by_timer(const S& s) {
    using namespace asio::experimental::awaitable_operators;
    async::run([&]() -> asio::awaitable<void> {
        auto work = async::count(s);
        auto timer = sleep_for(10ms);
        auto winner = co_await (std::move(work) || std::move(timer));
        CHECK(winner.index() == 1);
    }());
}

auto thrower = [](int v) {
    if (v == 2) throw boom();
    return v;
};
} // namespace

// --- chunk ---------------------------------------------------------------------------

TEST_CASE("chunk groups Ok items by n, the last chunk shorter") {
    CHECK(run_show(async::iota(1, 6) | async::chunk(2) | joined) == "1,2 3,4 5");
    CHECK(run_show(async::chunk(async::iota(1, 7), 3) | joined) == "1,2,3 4,5,6");
    CHECK(run_show(async::empty<int>() | async::chunk(2) | joined).empty());
    CHECK_THROWS_AS(async::chunk(0), std::invalid_argument);
    CHECK_THROWS_AS(async::chunk(async::of(1), -1), std::invalid_argument);
}

TEST_CASE("chunk: an Err closes the chunk in progress and passes on its own, unchanged") {
    auto v = items(mixed() | async::chunk(3) | joined);
    CHECK(show(v) == "1 E:x 3,4 E:y");
    REQUIRE(v[1].error().trace.size() == 1); // of's frame only: chunk adds none
    CHECK(v[1].error().trace[0].op == "of");
    rill::result<int> a = rill::err("E", "a"), b = rill::err("E", "b");
    CHECK(run_show(async::of(a, rill::result<int>(1), rill::result<int>(2)) | async::chunk(2) | joined) == "E:a 1,2");
    CHECK(run_show(async::of(rill::result<int>(1), a, b, rill::result<int>(2)) | async::chunk(2) | joined) ==
          "1 E:a E:b 2");
    // An Err right after a full chunk: nothing to close.
    CHECK(run_show(async::of(rill::result<int>(1), rill::result<int>(2), a) | async::chunk(2) | joined) == "1,2 E:a");
}

TEST_CASE("chunk through next() and close(): the Err that closed a chunk comes next") {
    async::run([]() -> asio::awaitable<void> {
        auto c = (mixed() | async::chunk(5)).open();
        auto first = co_await c.next();
        REQUIRE(first);
        CHECK(**first == std::vector<int>{1});
        auto second = co_await c.next();
        REQUIRE(second);
        CHECK(second->error().message == "x");
        auto third = co_await c.next();
        CHECK(**third == std::vector<int>{3, 4});
        co_await c.close();
        co_await c.close();
    }());
}

TEST_CASE("chunk pulls n items per chunk, and an early stop closes upstream once") {
    auto pulls = std::make_shared<int>(0);
    CHECK(run_show(counted(100, pulls) | async::chunk(3) | async::take(2) | joined) == "0,1,2 3,4,5");
    CHECK(*pulls == 6);
    auto l = std::make_shared<event_log>();
    CHECK(run_show(held(l, "r", async::iota(0, 10)) | async::chunk(4) | async::take(1) | joined) == "0,1,2,3");
    CHECK(l->str() == "open r | close r stopped_early");
    l->events.clear();
    CHECK(run_show(held(l, "r", async::iota(0, 3)) | async::chunk(2) | joined) == "0,1 2");
    CHECK(l->str() == "open r | close r completed");
}

TEST_CASE("chunk: an exception upstream mid-chunk, or downstream, closes upstream once (failed)") {
    auto l = std::make_shared<event_log>();
    CHECK_THROWS_AS(items(held(l, "r", async::iota(0, 5) | async::map(thrower)) | async::chunk(3)), boom);
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    auto s = held(l, "r", async::iota(0, 5)) | async::chunk(2);
    CHECK_THROWS_AS(async::run(async::for_each(s, [](std::vector<int>) { throw boom(); })), boom);
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    cancelled_by_timer(held(l, "r", slow()) | async::chunk(3));
    CHECK(l->str() == "open r | close r failed");
}

// --- scan ----------------------------------------------------------------------------

TEST_CASE("scan emits the running accumulator after each Ok item, init not emitted") {
    auto sum = [](int acc, int x) { return acc + x; };
    CHECK(run_show(async::of(1, 2, 3) | async::scan(0, sum)) == "1 3 6");
    CHECK(run_show(async::scan(async::of(1, 2, 3), 10, sum)) == "11 13 16");
    CHECK(run_show(async::empty<int>() | async::scan(0, sum)).empty());
    auto later = [](const std::string& acc, int x) -> asio::awaitable<std::string> {
        co_await sleep_for(std::chrono::milliseconds(0));
        co_return acc + std::to_string(x);
    };
    CHECK(run_show(async::of(1, 2, 3) | async::scan(std::string(">"), later)) == ">1 >12 >123");
}

TEST_CASE("scan: Err items pass unchanged and leave the accumulator as it is; each run starts from init") {
    auto sum = [](int acc, int x) { return acc + x; };
    auto s = mixed() | async::scan(0, sum);
    auto v = items(s);
    CHECK(show(v) == "1 E:x 4 8 E:y");
    REQUIRE(v[1].error().trace.size() == 1);
    CHECK(v[1].error().trace[0].op == "of");
    CHECK(items(s) == v); // replayed from init
}

TEST_CASE("scan through next() and close(), and pulls one item per item") {
    async::run([]() -> asio::awaitable<void> {
        auto c = async::scan(async::iota(1, 100), 0, [](int a, int x) { return a + x; }).open();
        auto a = co_await c.next();
        auto b = co_await c.next();
        CHECK(**a == 1);
        CHECK(**b == 3);
        co_await c.close();
        co_await c.close();
    }());
    auto pulls = std::make_shared<int>(0);
    CHECK(run_show(counted(100, pulls) | async::scan(0, [](int a, int x) { return a + x; }) | async::take(3)) ==
          "0 1 3");
    CHECK(*pulls == 3);
}

TEST_CASE("scan: an exception from f (plain or awaitable) closes upstream once (failed)") {
    auto l = std::make_shared<event_log>();
    auto plain = [](int acc, int x) { return acc + thrower(x); };
    CHECK_THROWS_AS(items(held(l, "r", async::iota(0, 5)) | async::scan(0, plain)), boom);
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    auto later = [](int acc, int x) -> asio::awaitable<int> {
        co_await sleep_for(std::chrono::milliseconds(0));
        co_return acc + thrower(x);
    };
    CHECK_THROWS_AS(items(held(l, "r", async::iota(0, 5)) | async::scan(0, later)), boom);
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    CHECK(run_show(held(l, "r", async::iota(0, 5)) | async::scan(0, later) | async::take(2)) == "0 1");
    CHECK(l->str() == "open r | close r stopped_early");
}

// --- concat --------------------------------------------------------------------------

TEST_CASE("concat gives each stream's items in turn, Err items included and unchanged") {
    auto v = items(async::concat(async::of(1, 2), mixed(), async::iota(7, 9)));
    CHECK(show(v) == "1 2 1 E:x 3 4 E:y 7 8");
    REQUIRE(v[3].error().trace.size() == 1);
    CHECK(v[3].error().trace[0].op == "of");
    CHECK(run_show(async::concat(async::empty<int>(), async::of(1), async::empty<int>())) == "1");
    CHECK(run_show(async::concat(mixed())) == "1 E:x 3 4 E:y");
    auto s = async::concat(async::of(1), async::of(2)) | async::map([](int x) { return x * 10; });
    CHECK(run_show(s) == "10 20");
    CHECK(run_show(s) == "10 20"); // replayed
}

TEST_CASE("concat closes each part's run before it opens the next") {
    auto l = std::make_shared<event_log>();
    auto s = async::concat(held(l, "a", async::iota(0, 2)), held(l, "b", async::iota(10, 12)),
                           held(l, "c", async::empty<int>()));
    CHECK(l->events.empty());
    CHECK(run_show(s) == "0 1 10 11");
    CHECK(l->str() == "open a | close a completed | open b | close b completed | open c | close c completed");
}

TEST_CASE("concat: an early stop closes the part in progress once; later parts are never opened") {
    auto l = std::make_shared<event_log>();
    auto s = async::concat(held(l, "a", async::iota(0, 2)), held(l, "b", async::iota(10, 12)));
    CHECK(run_show(s | async::take(3)) == "0 1 10");
    CHECK(l->str() == "open a | close a completed | open b | close b stopped_early");
    l->events.clear();
    CHECK(run_show(s | async::take(1)) == "0");
    CHECK(l->str() == "open a | close a stopped_early");
    auto p1 = std::make_shared<int>(0), p2 = std::make_shared<int>(0);
    CHECK(run_show(async::concat(counted(3, p1), counted(100, p2)) | async::take(4)) == "0 1 2 0");
    CHECK(*p1 == 3);
    CHECK(*p2 == 1);
}

TEST_CASE("concat through next() and close()") {
    auto l = std::make_shared<event_log>();
    auto s = async::concat(held(l, "a", async::of(1)), held(l, "b", async::of(2, 3)));
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        auto x = co_await c.next();
        auto y = co_await c.next();
        CHECK(**x == 1);
        CHECK(**y == 2);
        CHECK(l->str() == "open a | close a completed | open b");
        co_await c.close(rill::exit_case::failed); // passed on to the part in progress
        co_await c.close();
        auto after = co_await c.next();
        CHECK(!after);
    }());
    CHECK(l->str() == "open a | close a completed | open b | close b failed");
}

TEST_CASE("concat: an exception in a part, downstream, or a cancellation closes the part in progress once") {
    auto l = std::make_shared<event_log>();
    CHECK_THROWS_AS(items(async::concat(held(l, "a", async::of(1)), held(l, "b", async::iota(0, 5) | async::map(thrower)))),
                    boom);
    CHECK(l->str() == "open a | close a completed | open b | close b failed");
    l->events.clear();
    auto s = async::concat(held(l, "a", async::of(1)), held(l, "b", async::of(2)));
    CHECK_THROWS_AS(async::run(async::for_each(s, [](int x) { thrower(x); })), boom);
    CHECK(l->str() == "open a | close a completed | open b | close b failed");
    l->events.clear();
    cancelled_by_timer(async::concat(held(l, "a", async::of(1)), held(l, "b", slow())));
    CHECK(l->str() == "open a | close a completed | open b | close b failed");
}

// --- zip -----------------------------------------------------------------------------

TEST_CASE("zip pairs the i-th items and ends with the shorter stream") {
    CHECK(run_show(async::zip(async::iota(0, 3), async::iota(10)) | paired) == "0:10 1:11 2:12");
    CHECK(run_show(async::zip(async::iota(10), async::iota(0, 2)) | paired) == "10:0 11:1");
    auto triples = async::zip(async::of(std::string("a"), std::string("b")), async::iota(1), async::of('x', 'y', 'z'));
    auto v = items(triples);
    REQUIRE(v.size() == 2);
    CHECK(*v[1] == std::tuple<std::string, int, char>("b", 2, 'y'));
    CHECK(run_show(async::zip(async::iota(0, 2)) | async::map([](std::tuple<int> t) { return std::get<0>(t); })) ==
          "0 1");
}

TEST_CASE("zip: a round with an Err is its leftmost Err, unchanged; the round's other items are dropped") {
    rill::result<int> l1 = rill::err("L", "1"), r1 = rill::err("R", "1"), r2 = rill::err("R", "2");
    auto left = async::of(rill::result<int>(0), l1, rill::result<int>(2), rill::result<int>(3));
    auto right = async::of(rill::result<int>(10), r1, r2, rill::result<int>(13));
    auto v = items(async::zip(left, right) | paired);
    CHECK(show(v) == "0:10 L:1 R:2 3:13");
    REQUIRE(v[2].error().trace.size() == 1);
    CHECK(v[2].error().trace[0].op == "of");
    CHECK(v[2].error().trace[0].index == 2);
}

TEST_CASE("zip pulls left to right and stops at the first stream that ends") {
    auto p1 = std::make_shared<int>(0), p2 = std::make_shared<int>(0);
    CHECK(run_show(async::zip(counted(2, p1), counted(100, p2)) | paired) == "0:0 1:1");
    CHECK(*p1 == 2);
    CHECK(*p2 == 2); // the right stream is not pulled in the round where the left one ended
    *p1 = *p2 = 0;
    CHECK(run_show(async::zip(counted(100, p1), counted(2, p2)) | paired) == "0:0 1:1");
    CHECK(*p1 == 3); // pulled in the last round, then dropped
    *p1 = *p2 = 0;
    CHECK(run_show(async::zip(counted(100, p1), counted(100, p2)) | async::take(2) | paired) == "0:0 1:1");
    CHECK(*p1 == 2);
    CHECK(*p2 == 2);
}

TEST_CASE("zip closes every stream's run once at its end, last first: the ended one completed") {
    auto l = std::make_shared<event_log>();
    auto s = async::zip(held(l, "a", async::iota(0, 5)), held(l, "b", async::iota(0, 2)));
    CHECK(run_show(s | paired) == "0:0 1:1");
    CHECK(l->str() == "open a | open b | close b completed | close a stopped_early");
    l->events.clear();
    // The ended stream's using_resource releases as soon as it is exhausted.
    auto t = async::zip(held(l, "a", async::iota(0, 2)), held(l, "b", async::iota(0, 5)));
    CHECK(run_show(t | paired) == "0:0 1:1");
    CHECK(l->str() == "open a | open b | close a completed | close b stopped_early");
}

TEST_CASE("zip: an early stop, an exception or a cancellation closes every side once, last first") {
    auto l = std::make_shared<event_log>();
    auto s = async::zip(held(l, "a", async::iota(0, 5)), held(l, "b", async::iota(0, 5)));
    CHECK(run_show(s | async::take(1) | paired) == "0:0");
    CHECK(l->str() == "open a | open b | close b stopped_early | close a stopped_early");
    l->events.clear();
    auto throwing = async::zip(held(l, "a", async::iota(0, 5)), held(l, "b", async::iota(0, 5) | async::map(thrower)));
    CHECK_THROWS_AS(items(throwing), boom);
    CHECK(l->str() == "open a | open b | close b failed | close a failed");
    l->events.clear();
    CHECK_THROWS_AS(async::run(async::for_each(s, [](std::tuple<int, int> t) { thrower(std::get<0>(t)); })), boom);
    CHECK(l->str() == "open a | open b | close b failed | close a failed");
    l->events.clear();
    // Only b waits, so the cancellation reaches b's run first, which closes itself.
    cancelled_by_timer(async::zip(held(l, "a", async::iota(0)), held(l, "b", slow())));
    CHECK(l->str() == "open a | open b | close b failed | close a failed");
}

TEST_CASE("zip through next() and close()") {
    auto l = std::make_shared<event_log>();
    auto s = async::zip(held(l, "a", async::iota(0, 5)), held(l, "b", async::iota(5, 10)));
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        auto x = co_await c.next();
        CHECK(*x == rill::result<std::tuple<int, int>>(std::tuple(0, 5)));
        co_await c.close();
        co_await c.close();
        auto after = co_await c.next();
        CHECK(!after);
    }());
    CHECK(l->str() == "open a | open b | close b stopped_early | close a stopped_early");
}

// --- to<C> ---------------------------------------------------------------------------

TEST_CASE("to<C> fills any container with push_back or insert, or gives the first Err") {
    auto v = async::run(async::to<std::vector<int>>(async::of(3, 1, 3)));
    CHECK(v == rill::result<std::vector<int>>(std::vector<int>{3, 1, 3}));
    auto set = async::run(async::to<std::set<int>>(async::of(3, 1, 3)));
    CHECK(set == rill::result<std::set<int>>(std::set<int>{1, 3}));
    auto pairs = async::iota(1, 3) | async::map([](int x) { return std::pair(x, std::to_string(x)); });
    auto m = async::run(async::to<std::map<int, std::string>>(pairs));
    REQUIRE(m.has_value());
    CHECK(m->at(2) == "2");
    auto pulls = std::make_shared<int>(0);
    auto bad = async::run(async::to<std::set<int>>(counted(100, pulls, 3)));
    REQUIRE(!bad.has_value());
    CHECK(bad.error().message == "2");
    CHECK(*pulls == 3); // the run stops at the first Err
}

TEST_CASE("to<C> of result<T> keeps every item; the run is closed once on every end") {
    auto all = async::run(async::to<std::vector<rill::result<int>>>(mixed()));
    CHECK(show(all) == "1 E:x 3 4 E:y");
    auto l = std::make_shared<event_log>();
    rill::result<int> e = rill::err("E", "m");
    auto s = held(l, "r", async::of(rill::result<int>(1), e, rill::result<int>(3)));
    CHECK(!async::run(async::to<std::vector<int>>(s)).has_value());
    CHECK(l->str() == "open r | close r stopped_early");
    l->events.clear();
    CHECK(async::run(async::to<std::vector<rill::result<int>>>(s)).size() == 3);
    CHECK(l->str() == "open r | close r completed");
    l->events.clear();
    CHECK_THROWS_AS(async::run(async::to<std::vector<int>>(held(l, "r", async::iota(0, 5) | async::map(thrower)))),
                    boom);
    CHECK(l->str() == "open r | close r failed");
}

// --- every run closed exactly once, with how it ended --------------------------------

TEST_CASE("chunk and scan pass close(exit_case) on to upstream, once") {
    auto l = std::make_shared<event_log>();
    CHECK(run_show(probe{l, "a", 3} | async::chunk(2) | joined) == "0,1 2");
    CHECK(l->str() == "open a | close a completed");
    l->events.clear();
    CHECK(run_show(probe{l, "a", 3} | async::scan(0, [](int a, int x) { return a + x; }) | async::take(1)) == "0");
    CHECK(l->str() == "open a | close a stopped_early");
}

TEST_CASE("concat closes each part (completed) before it opens the next, and the part in progress on a stop") {
    auto l = std::make_shared<event_log>();
    auto s = async::concat(probe{l, "a", 2}, probe{l, "b", 2}, probe{l, "c", 0});
    CHECK(run_show(s) == "0 1 0 1");
    CHECK(l->str() == "open a | close a completed | open b | close b completed | open c | close c completed");
    l->events.clear();
    CHECK(run_show(s | async::take(3)) == "0 1 0");
    CHECK(l->str() == "open a | close a completed | open b | close b stopped_early");
}

TEST_CASE("zip closes every side once, last first: the side that ended completed, the others stopped_early") {
    auto l = std::make_shared<event_log>();
    CHECK(run_show(async::zip(probe{l, "a", 5}, probe{l, "b", 2}) | paired) == "0:0 1:1");
    CHECK(l->str() == "open a | open b | close b completed | close a stopped_early");
    l->events.clear();
    CHECK(run_show(async::zip(probe{l, "a", 2}, probe{l, "b", 5}) | paired) == "0:0 1:1");
    CHECK(l->str() == "open a | open b | close b stopped_early | close a completed");
    l->events.clear();
    CHECK(run_show(async::zip(probe{l, "a", 5}, probe{l, "b", 5}) | async::take(1) | paired) == "0:0");
    CHECK(l->str() == "open a | open b | close b stopped_early | close a stopped_early");
}
