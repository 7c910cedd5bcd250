// rill::async::merge: every side runs concurrently on the run's executor, items
// in arrival order, Err items unchanged, at most one item ahead per side, each
// side closed exactly once on every way the run ends (end, early stop, an
// exception from a side or from the consumer, cancellation), promptly.
#include "support.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <sstream>

using namespace rill_async_test;

namespace {

// A side holding a resource NAME (logged "open NAME" / "close NAME <how>")
// that yields base, base+1, ... (n items), waiting `gap` before each.
auto side(std::shared_ptr<event_log> l, std::string name, int base, int n, std::chrono::milliseconds gap) {
    auto body = [base, n, gap](async::yielder<int>& out) -> asio::awaitable<void> {
        for (int i = 0; i < n; ++i) {
            co_await sleep_for(gap);
            if (!co_await out(base + i)) co_return;
        }
    };
    return async::using_resource(acquire_async(l, name), release_async(l),
                                 [body](std::string&) { return async::generate<int>(body); });
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

std::string printed(const rill::err_info& e) {
    std::ostringstream os;
    os << e;
    return os.str();
}

// The items of `v` that pass `p` (Ok values or Err messages), in order, shown.
template <class P>
std::string only(const std::vector<rill::result<int>>& v, P p) {
    std::vector<rill::result<int>> out;
    for (const auto& r : v)
        if (p(r)) out.push_back(r);
    return show(out);
}

} // namespace

TEST_CASE("merge gives every item of every side, each side's in order, Err items unchanged in any position") {
    rill::result<int> first = rill::err("E", "a"), last = rill::err("E", "b");
    auto a = async::of(first, rill::result<int>(1), rill::result<int>(2));   // an Err first
    auto b = async::of(rill::result<int>(10), rill::result<int>(20), last); // an Err last
    rill::result<int> middle = rill::err("E", "c");
    auto mid = async::of(rill::result<int>(100), middle, rill::result<int>(300)); // an Err in the middle
    auto v = items(async::merge(a, b, mid));
    REQUIRE(v.size() == 9);
    auto from_a = [](const rill::result<int>& r) { return r ? *r < 10 : r.error().message == "a"; };
    auto from_b = [](const rill::result<int>& r) { return r ? *r >= 10 && *r < 100 : r.error().message == "b"; };
    auto from_mid = [](const rill::result<int>& r) { return r ? *r >= 100 : r.error().message == "c"; };
    CHECK(only(v, from_a) == "E:a 1 2");
    CHECK(only(v, from_b) == "10 20 E:b");
    CHECK(only(v, from_mid) == "100 E:c 300");
    // Provenance: as the side gave it, nothing added by merge.
    for (const auto& r : v) {
        if (r) continue;
        const rill::result<int> alone =
            r.error().message == "a" ? items(a)[0] : r.error().message == "b" ? items(b)[2] : items(mid)[1];
        CHECK(printed(r.error()) == printed(alone.error()));
    }
    CHECK(run_show(async::merge(a)) == "E:a 1 2");
}

TEST_CASE("merge gives items as they arrive, which only sides running concurrently can do") {
    // b yields only once the consumer has seen a's first item, and a its second
    // only once the consumer has seen b's: the one order possible is "0 100 1".
    async::channel<int> to_a(1), to_b(1);
    auto a = async::generate<int>([to_a](async::yielder<int>& out) -> asio::awaitable<void> {
        if (!co_await out(0)) co_return;
        co_await to_a.receive();
        co_await out(1);
    });
    auto b = async::generate<int>([to_b](async::yielder<int>& out) -> asio::awaitable<void> {
        co_await to_b.receive();
        co_await out(100);
    });
    auto open_gates = async::tap([to_a, to_b](const int& v) {
        if (v == 0) to_b.try_send(0);
        if (v == 100) to_a.try_send(0);
    });
    CHECK(run_show(async::merge(a, b) | open_gates) == "0 100 1");
    CHECK(run_show(a | async::merge_with(b) | open_gates) == "0 100 1");
}

TEST_CASE("merge_with is the pipe form: a | merge_with(b, c) is merge(a, b, c)") {
    auto s = async::of(1) | async::merge_with(async::of(2), async::iota(3, 5));
    auto v = items(s);
    std::vector<int> got;
    for (const auto& r : v) got.push_back(*r);
    std::sort(got.begin(), got.end());
    CHECK(got == std::vector<int>{1, 2, 3, 4});
    CHECK(items(s).size() == 4); // replays
}

TEST_CASE("merge pulls nothing before its first next(), then at most one item ahead per side") {
    auto pa = std::make_shared<int>(0), pb = std::make_shared<int>(0);
    auto s = async::merge(counted(100, pa), counted(100, pb));
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        co_await sleep_for(1ms);
        CHECK(*pa + *pb == 0);
        for (int k = 1; k <= 10; ++k) {
            auto r = co_await c.next();
            CHECK(r.has_value());
            CHECK(*pa + *pb <= k + 2);
            co_await sleep_for(0ms); // the sides run ahead: each parks with its next item
            CHECK(*pa + *pb == k + 2);
        }
        co_await c.close();
    }());
    *pa = *pb = 0;
    CHECK(async::run(async::count(s | async::take(4))) == 4);
    CHECK(*pa + *pb <= 4 + 2);
}

