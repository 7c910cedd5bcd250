// Concurrency: par_map at 1/2/4/8 workers for 1 µs and 10 µs bodies, ordered
// and unordered, against the serial loop and oneTBB's parallel_pipeline; and
// thread handoff throughput of buffer(n) and channel<T>(n) against a naive
// bounded queue with a mutex and condition variables per item, n = 1/16/256.
// Timed by the wall clock (the work runs on other threads).
#include "support/harness.hpp"

#if __has_include(<rill/concurrent/par_map.hpp>) && __has_include(<rill/concurrent/buffer.hpp>) && \
    __has_include(<rill/concurrent/channel.hpp>)
#define RILL_BENCH_HAVE_CONCURRENT 1
#include <rill/concurrent/buffer.hpp>
#include <rill/concurrent/channel.hpp>
#include <rill/concurrent/par_map.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/source/iota.hpp>
#endif

#ifdef RILL_BENCH_HAVE_TBB
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#endif

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace {

using bench::checksum;
using std::int64_t;

#ifdef RILL_BENCH_HAVE_CONCURRENT

// --- a body of a given duration: arithmetic, calibrated at startup ----------------

std::uint64_t spin(std::uint64_t x, std::uint64_t rounds) {
    for (std::uint64_t r = 0; r < rounds; ++r) {
        x ^= x >> 31;
        x *= 0x9e3779b97f4a7c15ULL;
    }
    return x;
}

/// Rounds of `spin` per microsecond: the best of several trials (the least disturbed).
std::uint64_t rounds_per_us() {
    static const std::uint64_t value = [] {
        double best = 0;
        for (int trial = 0; trial < 5; ++trial) {
            const std::uint64_t rounds = 2'000'000;
            const auto t0 = std::chrono::steady_clock::now();
            auto x = spin(static_cast<std::uint64_t>(trial) + 1, rounds);
            benchmark::DoNotOptimize(x);
            const std::chrono::duration<double, std::micro> us = std::chrono::steady_clock::now() - t0;
            best = std::max(best, static_cast<double>(rounds) / us.count());
        }
        return static_cast<std::uint64_t>(best);
    }();
    return value;
}

struct timed_body {
    std::uint64_t rounds;
    int64_t operator()(int64_t x) const {
        return static_cast<int64_t>(spin(static_cast<std::uint64_t>(x) + 1, rounds) >> 8);
    }
};

// --- par_map ------------------------------------------------------------------------

checksum serial(int64_t n, timed_body body) {
    checksum c;
    for (int64_t i = 0; i < n; ++i) bench::consume(c, body(i));
    return c;
}

checksum rill_par_map(int64_t n, timed_body body, std::size_t workers, bool ordered) {
    checksum c;
    auto s = rill::iota(int64_t{0}, n) | rill::par_map(body, {.workers = workers, .ordered = ordered});
    c.errors = static_cast<int64_t>(rill::for_each(s, [&](int64_t v) { bench::consume(c, v); }).size());
    return c;
}

#ifdef RILL_BENCH_HAVE_TBB
checksum tbb_pipeline(int64_t n, timed_body body, std::size_t workers, bool ordered) {
    checksum c;
    tbb::task_arena arena(static_cast<int>(workers));
    arena.execute([&] {
        int64_t next = 0;
        tbb::parallel_pipeline(
            2 * workers,
            tbb::make_filter<void, int64_t>(tbb::filter_mode::serial_in_order,
                                            [&](tbb::flow_control& fc) -> int64_t {
                                                if (next >= n) {
                                                    fc.stop();
                                                    return 0;
                                                }
                                                return next++;
                                            }) &
                tbb::make_filter<int64_t, int64_t>(tbb::filter_mode::parallel, body) &
                tbb::make_filter<int64_t, void>(
                    ordered ? tbb::filter_mode::serial_in_order : tbb::filter_mode::serial_out_of_order,
                    [&](int64_t v) { bench::consume(c, v); }));
    });
    return c;
}
#endif

// --- handoff: a naive bounded queue, one lock and one notify per item ---------------

class locked_queue {
public:
    explicit locked_queue(std::size_t capacity) : capacity_(capacity) {}
    void push(int64_t v) {
        std::unique_lock lock(m_);
        not_full_.wait(lock, [&] { return q_.size() < capacity_; });
        q_.push_back(v);
        lock.unlock();
        not_empty_.notify_one();
    }
    std::optional<int64_t> pop() {
        std::unique_lock lock(m_);
        not_empty_.wait(lock, [&] { return !q_.empty() || closed_; });
        if (q_.empty()) return std::nullopt;
        const int64_t v = q_.front();
        q_.pop_front();
        lock.unlock();
        not_full_.notify_one();
        return v;
    }
    void close() {
        {
            std::lock_guard lock(m_);
            closed_ = true;
        }
        not_empty_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable not_empty_, not_full_;
    std::deque<int64_t> q_;
    std::size_t capacity_;
    bool closed_ = false;
};

checksum queue_handoff(int64_t n, std::size_t capacity) {
    locked_queue q(capacity);
    std::jthread producer([&] {
        for (int64_t i = 0; i < n; ++i) q.push(i);
        q.close();
    });
    checksum c;
    while (auto v = q.pop()) bench::consume(c, *v);
    return c;
}

checksum buffer_handoff(int64_t n, std::size_t capacity) {
    checksum c;
    auto s = rill::iota(int64_t{0}, n) | rill::buffer(capacity);
    c.errors = static_cast<int64_t>(rill::for_each(s, [&](int64_t v) { bench::consume(c, v); }).size());
    return c;
}

checksum channel_handoff(int64_t n, std::size_t capacity) {
    rill::channel<int64_t> ch(capacity);
    std::jthread producer([&] {
        for (int64_t i = 0; i < n; ++i) ch.send(i);
        ch.close();
    });
    checksum c;
    while (auto v = ch.receive()) bench::consume(c, *v);
    return c;
}

void define_cases() {
    for (const int us : {1, 10}) {
        const timed_body body{rounds_per_us() * static_cast<std::uint64_t>(us)};
        // ~20 ms of serial work a run
        const int64_t n = 20'000 / us;
        for (const std::size_t w : {1, 2, 4, 8}) {
            for (const bool ordered : {true, false}) {
                const std::string name = "par_map." + std::to_string(us) + "us.w" + std::to_string(w) +
                                         (ordered ? ".ordered" : ".unordered");
                std::vector<bench::peer> peers{
                    {"hand", [=](int64_t m) { return serial(m, body); }},
                    {"rill", [=](int64_t m) { return rill_par_map(m, body, w, ordered); }},
                };
#ifdef RILL_BENCH_HAVE_TBB
                peers.push_back({"tbb", [=](int64_t m) { return tbb_pipeline(m, body, w, ordered); }});
#endif
                bench::add_case(name, n, 200, n, std::move(peers), true);
            }
        }
    }
    for (const std::size_t b : {1, 16, 256}) {
        const int64_t n = b == 1 ? 50'000 : 200'000;
        bench::add_case("buffer.b" + std::to_string(b), n, 5'000, n,
                        {
                            {"queue", [=](int64_t m) { return queue_handoff(m, b); }},
                            {"rill_buffer", [=](int64_t m) { return buffer_handoff(m, b); }},
                            {"rill_channel", [=](int64_t m) { return channel_handoff(m, b); }},
                        },
                        true);
    }
}

#else

void define_cases() {
    std::fprintf(stderr, "bench_concurrency: <rill/concurrent/...> not available, no cases\n");
}

#endif

} // namespace

RILL_BENCH_MAIN(define_cases)
