// rill::async sources: from, of, pure, empty, failed, iota, paginate.
#include "support.hpp"

#include <doctest/doctest.h>

using namespace rill_async_test;

TEST_CASE("of, pure, empty, failed and iota give the items of their sync twins") {
    CHECK(run_show(async::of(1, 2, 3)) == "1 2 3");
    CHECK(run_show(async::pure(std::string("x"))) == "x");
    CHECK(run_show(async::empty<int>()).empty());
    CHECK(run_show(async::failed<int>(rill::err_info{"E", "m"})) == "E:m");
    CHECK(run_show(async::iota(2, 5)) == "2 3 4");
    CHECK(run_show(async::iota(0) | async::take(3)) == "0 1 2");
    rill::result<int> bad = rill::err("E", "m");
    CHECK(run_show(async::of(rill::result<int>(1), bad, rill::result<int>(3))) == "1 E:m 3");
}

TEST_CASE("from takes a sync stream or a range, and replays") {
    std::vector<int> v{4, 5, 6};
    auto s = async::from(v);
    CHECK(run_show(s) == "4 5 6");
    CHECK(run_show(s) == "4 5 6");
    CHECK(run_show(async::from(rill::of(1, 2) | rill::map([](int x) { return x + 1; }))) == "2 3");
}

TEST_CASE("building a stream pulls nothing - take pulls at most n items") {
    auto pulls = std::make_shared<int>(0);
    auto s = counted(1000, pulls) | async::take(5);
    CHECK(*pulls == 0);
    CHECK(run_show(s) == "0 1 2 3 4");
    CHECK(*pulls == 5);
}

TEST_CASE("from lets other handlers run during a long synchronous stream") {
    asio::io_context ctx;
    int ticks = 0;
    asio::post(ctx, [&] { ++ticks; });
    std::size_t seen_before_tick = 0;
    auto s = async::iota(0, 2000) | async::tap([&](int) {
                 if (ticks == 0) ++seen_before_tick;
             });
    CHECK(async::run(ctx, async::count(s)) == 2000);
    CHECK(ticks == 1);
    CHECK(seen_before_tick <= async::from_yield_every);
}

TEST_CASE("from closes the sync run early: its resources are released then") {
    auto released = std::make_shared<int>(0);
    auto sync = rill::using_resource([] { return 1; }, [released](int&) { ++*released; },
                                     [](int&) { return rill::iota(0, 100); });
    CHECK(run_show(async::from(sync) | async::take(2)) == "0 1");
    CHECK(*released == 1);
}

TEST_CASE("paginate fetches pages lazily with an awaitable fetch and stops at the first empty page") {
    auto fetched = std::make_shared<std::vector<std::size_t>>();
    auto pages = async::paginate([fetched](std::size_t page) -> asio::awaitable<rill::result<std::vector<int>>> {
        co_await sleep_for(1ms);
        fetched->push_back(page);
        if (page == 3) co_return std::vector<int>{};
        co_return std::vector<int>{int(page) * 10, int(page) * 10 + 1};
    });
    CHECK(fetched->empty());
    CHECK(run_show(pages | async::take(3)) == "0 1 10");
    CHECK(*fetched == std::vector<std::size_t>{0, 1});
    fetched->clear();
    CHECK(run_show(pages) == "0 1 10 11 20 21");
    CHECK(*fetched == std::vector<std::size_t>{0, 1, 2, 3});
}

TEST_CASE("paginate: a failed page is the run's last item, with its page in the provenance") {
    auto pages = async::paginate([](std::size_t page) -> rill::result<std::vector<int>> {
        if (page == 1) return rill::err("HTTP", "503");
        return std::vector<int>{7};
    });
    auto v = items(pages);
    CHECK(show(v) == "7 HTTP:503");
    REQUIRE(v[1].error().trace.size() == 1);
    CHECK(v[1].error().trace[0].op == "paginate");
    CHECK(v[1].error().trace[0].index == 1);
}
