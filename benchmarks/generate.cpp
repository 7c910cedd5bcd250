// A generate source against the bare coroutine loop it wraps: one resume per
// item in both; the difference is what rill adds around the resume.
#include "peers/generator.hpp"
#include "support/harness.hpp"

#include <rill/sink/for_each.hpp>
#include <rill/source/generate.hpp>
#include <rill/stage/map.hpp>
#include <rill/stream.hpp>

#include <cstdint>

namespace {

using bench::checksum;
using std::int64_t;

checksum hand(int64_t n) {
    checksum c;
    for (int64_t i = 0; i < n; ++i) bench::consume(c, i);
    return c;
}

peers::generator<int64_t> bare_counter(int64_t n) {
    for (int64_t i = 0; i < n; ++i) co_yield i;
}

checksum coroutine(int64_t n) {
    checksum c;
    for (int64_t v : bare_counter(n)) bench::consume(c, v);
    return c;
}

auto rill_counter(int64_t n) {
    return rill::generate([n]() -> rill::generator<int64_t> {
        for (int64_t i = 0; i < n; ++i) co_yield i;
    });
}

template <class S>
checksum push(const S& s) {
    checksum c;
    c.errors = static_cast<int64_t>(rill::for_each(s, [&](int64_t v) { bench::consume(c, v); }).size());
    return c;
}

template <class S>
checksum pull_next(const S& s) {
    checksum c;
    auto cur = s.open();
    while (auto r = cur.next()) {
        if (*r) bench::consume(c, **r);
        else ++c.errors;
    }
    return c;
}

template <class S>
checksum pull_for(const S& s) {
    checksum c;
    for (auto&& r : s) {
        if (r) bench::consume(c, *r);
        else ++c.errors;
    }
    return c;
}

void define_cases() {
    constexpr int64_t n = int64_t{1} << 22;
    bench::add_case("generate.counter", n, int64_t{1} << 16, n,
                    {
                        {"hand", [](int64_t m) { return hand(m); }},
                        {"coroutine", [](int64_t m) { return coroutine(m); }},
                        {"rill_push", [](int64_t m) { return push(rill_counter(m)); }},
                        {"rill_next", [](int64_t m) { return pull_next(rill_counter(m)); }},
                        {"rill_for", [](int64_t m) { return pull_for(rill_counter(m)); }},
                        {"stream_push", [](int64_t m) { return push(rill::stream<int64_t>(rill_counter(m))); }},
                        {"stream_next", [](int64_t m) { return pull_next(rill::stream<int64_t>(rill_counter(m))); }},
                    });
}

} // namespace

RILL_BENCH_MAIN(define_cases)
