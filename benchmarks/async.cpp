// rill::async against bare asio coroutines doing the same work, and against
// the sync pipeline.
//
// * async.pipeline.err0 / err1: `async::from(iota) | map | filter | try_map`
//   drained by `async::for_each` (async_push) and by a `next()` loop
//   (async_next), against a bare asio coroutine loop that co_awaits one
//   hand-written awaitable pull per item and applies the same functions
//   inline (asio_loop), the sync pipeline pushed into `rill::for_each`
//   (rill_push), and the plain loop (hand).
// * async.generate: `async::generate` counting to n against a bare asio
//   generator built on a rendezvous channel (a producer coroutine sending, the
//   consumer receiving: asio_channel).
// * async.requests: 10,000 simulated requests (each an asio timer wait of
//   10 ms) through `async::par_map(.concurrency = 1000)` on one thread, against
//   the ideal (one wait of 100 ms: 10 waves of 10 ms), 1000 bare asio worker
//   coroutines sharing a counter (asio_loop), and the thread-based
//   `rill::par_map` with 1000 workers sleeping 10 ms each (threads). Wall-clock
//   time, and the memory a run adds at its peak (peak_rss_kib).
// The async.requests case reports the peak heap of a run (support/harness.hpp).
#define BENCH_TRACK_HEAP
#include "support/harness.hpp"
#include "support/work.hpp"

#include <rill/async.hpp>
#include <rill/concurrent/par_map.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/try_map.hpp>

#include <asio/experimental/channel.hpp>
#include <asio/redirect_error.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <system_error>
#include <thread>

namespace {

namespace async = rill::async;
using bench::checksum;
using std::int64_t;
using namespace std::chrono_literals;

// --- async.pipeline -----------------------------------------------------------------

template <class Half>
checksum hand(int64_t n, Half half) {
    checksum c;
    const bench::cheap_body body;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t x = body(i);
        if (!bench::is_even(x)) continue;
        auto r = half(x);
        if (r) bench::consume(c, *r);
        else ++c.errors;
    }
    return c;
}

// The smallest async pull a source can offer: one awaitable call per item.
struct counter {
    int64_t i = 0;
    int64_t n = 0;
    asio::awaitable<std::optional<int64_t>> next() {
        if (i < n) co_return i++;
        co_return std::nullopt;
    }
};

template <class Half>
asio::awaitable<checksum> asio_loop_body(int64_t n, Half half) {
    checksum c;
    const bench::cheap_body body;
    counter src{0, n};
    for (;;) {
        std::optional<int64_t> v = co_await src.next();
        if (!v) break;
        const int64_t x = body(*v);
        if (!bench::is_even(x)) continue;
        auto r = half(x);
        if (r) bench::consume(c, *r);
        else ++c.errors;
    }
    co_return c;
}

template <class Half>
checksum asio_loop(int64_t n, Half half) {
    return async::run(asio_loop_body(n, half));
}

template <class Half>
auto sync_pipeline(int64_t n, Half half) {
    return rill::iota(int64_t{0}, n) | rill::map(bench::cheap_body{}) | rill::filter(bench::is_even) |
           rill::try_map(half);
}

template <class Half>
auto async_pipeline(int64_t n, Half half) {
    return async::from(rill::iota(int64_t{0}, n)) | async::map(bench::cheap_body{}) | async::filter(bench::is_even) |
           async::try_map(half);
}

template <class Half>
checksum rill_push(int64_t n, Half half) {
    checksum c;
    c.errors = static_cast<int64_t>(
        rill::for_each(sync_pipeline(n, half), [&](int64_t v) { bench::consume(c, v); }).size());
    return c;
}

struct consume_into {
    checksum* c;
    void operator()(int64_t v) const { bench::consume(*c, v); }
};

template <class S>
checksum async_push(const S& s) {
    checksum c;
    c.errors = static_cast<int64_t>(async::run(async::for_each(s, consume_into{&c})).size());
    return c;
}

template <class S>
asio::awaitable<checksum> next_loop(S s) {
    checksum c;
    auto cur = s.open();
    for (;;) {
        auto r = co_await cur.next();
        if (!r) break;
        if (*r) bench::consume(c, **r);
        else ++c.errors;
    }
    co_await cur.close();
    co_return c;
}

template <class S>
checksum async_next(const S& s) {
    return async::run(next_loop(s));
}

