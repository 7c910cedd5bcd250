// and_then with small inner streams: each of n outer items becomes K inner
// items (K = 1 through pure, K = 1, 2, 8 through of); ~4M inner items a run.
#include "peers/generator.hpp"
#include "peers/thunk_stream.hpp"
#include "support/harness.hpp"

#include <rill/sink/for_each.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/source/single.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stream.hpp>

#include <range/v3/view/for_each.hpp>
#include <range/v3/view/iota.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

namespace {

using bench::checksum;
using std::int64_t;

template <int64_t K>
checksum hand(int64_t n) {
    checksum c;
    for (int64_t x = 0; x < n; ++x)
        for (int64_t j = 0; j < K; ++j) bench::consume(c, x + j);
    return c;
}

template <int64_t K>
checksum range_v3(int64_t n) {
    namespace v = ranges::views;
    checksum c;
    for (int64_t v : v::iota(int64_t{0}, n) | v::for_each([](int64_t x) { return v::iota(x, x + K); }))
        bench::consume(c, v);
    return c;
}

template <int64_t K>
peers::thunk::stream<int64_t> thunk_inner(int64_t x) {
    return peers::thunk::iota<int64_t>(x, x + K);
}

template <int64_t K>
checksum thunks(int64_t n) {
    namespace t = peers::thunk;
    const auto s = t::and_then(t::iota<int64_t>(0, n), [](int64_t x) { return thunk_inner<K>(x); });
    checksum c;
    t::run(s, [&](int64_t v) { bench::consume(c, v); }, [&](const rill::err_info&) { ++c.errors; });
    return c;
}

// One coroutine with the nested loop: the cheapest coroutine design.
template <int64_t K>
peers::generator<int64_t> nested(int64_t n) {
    for (int64_t x = 0; x < n; ++x)
        for (int64_t j = 0; j < K; ++j) co_yield x + j;
}

template <int64_t K>
checksum coroutine(int64_t n) {
    checksum c;
    for (int64_t v : nested<K>(n)) bench::consume(c, v);
    return c;
}

template <int64_t K, bool Pure>
auto inner(int64_t x) {
    if constexpr (Pure) {
        return rill::pure(x);
    } else {
        return [x]<std::size_t... J>(std::index_sequence<J...>) {
            return rill::of((x + static_cast<int64_t>(J))...);
        }(std::make_index_sequence<K>{});
    }
}

template <int64_t K, bool Pure>
auto rill_pipeline(int64_t n) {
    return rill::iota(int64_t{0}, n) | rill::and_then([](int64_t x) { return inner<K, Pure>(x); });
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

template <int64_t K, bool Pure>
void add(const std::string& name) {
    constexpr int64_t items = int64_t{1} << 22;
    constexpr int64_t n = items / K;
    bench::add_case(name, n, int64_t{1} << 14, items,
                    {
                        {"hand", [](int64_t m) { return hand<K>(m); }},
                        {"range_v3", [](int64_t m) { return range_v3<K>(m); }},
                        {"thunks", [](int64_t m) { return thunks<K>(m); }},
                        {"coroutine", [](int64_t m) { return coroutine<K>(m); }},
                        {"rill_push", [](int64_t m) { return push(rill_pipeline<K, Pure>(m)); }},
                        {"rill_next", [](int64_t m) { return pull_next(rill_pipeline<K, Pure>(m)); }},
                        {"rill_for", [](int64_t m) { return pull_for(rill_pipeline<K, Pure>(m)); }},
                        {"stream_push",
                         [](int64_t m) { return push(rill::stream<int64_t>(rill_pipeline<K, Pure>(m))); }},
                        {"stream_next",
                         [](int64_t m) { return pull_next(rill::stream<int64_t>(rill_pipeline<K, Pure>(m))); }},
                    });
}

void define_cases() {
    add<1, true>("and_then.pure1");
    add<1, false>("and_then.of1");
    add<2, false>("and_then.of2");
    add<8, false>("and_then.of8");
}

} // namespace

RILL_BENCH_MAIN(define_cases)
