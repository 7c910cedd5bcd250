// Async streams: docs/13-async.md.
#include "print.hpp"

#include <rill/async.hpp>
#include <rill/rill.hpp>

#include <asio/steady_timer.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace async = rill::async;

// [snippet:sleep_for]
// Waits on the executor of the coroutine that awaits it.
asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(d);
    co_await timer.async_wait(asio::use_awaitable);
}
// [/snippet:sleep_for]

// [snippet:fetch_page]
// A paginated API: pages 0, 1 and 2 have items, page 3 is empty.
asio::awaitable<rill::result<std::vector<std::string>>> fetch_page(std::size_t page) {
    co_await sleep_for(1ms); // the request
    if (page == 3) co_return std::vector<std::string>{};
    co_return std::vector<std::string>{"p" + std::to_string(page) + "a", "p" + std::to_string(page) + "b"};
}
// [/snippet:fetch_page]

int main() {
    std::cout << "== model ==\n";
    {
        // [snippet:model]
        auto s = async::iota(1, 6) | async::map([](int x) { return x * x; }); // nothing runs yet
        asio::io_context ctx;
        auto squares = async::run(ctx, async::collect(s)); // a run: opened, pulled, closed
        print(squares);
        auto again = async::run(ctx, async::collect(s));   // another run, from scratch
        std::cout << (squares == again ? "replayed\n" : "differs\n");
        // [/snippet:model]
    }
    std::cout << "== cursor ==\n";
    {
        // [snippet:cursor]
        auto s = async::of(10, 20, 30);
        async::run([&]() -> asio::awaitable<void> {
            auto c = s.open();               // a run; nothing pulled yet
            auto first = co_await c.next();  // std::optional<rill::result<int>>
            std::cout << "first: " << **first << '\n';
            co_await c.close();              // ends the run early; idempotent, never throws
        }());
        // [/snippet:cursor]
    }
    std::cout << "== generate ==\n";
    {
        // [snippet:generate]
        auto ticks = async::generate<int>([](async::yielder<int>& out) -> asio::awaitable<void> {
            std::cout << "connect\n";
            for (int i = 0;; ++i) {
                co_await sleep_for(1ms);
                if (i == 1) {
                    if (!co_await out(rill::err("TICK", "late"))) break; // an Err item, through a call
                    continue;
                }
                if (!co_await out(i)) break; // false: the consumer closed the run
            }
            co_await sleep_for(1ms); // asynchronous cleanup, finished before close() returns
            std::cout << "disconnect\n";
        });
        print(async::run(async::collect(ticks | async::take(3))));
        // [/snippet:generate]
    }
    std::cout << "== paginate ==\n";
    {
        // [snippet:paginate]
        auto records = async::paginate(fetch_page); // fetch(page) -> awaitable<result<vector<T>>>
        print(async::run(async::collect(records)));
        print(async::run(async::collect(records | async::take(3)))); // fetches pages 0 and 1 only
        // [/snippet:paginate]
    }
    std::cout << "== from ==\n";
    {
        // [snippet:from]
        auto parse = [](const std::string& s) -> rill::result<int> {
            if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
                return rill::err("PARSE", "not a number: " + s);
            return std::stoi(s);
        };
        auto sync = rill::from(std::vector<std::string>{"1", "x", "3"}) | rill::try_map(parse);
        print(async::run(async::collect(async::from(sync)))); // a sync stream, awaited item by item
        // [/snippet:from]
    }
    std::cout << "== stages ==\n";
    {
        // [snippet:stages]
        auto enrich = [](int id) -> asio::awaitable<std::string> { // an awaitable function
            co_await sleep_for(1ms);
            co_return "user" + std::to_string(id);
        };
        auto check = [](int id) -> rill::result<int> {
            if (id == 3) return rill::err("BANNED", "user 3");
            return id;
        };
        auto s = async::iota(1, 10)
               | async::filter([](int id) { return id % 2 == 1; })
               | async::try_map(check)
               | async::named("check")
               | async::map(enrich)
               | async::take(3);
        print(async::run(async::collect(s)));
        // [/snippet:stages]
    }
    std::cout << "== and_then ==\n";
    {
        // [snippet:and_then]
        auto pages_of = [](int user) { // each user's posts, a stream of its own
            return async::iota(0, user) | async::map([user](int i) { return user * 100 + i; });
        };
        print(async::run(async::collect(async::of(1, 2, 3) | async::and_then(pages_of))));
        // [/snippet:and_then]
    }
    std::cout << "== using_resource ==\n";
    {
        // [snippet:using_resource]
        auto open_conn = []() -> asio::awaitable<std::string> {
            co_await sleep_for(1ms);
            std::cout << "open\n";
            co_return std::string("conn");
        };
        auto close_conn = [](std::string& c, rill::exit_case how) -> asio::awaitable<void> {
            co_await sleep_for(1ms); // an awaited release: the run waits for it
            std::cout << "close " << c << " (" << how << ")\n";
        };
        auto rows = async::using_resource(open_conn, close_conn, [](std::string& c) {
            return async::iota(0, 100) | async::map([&c](int i) { return c + "#" + std::to_string(i); });
        });
        print(async::run(async::collect(rows | async::take(2))));
        // [/snippet:using_resource]
    }
    std::cout << "== sinks ==\n";
    {
        // [snippet:sinks]
        rill::result<int> bad = rill::err("E", "bad");
        auto s = async::of(rill::result<int>(1), bad, rill::result<int>(3));
        asio::io_context ctx;
        std::cout << "count: " << async::run(ctx, async::count(s)) << '\n';
        auto [values, errors] = async::run(ctx, async::partition(s));
        std::cout << "values: " << values.size() << ", errors: " << errors.size() << '\n';
        print_value(async::run(ctx, async::try_collect(s)));       // the first Err
        print_value(async::run(ctx, async::fold(async::iota(1, 5), 0, [](int a, int x) { return a + x; })));
        auto show = [](int x) -> asio::awaitable<void> { // an awaitable body, awaited before the next pull
            co_await sleep_for(1ms);
            std::cout << "got " << x << '\n';
        };
        auto errs = async::run(ctx, async::for_each(s, show));
        std::cout << errs.size() << " error(s)\n";
        // [/snippet:sinks]
    }
    std::cout << "== channel ==\n";
    {
        // [snippet:channel]
        async::channel<int> ch(2); // holds at most 2 items: send waits while full
        async::run([ch]() -> asio::awaitable<void> {
            auto producer = [ch]() -> asio::awaitable<void> {
                for (int i = 1; i <= 5; ++i) co_await ch.send(i * i);
                ch.close(); // the stream ends once the channel is closed and drained
            };
            auto ex = co_await asio::this_coro::executor;
            asio::co_spawn(ex, producer, asio::detached);
            auto squares = ch.stream() | async::map([](int x) { return x + 1; });
            print(co_await async::collect(squares));
        }());
        // [/snippet:channel]
    }
    std::cout << "== par_map ==\n";
    {
        // [snippet:par_map]
        auto lookup = [](int id) -> asio::awaitable<std::string> { // a request taking (3 - id) * 30 ms
            co_await sleep_for(std::chrono::milliseconds((3 - id) * 30));
            co_return "user" + std::to_string(id);
        };
        auto ids = async::iota(0, 4);
        print(async::run(async::collect(ids | async::par_map(lookup, {.concurrency = 4}))));
        print(async::run(async::collect(ids | async::par_map(lookup, {.concurrency = 4, .ordered = false}))));
        // [/snippet:par_map]
    }
    std::cout << "== to_sync ==\n";
    {
        // [snippet:to_sync]
        auto slow = async::iota(0, 3) | async::tap([](const int&) -> asio::awaitable<void> { co_await sleep_for(1ms); });
        // A sync rill stream: each run drives a private io_context.
        for (auto&& r : async::to_sync(slow)) std::cout << "sync got " << *r << '\n';
        print(async::to_sync(slow) | rill::map([](int x) { return x + 1; }));
        // [/snippet:to_sync]
    }
    std::cout << "== named_locals ==\n";
    {
        // [snippet:named_locals]
        async::run([]() -> asio::awaitable<void> {
            int offset = 5;
            // g++ 12: no capturing lambda or braced temporary inside a co_await
            // expression. Name the stream first, then await the sink:
            auto s = async::of(1, 2) | async::map([offset](int x) { return x + offset; });
            auto v = co_await async::collect(s);
            print(v);
        }());
        // [/snippet:named_locals]
    }
    std::cout << "== unclosed ==\n";
    {
        // [snippet:unclosed]
        auto rows = async::using_resource(
            []() -> asio::awaitable<int> { co_return 7; },
            [](int& r) -> asio::awaitable<void> {
                co_await sleep_for(1ms);
                std::cout << "released " << r << '\n';
            },
            [](int& r) { return async::iota(0, r); });
        asio::io_context ctx;
        async::run(ctx, [&]() -> asio::awaitable<void> {
            auto c = rows.open();
            co_await c.next(); // acquired; the cursor is then destroyed without close()
        }());
        std::cout << "left to the executor: " << async::unclosed_releases() << '\n';
        ctx.run(); // the detached release runs when the executor runs again
        // [/snippet:unclosed]
    }
}