TEST_CASE("merge closes a side as soon as it ends, while the others go on") {
    auto l = std::make_shared<event_log>();
    auto a = async::using_resource(acquire_async(l, "a"), release_async(l),
                                   [](std::string&) { return async::of(1); });
    // b waits (boundedly) until a has been closed, then yields.
    auto b = async::generate<int>([l](async::yielder<int>& out) -> asio::awaitable<void> {
        for (int i = 0; i < 2000 && occurrences(l->str(), "close a") == 0; ++i) co_await sleep_for(1ms);
        co_await out(2);
    });
    auto s = async::merge(a, b) | async::tap([l](const int& v) { l->add("got " + std::to_string(v)); });
    CHECK(run_show(s) == "1 2");
    CHECK(l->str() == "open a | got 1 | close a completed | got 2");
}

TEST_CASE("merge through next() and close() by hand: every side closed once, close idempotent") {
    auto l = std::make_shared<event_log>();
    auto s = async::merge(side(l, "a", 0, 5, 1ms), side(l, "b", 100, 5, 1ms));
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        auto x = co_await c.next();
        auto y = co_await c.next();
        CHECK((x && *x && y && *y));
        co_await sleep_for(50ms); // each side parks with its next item: closed stopped_early
        co_await c.close();
        co_await c.close();
        auto after = co_await c.next();
        CHECK(!after);
    }());
    CHECK(occurrences(l->str(), "close a stopped_early") == 1);
    CHECK(occurrences(l->str(), "close b stopped_early") == 1);
    CHECK(occurrences(l->str(), "close") == 2);
    // Closed before the first next(): the sides' runs are closed without being started.
    l->events.clear();
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        co_await c.close();
    }());
    CHECK(l->str().empty()); // nothing acquired, nothing released
}

TEST_CASE("an early stop returns promptly, cancelling sides that would take much longer") {
    auto l = std::make_shared<event_log>();
    auto s = async::merge(side(l, "fast", 0, 1000, 1ms), side(l, "slow", 100, 3, 10s)) | async::take(3);
    asio::io_context ctx;
    const auto start = std::chrono::steady_clock::now();
    CHECK(async::run(ctx, async::count(s)) == 3);
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(ctx.stopped()); // no timer, no coroutine left behind
    // The slow side was interrupted in the middle of a pull (its generator
    // waits on a timer): a cancellation went through it, so `failed`. The fast
    // side had just handed out the third item and was parked: stopped_early.
    CHECK(occurrences(l->str(), "open slow") == 1);
    CHECK(occurrences(l->str(), "close slow failed") == 1);
    CHECK(occurrences(l->str(), "close fast stopped_early") == 1);
    CHECK(occurrences(l->str(), "close") == 2);
    // A side still acquiring when the run stops is cancelled there: nothing to release.
    l->events.clear();
    auto quick = async::merge(async::iota(0, 1000), side(l, "slow", 100, 3, 10s)) | async::take(3);
    CHECK(async::run(ctx, async::count(quick)) == 3);
    CHECK(ctx.stopped());
    CHECK(l->str().empty());
}

