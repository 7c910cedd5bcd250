// take(k) on an endless source: iota(0) | map(body) | take(k), k = 4M.
#include "peers/generator.hpp"
#include "peers/thunk_stream.hpp"
#include "support/harness.hpp"
#include "support/work.hpp"

#include <rill/sink/for_each.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stream.hpp>

#include <range/v3/view/iota.hpp>
#include <range/v3/view/take.hpp>
#include <range/v3/view/transform.hpp>

#include <cstdint>

namespace {

using bench::checksum;
using std::int64_t;

constexpr bench::cheap_body body{};

checksum hand(int64_t k) {
    checksum c;
    for (int64_t i = 0;; ++i) {
        if (i == k) break;
        bench::consume(c, body(i));
    }
    return c;
}

checksum range_v3(int64_t k) {
    namespace v = ranges::views;
    checksum c;
    for (int64_t x : v::iota(int64_t{0}) | v::transform(body) | v::take(k)) bench::consume(c, x);
    return c;
}

checksum thunks(int64_t k) {
    namespace t = peers::thunk;
    const auto s = t::take(t::map(t::iota_from<int64_t>(0), body), k);
    checksum c;
    t::run(s, [&](int64_t v) { bench::consume(c, v); }, [&](const rill::err_info&) { ++c.errors; });
    return c;
}

peers::generator<int64_t> endless() {
    for (int64_t i = 0;; ++i) co_yield body(i);
}

checksum coroutine(int64_t k) {
    checksum c;
    int64_t taken = 0;
    for (int64_t v : endless()) {
        if (taken++ == k) break;
        bench::consume(c, v);
    }
    return c;
}

auto rill_pipeline(int64_t k) { return rill::iota(int64_t{0}) | rill::map(body) | rill::take(k); }

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
    constexpr int64_t k = int64_t{1} << 22;
    bench::add_case("take.endless", k, int64_t{1} << 16, k,
                    {
                        {"hand", [](int64_t m) { return hand(m); }},
                        {"range_v3", [](int64_t m) { return range_v3(m); }},
                        {"thunks", [](int64_t m) { return thunks(m); }},
                        {"coroutine", [](int64_t m) { return coroutine(m); }},
                        {"rill_push", [](int64_t m) { return push(rill_pipeline(m)); }},
                        {"rill_next", [](int64_t m) { return pull_next(rill_pipeline(m)); }},
                        {"rill_for", [](int64_t m) { return pull_for(rill_pipeline(m)); }},
                        {"stream_push", [](int64_t m) { return push(rill::stream<int64_t>(rill_pipeline(m))); }},
                        {"stream_next", [](int64_t m) { return pull_next(rill::stream<int64_t>(rill_pipeline(m))); }},
                    });
}

} // namespace

RILL_BENCH_MAIN(define_cases)
