// rill::async::stream<T>: the type-erased async stream. Holds any replayable
// async stream of T, replays, forwards next() and close(exit_case) to the
// erased run, keeps take's pull bound, Err items and provenance.
#include "support.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <doctest/doctest.h>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

using namespace rill_async_test;

static_assert(async::any_stream<async::stream<int>>);
static_assert(std::is_copy_constructible_v<async::stream<int>> && std::is_default_constructible_v<async::stream<int>>);
static_assert(async::cursor<async::stream<int>::cursor>);
static_assert(std::is_convertible_v<decltype(async::of(1)), async::stream<int>>);
static_assert(!std::is_convertible_v<decltype(async::of(1)), async::stream<long>>);
static_assert(!std::is_convertible_v<decltype(rill::of(1)), async::stream<int>>); // a sync stream: async::from it

namespace {
auto logged(std::shared_ptr<event_log> l) {
    return async::using_resource(acquire_async(l, "r"), release_async(l),
                                 [](std::string&) { return async::iota(0, 5); });
}
} // namespace

TEST_CASE("stream<T> holds any async stream of T and replays it; default-constructed it has no items") {
    async::stream<int> s = async::iota(0, 10) | async::filter([](int x) { return x % 3 == 0; });
    CHECK(run_show(s) == "0 3 6 9");
    CHECK(run_show(s) == "0 3 6 9");
    async::stream<int> copy = s;
    CHECK(run_show(copy | async::map([](int x) { return x + 1; })) == "1 4 7 10");
    CHECK(run_show(async::stream<int>{}).empty());
    s = async::of(7);
    CHECK(run_show(s) == "7");
    CHECK(run_show(copy) == "0 3 6 9"); // copies share the description, not the variable
}

TEST_CASE("stream<T> lets different pipelines share a type") {
    std::vector<async::stream<int>> parts{async::of(1, 2), async::iota(10, 12) | async::map([](int x) { return -x; }),
                                          async::empty<int>()};
    std::string all;
    for (const auto& p : parts) all += run_show(p) + ";";
    CHECK(all == "1 2;-10 -11;;");
    auto f = [](int x) -> async::stream<int> {
        if (x % 2 == 0) return async::iota(0, x);
        return async::pure(x) | async::map([](int y) { return y * 100; });
    };
    CHECK(run_show(async::of(1, 2, 3) | async::and_then(f)) == "100 0 1 300");
    CHECK(run_show(async::concat(parts[0], parts[1])) == "1 2 -10 -11");
}

TEST_CASE("stream<T> passes Err items and their provenance unchanged") {
    auto parse = [](int v) -> rill::result<int> {
        if (v == 2) return rill::err("PARSE", "two");
        return v;
    };
    async::stream<int> s = async::of(1, 2, 3) | async::try_map(parse);
    auto v = items(s);
    CHECK(show(v) == "1 PARSE:two 3");
    REQUIRE(v[1].error().trace.size() == 1);
    CHECK(v[1].error().trace[0].op == "try_map");
    CHECK(v[1].error().trace[0].index == 1);
}

TEST_CASE("take over a stream<T> pulls at most k items from the erased pipeline") {
    auto pulls = std::make_shared<int>(0);
    async::stream<int> s = counted(100, pulls);
    CHECK(run_show(s | async::take(3)) == "0 1 2");
    CHECK(*pulls == 3);
    *pulls = 0;
    CHECK(run_show(s | async::take(0)).empty());
    CHECK(*pulls == 0);
}

TEST_CASE("stream<T>'s cursor forwards next() and close(exit_case), and closes once") {
    auto l = std::make_shared<event_log>();
    async::stream<int> s = logged(l);
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        CHECK(l->events.empty()); // open() does nothing else
        auto a = co_await c.next();
        CHECK(**a == 0);
        co_await c.close(rill::exit_case::failed); // passed on to the erased run
        co_await c.close();
        auto after = co_await c.next();
        CHECK(!after);
        auto none = async::stream<int>{}.open();
        auto nothing = co_await none.next();
        CHECK(!nothing);
        co_await none.close();
    }());
    CHECK(l->str() == "open r | close r failed");
}

TEST_CASE("stream<T> forwards each close(exit_case) to the erased cursor, once") {
    struct probe {
        using value_type = int;
        std::shared_ptr<event_log> l;
        struct cursor {
            using value_type = int;
            std::shared_ptr<event_log> l;
            asio::awaitable<async::item<int>> next() { co_return std::nullopt; }
            asio::awaitable<void> close(rill::exit_case how = rill::exit_case::stopped_early) {
                std::ostringstream os;
                os << "close " << how;
                l->add(os.str());
                co_return;
            }
        };
        cursor open() const { return cursor{l}; }
    };
    auto l = std::make_shared<event_log>();
    async::stream<int> s = probe{l};
    CHECK(run_show(s).empty());
    CHECK(l->str() == "close completed");
    l->events.clear();
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        co_await c.close(rill::exit_case::failed);
        co_await c.close(); // the erased run is gone: not closed twice
    }());
    CHECK(l->str() == "close failed");
}

TEST_CASE("stream<T>: the sinks close the erased run with how it ended") {
    auto l = std::make_shared<event_log>();
    async::stream<int> s = logged(l);
    CHECK(run_show(s) == "0 1 2 3 4");
    CHECK(l->str() == "open r | close r completed");
    l->events.clear();
    CHECK(run_show(s | async::take(2)) == "0 1");
    CHECK(l->str() == "open r | close r stopped_early");
    l->events.clear();
    CHECK_THROWS_AS(async::run(async::for_each(s, [](int x) {
                        if (x == 1) throw boom();
                    })),
                    boom);
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    using namespace asio::experimental::awaitable_operators;
    async::stream<int> slow = async::using_resource(acquire_async(l, "r"), release_async(l), [](std::string&) {
        return async::iota(0) | async::tap([](const int&) -> asio::awaitable<void> { co_await sleep_for(1ms); });
    });
    async::run([&]() -> asio::awaitable<void> {
        auto work = async::count(slow);
        auto timer = sleep_for(10ms);
        auto winner = co_await (std::move(work) || std::move(timer));
        CHECK(winner.index() == 1);
    }());
    CHECK(l->str() == "open r | close r failed");
}

TEST_CASE("a stream<T> cursor destroyed without close() leaves the erased run's release to its destructor") {
    auto l = std::make_shared<event_log>();
    async::stream<int> s = logged(l);
    const std::size_t before = async::unclosed_releases();
    asio::io_context ctx;
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto c = s.open();
        auto a = co_await c.next();
        CHECK(**a == 0);
    }()); // destroyed, not closed
    CHECK(async::unclosed_releases() == before + 1);
    ctx.restart();
    ctx.run(); // the detached release
    CHECK(l->str() == "open r | close r stopped_early");
}

// The one-shot mark of a channel's stream travels down a pipeline, so that
// stream<T> (which may be run many times) refuses the pipeline too.
static_assert(rill::detail::declares_one_shot<decltype(std::declval<rill::async::channel<int>&>().stream())>);
static_assert(rill::detail::declares_one_shot<decltype(std::declval<rill::async::channel<int>&>().stream() |
                                                       rill::async::map([](int x) { return x; }))>);
static_assert(!rill::detail::declares_one_shot<decltype(rill::async::iota(0, 3) |
                                                        rill::async::map([](int x) { return x; }))>);