TEST_CASE("an exception from a side reaches the consumer once, after the other sides are closed") {
    auto l = std::make_shared<event_log>();
    auto bad = async::using_resource(acquire_async(l, "bad"), release_async(l), [](std::string&) {
        return async::generate<int>([](async::yielder<int>& out) -> asio::awaitable<void> {
            co_await out(-1);
            co_await sleep_for(5ms);
            throw boom();
        });
    });
    auto s = async::merge(side(l, "a", 0, 3, 10s), bad, side(l, "b", 100, 1000, 1ms));
    std::string at_catch;
    asio::io_context ctx;
    const auto start = std::chrono::steady_clock::now();
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto sink = async::count(s);
        try {
            co_await std::move(sink);
        } catch (const boom&) {
            at_catch = l->str();
        }
    }());
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK(ctx.stopped());
    CHECK(at_catch == l->str()); // everything was closed before the exception arrived
    CHECK(occurrences(at_catch, "close bad failed") == 1);
    CHECK(occurrences(at_catch, "close a failed") == 1);
    CHECK(occurrences(at_catch, "close b failed") == 1);
    CHECK(at_catch.find("close bad failed") < at_catch.find("close a failed"));

    // By hand: next() throws once, then the run is over.
    l->events.clear();
    async::run([&]() -> asio::awaitable<void> {
        auto c = s.open();
        int thrown = 0, got = 0;
        for (;;) {
            try {
                auto r = co_await c.next();
                if (!r) break;
                ++got;
            } catch (const boom&) {
                ++thrown;
            }
        }
        CHECK(thrown == 1);
        CHECK(got >= 1);
        co_await c.close();
    }());
    CHECK(occurrences(l->str(), "close") == 3);
}

TEST_CASE("an exception from the consumer closes every side once (failed)") {
    auto l = std::make_shared<event_log>();
    auto s = async::merge(side(l, "a", 0, 3, 10s), side(l, "b", 100, 1000, 1ms));
    auto f = [](int v) {
        if (v == 102) throw boom();
    };
    CHECK_THROWS_AS(async::run(async::for_each(s, f)), boom);
    CHECK(occurrences(l->str(), "close a failed") == 1);
    CHECK(occurrences(l->str(), "close b failed") == 1);
}

TEST_CASE("cancelling the consumer cancels the sides and closes each once") {
    using namespace asio::experimental::awaitable_operators;
    auto l = std::make_shared<event_log>();
    auto s = async::merge(side(l, "a", 0, 3, 10s), side(l, "b", 100, 3, 10s));
    asio::io_context ctx;
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto work = async::count(s);
        auto timer = sleep_for(5ms);
        auto winner = co_await (std::move(work) || std::move(timer));
        CHECK(winner.index() == 1);
        l->add("timed out");
    }());
    CHECK(ctx.stopped());
    CHECK(occurrences(l->str(), "close a failed") == 1);
    CHECK(occurrences(l->str(), "close b failed") == 1);
    CHECK(l->events.back() == "timed out");
}

TEST_CASE("a merge cursor destroyed without close() cancels its sides, which unwind on the executor") {
    auto l = std::make_shared<event_log>();
    auto s = async::merge(async::iota(0, 10), side(l, "slow", 100, 3, 10s));
    const std::size_t before = async::unclosed_releases();
    asio::io_context ctx;
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto c = s.open();
        co_await c.next();
    }());
    CHECK(async::unclosed_releases() > before);
    const auto start = std::chrono::steady_clock::now();
    ctx.run();
    CHECK(std::chrono::steady_clock::now() - start < 2s);
}
