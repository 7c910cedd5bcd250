// rill::async::par_map: bounded concurrency, input order or completion order,
// Err items in place, look-ahead bound, exceptions, early stop cancelling calls.
#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace rill_async_test;

namespace {
// An awaitable call that takes (10 - x) ms, recording how many calls run at once.
struct slow_square {
    std::shared_ptr<int> running = std::make_shared<int>(0);
    std::shared_ptr<int> most = std::make_shared<int>(0);
    asio::awaitable<int> operator()(int x) const {
        *most = std::max(*most, ++*running);
        struct leave {
            int& n;
            ~leave() { --n; }
        } guard{*running};
        co_await sleep_for(std::chrono::milliseconds(10 - x));
        co_return x * x;
    }
};
} // namespace

TEST_CASE("par_map runs up to concurrency calls at once and keeps input order") {
    slow_square f;
    auto s = async::iota(0, 8) | async::par_map(f, {.concurrency = 3});
    CHECK(run_show(s) == "0 1 4 9 16 25 36 49");
    CHECK(*f.most == 3);
    CHECK(*f.running == 0);
}

TEST_CASE("par_map unordered gives items as their calls end") {
    // The call for 1 ends only once the consumer has seen 25: only completion order can give "25 1".
    async::channel<int> gate(1);
    auto f = [gate](int x) -> asio::awaitable<int> {
        if (x == 1) co_await gate.receive();
        co_return x * x;
    };
    auto s = async::par_map(async::of(1, 5), f, {.concurrency = 2, .ordered = false}) |
             async::tap([gate](const int&) { gate.try_send(0); });
    CHECK(run_show(s) == "25 1");
}

TEST_CASE("par_map keeps Err items in their place without calling f") {
    rill::result<int> bad = rill::err("E", "x");
    int calls = 0;
    auto s = async::of(rill::result<int>(1), bad, rill::result<int>(3)) |
             async::par_map([&](int v) { ++calls; return v * 10; }, {.concurrency = 2});
    CHECK(run_show(s) == "10 E:x 30");
    CHECK(calls == 2);
}

TEST_CASE("par_map pulls at most concurrency items ahead of the consumer") {
    auto pulls = std::make_shared<int>(0);
    slow_square f;
    auto s = counted(100, pulls) | async::par_map(f, {.concurrency = 3}) | async::take(2);
    CHECK(run_show(s) == "0 1");
    CHECK(*pulls <= 2 + 3);
    CHECK(*f.running == 0); // the calls in flight were cancelled and ended before the run did
}

TEST_CASE("par_map: an exception from f propagates after the other calls ended and the resource was released") {
    auto l = std::make_shared<event_log>();
    slow_square f;
    auto throwing = [f](int x) -> asio::awaitable<int> {
        if (x == 2) throw boom();
        co_return co_await f(x);
    };
    auto s = async::using_resource(acquire_async(l, "r"), release_async(l),
                                   [](std::string&) { return async::iota(0, 10); }) |
             async::par_map(throwing, {.concurrency = 3});
    CHECK_THROWS_AS(items(s), boom);
    CHECK(*f.running == 0);
    CHECK(l->str() == "open r | close r failed");
    CHECK_THROWS_AS(async::par_map(f, {.concurrency = 0}), std::invalid_argument);
}
