// map | filter | try_map over 4M ints, through every peer: a cheap and a
// realistic (~2 ns) body, with 0%, ~1% and ~15% Err items.
//
//   source i in [0, n) -> map(body) -> filter(is_even) -> try_map(checked_half) -> sum
#include "peers/generator.hpp"
#include "peers/thunk_stream.hpp"
#include "support/harness.hpp"
#include "support/work.hpp"

#include <rill/sink/for_each.hpp>
#include <rill/source/iota.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/stream.hpp>

#include <range/v3/view/filter.hpp>
#include <range/v3/view/iota.hpp>
#include <range/v3/view/transform.hpp>

#include <cstdint>
#include <string>

namespace {

using bench::checksum;
using std::int64_t;

template <class Body>
checksum hand(int64_t n, Body body, bench::checked_half check) {
    checksum c;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t x = body(i);
        if (!bench::is_even(x)) continue;
        auto r = check(x);
        if (r) bench::consume(c, *r);
        else ++c.errors;
    }
    return c;
}

template <class Body>
checksum range_v3(int64_t n, Body body, bench::checked_half check) {
    namespace v = ranges::views;
    checksum c;
    for (auto&& r : v::iota(int64_t{0}, n) | v::transform(body) | v::filter(bench::is_even) | v::transform(check)) {
        if (r) bench::consume(c, *r);
        else ++c.errors;
    }
    return c;
}

template <class Body>
checksum thunks(int64_t n, Body body, bench::checked_half check) {
    namespace t = peers::thunk;
    const auto s = t::try_map(t::filter(t::map(t::iota<int64_t>(0, n), body), bench::is_even), check);
    checksum c;
    t::run(s, [&](int64_t v) { bench::consume(c, v); }, [&](const rill::err_info&) { ++c.errors; });
    return c;
}

template <class Body>
peers::generator<rill::result<int64_t>> coroutine_pipeline(int64_t n, Body body, bench::checked_half check) {
    for (int64_t i = 0; i < n; ++i) {
        const int64_t x = body(i);
        if (!bench::is_even(x)) continue;
        co_yield check(x);
    }
}

template <class Body>
checksum coroutine(int64_t n, Body body, bench::checked_half check) {
    checksum c;
    for (const auto& r : coroutine_pipeline(n, body, check)) {
        if (r) bench::consume(c, *r);
        else ++c.errors;
    }
    return c;
}

template <class Body>
auto rill_pipeline(int64_t n, Body body, bench::checked_half check) {
    return rill::iota(int64_t{0}, n) | rill::map(body) | rill::filter(bench::is_even) | rill::try_map(check);
}

// Push path: the sink drives the whole pipeline through drain(). The Err
// items go to a handler that counts them, as the hand loop does (for_each's
// form for long runs: O(1) memory however many fail).
template <class S>
checksum push(const S& s) {
    checksum c;
    rill::for_each(s, [&](int64_t v) { bench::consume(c, v); }, [&](rill::err_info&&) { ++c.errors; });
    return c;
}

// Pull path: next() until the end.
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

// Pull path as users write it.
template <class S>
checksum pull_for(const S& s) {
    checksum c;
    for (auto&& r : s) {
        if (r) bench::consume(c, *r);
        else ++c.errors;
    }
    return c;
}

template <class Body>
void add(const std::string& name, Body body, bench::checked_half check) {
    constexpr int64_t n = int64_t{1} << 22;
    bench::add_case(
        name, n, int64_t{1} << 16, n,
        {
            {"hand", [=](int64_t m) { return hand(m, body, check); }},
            {"range_v3", [=](int64_t m) { return range_v3(m, body, check); }},
            {"thunks", [=](int64_t m) { return thunks(m, body, check); }},
            {"coroutine", [=](int64_t m) { return coroutine(m, body, check); }},
            {"rill_push", [=](int64_t m) { return push(rill_pipeline(m, body, check)); }},
            {"rill_next", [=](int64_t m) { return pull_next(rill_pipeline(m, body, check)); }},
            {"rill_for", [=](int64_t m) { return pull_for(rill_pipeline(m, body, check)); }},
            {"stream_push", [=](int64_t m) { return push(rill::stream<int64_t>(rill_pipeline(m, body, check))); }},
            {"stream_next",
             [=](int64_t m) { return pull_next(rill::stream<int64_t>(rill_pipeline(m, body, check))); }},
        });
}

void define_cases() {
    add("pipeline.cheap.err0", bench::cheap_body{}, bench::no_errors);
    add("pipeline.cheap.err1", bench::cheap_body{}, bench::some_errors);
    add("pipeline.real.err0", bench::realistic_body{}, bench::no_errors);
    add("pipeline.real.err1", bench::realistic_body{}, bench::some_errors);
    add("pipeline.cheap.err15", bench::cheap_body{}, bench::many_errors);
    add("pipeline.real.err15", bench::realistic_body{}, bench::many_errors);
}

} // namespace

RILL_BENCH_MAIN(define_cases)