template <class Half>
void add_pipeline(const char* name, Half half) {
    constexpr int64_t n = int64_t{1} << 20;
    bench::add_case(name, n, int64_t{1} << 14, n,
                    {
                        {"hand", [half](int64_t m) { return hand(m, half); }},
                        {"asio_loop", [half](int64_t m) { return asio_loop(m, half); }},
                        {"rill_push", [half](int64_t m) { return rill_push(m, half); }},
                        {"async_push", [half](int64_t m) { return async_push(async_pipeline(m, half)); }},
                        {"async_next", [half](int64_t m) { return async_next(async_pipeline(m, half)); }},
                    });
}

// --- async.generate -----------------------------------------------------------------

using int_channel = asio::experimental::channel<void(std::error_code, int64_t)>;

asio::awaitable<void> produce(int_channel& ch, int64_t n) {
    const std::error_code no_error;
    for (int64_t i = 0; i < n; ++i) co_await ch.async_send(no_error, i, asio::use_awaitable);
    ch.close();
}

asio::awaitable<checksum> channel_generator(int64_t n) {
    checksum c;
    int_channel ch(co_await asio::this_coro::executor, 0);
    asio::co_spawn(ch.get_executor(), produce(ch, n), asio::detached);
    for (;;) {
        std::error_code ec;
        const int64_t v = co_await ch.async_receive(asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        bench::consume(c, v);
    }
    co_return c;
}

struct count_to {
    int64_t n;
    asio::awaitable<void> operator()(async::yielder<int64_t>& out) const {
        for (int64_t i = 0; i < n; ++i)
            if (!co_await out(i)) co_return;
    }
};

auto async_counter(int64_t n) { return async::generate<int64_t>(count_to{n}); }

// --- async.requests -----------------------------------------------------------------

constexpr int64_t concurrency = 1000;
constexpr auto request_time = 10ms;

asio::awaitable<int64_t> request(int64_t i) {
    asio::steady_timer t(co_await asio::this_coro::executor, request_time);
    co_await t.async_wait(asio::use_awaitable);
    co_return i;
}

asio::awaitable<void> sleep_for(std::chrono::nanoseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

// The ideal: every wave of `concurrency` requests overlaps completely, so the
// run is n / concurrency waits of 10 ms; one wait of that length, then the checksum.
checksum ideal(int64_t n) {
    async::run(sleep_for(request_time * (n / concurrency)));
    checksum c;
    for (int64_t i = 0; i < n; ++i) bench::consume(c, i);
    return c;
}

asio::awaitable<void> worker(int64_t& next, int64_t n, checksum& c) {
    for (;;) {
        const int64_t i = next++;
        if (i >= n) co_return;
        const int64_t v = co_await request(i);
        bench::consume(c, v);
    }
}

checksum asio_workers(int64_t n) {
    checksum c;
    int64_t next = 0;
    asio::io_context ctx;
    for (int64_t w = 0; w < concurrency; ++w) asio::co_spawn(ctx, worker(next, n, c), asio::detached);
    ctx.run();
    return c;
}

checksum async_requests(int64_t n) {
    const auto s = async::iota(int64_t{0}, n) |
                   async::par_map(request, {.concurrency = concurrency, .ordered = false});
    return async_push(s);
}

struct blocking_request {
    int64_t operator()(int64_t i) const {
        std::this_thread::sleep_for(request_time);
        return i;
    }
};

checksum thread_requests(int64_t n) {
    checksum c;
    const auto s = rill::iota(int64_t{0}, n) |
                   rill::par_map(blocking_request{}, {.workers = concurrency, .ordered = false});
    c.errors = static_cast<int64_t>(rill::for_each(s, [&](int64_t v) { bench::consume(c, v); }).size());
    return c;
}

void define_cases() {
    add_pipeline("async.pipeline.err0", bench::no_errors);
    add_pipeline("async.pipeline.err1", bench::some_errors);

    constexpr int64_t n = int64_t{1} << 20;
    bench::add_case("async.generate", n, int64_t{1} << 14, n,
                    {
                        {"hand", [](int64_t m) {
                             checksum c;
                             for (int64_t i = 0; i < m; ++i) bench::consume(c, i);
                             return c;
                         }},
                        {"asio_channel", [](int64_t m) { return async::run(channel_generator(m)); }},
                        {"async_push", [](int64_t m) { return async_push(async_counter(m)); }},
                        {"async_next", [](int64_t m) { return async_next(async_counter(m)); }},
                    });

    bench::add_case("async.requests", 10'000, 2'000, 10'000,
                    {
                        {"ideal", [](int64_t m) { return ideal(m); }},
                        {"asio_loop", [](int64_t m) { return asio_workers(m); }},
                        {"async_push", [](int64_t m) { return async_requests(m); }},
                        {"threads", [](int64_t m) { return thread_requests(m); }},
                    },
                    /*real_time=*/true, /*memory=*/true);
}

} // namespace

RILL_BENCH_MAIN(define_cases)
