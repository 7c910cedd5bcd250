// 1M using_resource runs in sequence, each acquiring a resource, yielding 4
// items computed from it and releasing it, against a loop of RAII guards.
// `runs`: acquire and release are inline (the compiler fuses the RAII loop to
// ~1-2 ns a run); `opaque`: they are out-of-line calls, as opening and closing
// a real resource would be.
#include "peers/generator.hpp"
#include "support/harness.hpp"

#include <rill/sink/for_each.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include <cstdint>

namespace {

using bench::checksum;
using std::int64_t;

constexpr int64_t items_per_run = 4;

// The resource's observable effects: acquire takes the next id, release
// adds it to a global that the checksum includes.
int64_t g_next_id = 0;
int64_t g_released = 0;

[[gnu::noinline]] int64_t open_handle() { return g_next_id++; }
[[gnu::noinline]] void close_handle(int64_t id) { g_released += id; }

template <bool Opaque>
struct resource {
    int64_t id;
    explicit resource(int64_t i) : id(i) {}
    resource(resource&& o) noexcept : id(o.id) { o.id = -1; }
    resource& operator=(resource&&) = delete;
    ~resource() {
        if (id < 0) return;
        if constexpr (Opaque) close_handle(id);
        else g_released += id;
    }
};

template <bool Opaque>
resource<Opaque> acquire() {
    if constexpr (Opaque) return resource<Opaque>(open_handle());
    else return resource<Opaque>(g_next_id++);
}

checksum finish(checksum c) {
    bench::consume(c, g_released);
    g_next_id = 0;
    g_released = 0;
    return c;
}

template <bool Opaque>
checksum hand(int64_t runs) {
    checksum c;
    for (int64_t r = 0; r < runs; ++r) {
        const auto guard = acquire<Opaque>();
        for (int64_t j = 0; j < items_per_run; ++j) bench::consume(c, guard.id + j);
    }
    return finish(c);
}

template <bool Opaque>
peers::generator<int64_t> coroutine_run() {
    const auto guard = acquire<Opaque>();
    for (int64_t j = 0; j < items_per_run; ++j) co_yield guard.id + j;
}

template <bool Opaque>
checksum coroutine(int64_t runs) {
    checksum c;
    for (int64_t r = 0; r < runs; ++r)
        for (int64_t v : coroutine_run<Opaque>()) bench::consume(c, v);
    return finish(c);
}

template <bool Opaque>
auto rill_run() {
    // Lambdas, not function names: a function pointer would be called, not inlined.
    return rill::using_resource([] { return acquire<Opaque>(); },
                                [](resource<Opaque>& r) { return rill::iota(r.id, r.id + items_per_run); });
}

template <class S>
checksum push(int64_t runs, const S& s) {
    checksum c;
    for (int64_t r = 0; r < runs; ++r)
        c.errors += static_cast<int64_t>(rill::for_each(s, [&](int64_t v) { bench::consume(c, v); }).size());
    return finish(c);
}

template <class S>
checksum pull_next(int64_t runs, const S& s) {
    checksum c;
    for (int64_t r = 0; r < runs; ++r) {
        auto cur = s.open();
        while (auto item = cur.next()) {
            if (*item) bench::consume(c, **item);
            else ++c.errors;
        }
    }
    return finish(c);
}

template <class S>
checksum pull_for(int64_t runs, const S& s) {
    checksum c;
    for (int64_t r = 0; r < runs; ++r) {
        for (auto&& item : s) {
            if (item) bench::consume(c, *item);
            else ++c.errors;
        }
    }
    return finish(c);
}

template <bool Opaque>
void add(const char* name) {
    constexpr int64_t runs = 1'000'000;
    bench::add_case(name, runs, 10'000, runs * items_per_run,
                    {
                        {"hand", [](int64_t m) { return hand<Opaque>(m); }},
                        {"coroutine", [](int64_t m) { return coroutine<Opaque>(m); }},
                        {"rill_push", [](int64_t m) { return push(m, rill_run<Opaque>()); }},
                        {"rill_next", [](int64_t m) { return pull_next(m, rill_run<Opaque>()); }},
                        {"rill_for", [](int64_t m) { return pull_for(m, rill_run<Opaque>()); }},
                        {"stream_push", [](int64_t m) { return push(m, rill::stream<int64_t>(rill_run<Opaque>())); }},
                        {"stream_next",
                         [](int64_t m) { return pull_next(m, rill::stream<int64_t>(rill_run<Opaque>())); }},
                    });
}

void define_cases() {
    add<false>("using_resource.runs");
    add<true>("using_resource.opaque");
}

} // namespace

RILL_BENCH_MAIN(define_cases)
