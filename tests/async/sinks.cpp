// rill::async sinks (collect, try_collect, partition, fold, for_each, count),
// async::run, and async::to_sync (an async stream consumed from sync code).
#include "support.hpp"

#include <doctest/doctest.h>

using namespace rill_async_test;

namespace {
auto mixed() {
    rill::result<int> x = rill::err("E", "x");
    return async::of(rill::result<int>(1), x, rill::result<int>(3));
}
} // namespace

TEST_CASE("collect, partition and count see every item") {
    CHECK(run_show(mixed()) == "1 E:x 3");
    auto [values, errors] = async::run(async::partition(mixed()));
    CHECK(values == std::vector<int>{1, 3});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == "x");
    CHECK(async::run(async::count(mixed())) == 3);
}

TEST_CASE("try_collect gives all values, or the first Err and stops the run there") {
    auto ok = async::run(async::try_collect(async::of(1, 2)));
    REQUIRE(ok.has_value());
    CHECK(*ok == std::vector<int>{1, 2});
    auto pulls = std::make_shared<int>(0);
    auto bad = async::run(async::try_collect(counted(100, pulls, 3)));
    REQUIRE(!bad.has_value());
    CHECK(bad.error().message == "2");
    CHECK(*pulls == 3);
}

TEST_CASE("fold folds Ok values (plain or awaitable), or gives the first Err") {
    auto sum = async::run(async::fold(async::iota(1, 5), 0, [](int a, int v) { return a + v; }));
    CHECK(sum == rill::result<int>(10));
    auto later = [](std::string a, int v) -> asio::awaitable<std::string> { co_return a + std::to_string(v); };
    CHECK(async::run(async::fold(async::iota(1, 4), std::string(">"), later)) == rill::result<std::string>(">123"));
    auto failed = async::run(async::fold(mixed(), 0, [](int a, int v) { return a + v; }));
    REQUIRE(!failed.has_value());
    CHECK(failed.error().message == "x");
}

TEST_CASE("for_each calls f on Ok values (plain or awaitable) and returns the Err items") {
    std::vector<int> seen;
    auto errors = async::run(async::for_each(mixed(), [&](int v) { seen.push_back(v); }));
    CHECK(seen == std::vector<int>{1, 3});
    REQUIRE(errors.size() == 1);
    seen.clear();
    auto later = [&](int v) -> asio::awaitable<void> {
        co_await sleep_for(1ms);
        seen.push_back(v);
    };
    CHECK(async::run(async::for_each(async::iota(0, 3), later)).empty());
    CHECK(seen == std::vector<int>{0, 1, 2});
}

TEST_CASE("run works on an io_context, its executor, or a private context, and rethrows") {
    asio::io_context ctx;
    CHECK(async::run(ctx, async::count(async::iota(0, 3))) == 3);
    CHECK(async::run(ctx.get_executor(), async::count(async::iota(0, 4))) == 4);
    auto throws = []() -> asio::awaitable<int> {
        throw boom();
        co_return 0;
    };
    CHECK_THROWS_AS(async::run(ctx, throws()), boom);
    async::run(ctx, []() -> asio::awaitable<void> { co_return; }());
}

TEST_CASE("to_sync: an async stream as a sync rill stream, each run on its own io_context") {
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource(acquire_async(l, "r"), release_async(l),
                                   [](std::string&) { return async::iota(0, 4); });
    auto sync = async::to_sync(s);
    CHECK(rill::collect(sync | rill::map([](int v) { return v * 2; })).size() == 4);
    CHECK(l->str() == "open r | close r completed");
    l->events.clear();
    int n = 0;
    for (auto&& r : sync) {
        CHECK(r.has_value());
        if (++n == 2) break;
    }
    CHECK(l->str() == "open r | close r stopped_early");
    l->events.clear();
    auto throwing = sync | rill::map([](int v) {
                        if (v == 1) throw boom();
                        return v;
                    });
    CHECK_THROWS_AS(rill::collect(throwing), boom);
    CHECK(l->str() == "open r | close r failed");
}

TEST_CASE("to_sync runs generate's body and its timers") {
    auto s = async::generate<int>([](async::yielder<int>& out) -> asio::awaitable<void> {
        for (int i = 0; i < 3; ++i) {
            co_await sleep_for(1ms);
            if (!co_await out(i)) co_return;
        }
    });
    CHECK(rill::collect(async::to_sync(s) | rill::take(2)).size() == 2);
    CHECK(rill::collect(async::to_sync(s)).size() == 3);
}
