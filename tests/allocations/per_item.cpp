// The cost contract, measured: a templated pipeline allocates nothing per item
// (nor per run), an erased stream<T> nothing when its run fits inline and once
// per run when it is larger, a generate run once
// (once it knows its frame size), a using_resource run none after the first on
// a thread (the resource's stable home is recycled). Err items may allocate (their strings), Ok items never.
// A lines(path) run allocates its block and its line storage once, nothing per line.
//
// A SEPARATE test program: it has its own main and replaces the global
// operator new/delete to count allocations, so it must not be linked into the
// unit test binary. (Replacing operator new is allowed under AddressSanitizer:
// the replacements allocate with malloc, which the sanitizer still tracks.)
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <rill/sink/count.hpp>
#include <rill/sink/fold.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/source/from.hpp>
#include <rill/source/generate.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/lines.hpp>
#include <rill/source/of.hpp>
#include <rill/source/single.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

// --- counting replacements of the global allocation functions ----------------------

namespace {

std::atomic<long> g_allocations{0};
std::atomic<long> g_aligned_allocations{0}; // operator new with an alignment: what recycled_box uses
std::atomic<long> g_aligned_frees{0};

void* counted_allocate(std::size_t n) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}

void* counted_allocate_aligned(std::size_t n, std::align_val_t al) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    g_aligned_allocations.fetch_add(1, std::memory_order_relaxed);
    const auto a = static_cast<std::size_t>(al);
    const std::size_t size = n == 0 ? a : (n + a - 1) / a * a; // aligned_alloc wants a multiple of the alignment
    if (void* p = std::aligned_alloc(a, size)) return p;
    throw std::bad_alloc();
}

/// The allocations performed while `f` runs.
template <class F>
long allocations_during(F&& f) {
    const long before = g_allocations.load(std::memory_order_relaxed);
    f();
    return g_allocations.load(std::memory_order_relaxed) - before;
}

} // namespace

// The replacements below are malloc/free underneath; when g++ inlines them it
// sees "new" memory reach free() and warns, wrongly: every pair here matches.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t n) { return counted_allocate(n); }
void* operator new[](std::size_t n) { return counted_allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return counted_allocate(n);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return counted_allocate(n);
    } catch (...) {
        return nullptr;
    }
}
void* operator new(std::size_t n, std::align_val_t al) { return counted_allocate_aligned(n, al); }
void* operator new[](std::size_t n, std::align_val_t al) { return counted_allocate_aligned(n, al); }
void* operator new(std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
    try {
        return counted_allocate_aligned(n, al);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, std::align_val_t al, const std::nothrow_t&) noexcept {
    try {
        return counted_allocate_aligned(n, al);
    } catch (...) {
        return nullptr;
    }
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept {
    if (p != nullptr) g_aligned_frees.fetch_add(1, std::memory_order_relaxed);
    std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
    if (p != nullptr) g_aligned_frees.fetch_add(1, std::memory_order_relaxed);
    std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

// --- the pipelines ---------------------------------------------------------------

namespace {

constexpr int million = 1'000'000;
constexpr std::size_t taken = 900'000;

auto million_pipeline() {
    return rill::iota(0, million) | rill::map([](int x) { return x + 1; }) |
           rill::filter([](int x) { return x % 2 == 0; }) | rill::try_map([](int x) -> rill::result<int> {
               if (x < 0) return rill::err("NEG", "negative");
               return x;
           }) |
           rill::and_then([](int x) { return rill::of(x, x + 1); }) | rill::take(taken);
}

/// The same items, by hand: (x, x + 1) for the even x in 1..1'000'000, the first 900'000 of them.
long long expected_sum() {
    long long sum = 0;
    std::size_t n = 0;
    for (int i = 0; i < million && n < taken; ++i) {
        const int x = i + 1;
        if (x % 2 != 0) continue;
        for (int v : {x, x + 1}) {
            if (n == taken) break;
            sum += v;
            ++n;
        }
    }
    return sum;
}

auto add = [](long long acc, int x) { return acc + x; };

} // namespace

TEST_CASE("the allocation counter sees allocations") {
    const long n = allocations_during([] {
        std::vector<int> v(10);                                    // 1
        v.push_back(1);                                            // 2: regrows
        auto p = std::make_unique<int>(3);                         // 3
        auto q = ::operator new(64, std::align_val_t(64));         // 4: aligned
        auto r = ::operator new(8, std::nothrow);                  // 5: nothrow
        ::operator delete(q, std::align_val_t(64));
        ::operator delete(r);
    });
    CHECK(n == 5);
}

TEST_CASE("building and opening a templated pipeline allocates nothing") {
    const long build = allocations_during([] {
        auto s = million_pipeline();
        auto c = s.open();
        (void)c;
    });
    MESSAGE("build + open allocations: " << build);
    CHECK(build == 0);
}

TEST_CASE("a million-item run of map, filter, try_map, and_then(of) and take allocates nothing") {
    const auto s = million_pipeline();
    std::size_t counted = 0;
    const long through_count = allocations_during([&] { counted = rill::count(s); });
    MESSAGE("count run allocations: " << through_count);
    CHECK(counted == taken);
    CHECK(through_count == 0);

    rill::result<long long> sum = 0;
    const long through_fold = allocations_during([&] { sum = rill::fold(s, 0LL, add); });
    MESSAGE("fold run allocations: " << through_fold);
    REQUIRE(sum.has_value());
    CHECK(*sum == expected_sum());
    CHECK(through_fold == 0);

    const long piped = allocations_during([&] { counted = s | rill::count(); });
    CHECK(counted == taken);
    CHECK(piped == 0);
}

TEST_CASE("pulling the million-item pipeline by hand with next() allocates nothing either") {
    const auto s = million_pipeline();
    std::size_t counted = 0;
    long long sum = 0;
    const long n = allocations_during([&] {
        auto c = s.open();
        while (auto r = c.next()) {
            ++counted;
            sum += **r;
        }
    });
    MESSAGE("next() run allocations: " << n);
    CHECK(counted == taken);
    CHECK(sum == expected_sum());
    CHECK(n == 0);
}

TEST_CASE("a range-for over the million-item pipeline allocates nothing either") {
    const auto s = million_pipeline();
    std::size_t counted = 0;
    long long sum = 0;
    const long n = allocations_during([&] {
        for (const auto& r : s) {
            ++counted;
            sum += *r;
        }
    });
    MESSAGE("range-for run allocations: " << n);
    CHECK(counted == taken);
    CHECK(sum == expected_sum());
    CHECK(n == 0);
}

TEST_CASE("an Err item stamped by try_map allocates what its err() strings need, nothing for its provenance") {
    // One item in 8 fails, with a message too long for the small-string buffer:
    // each Err item costs that one allocation and no more, in every consumer.
    const auto s = rill::iota(0, 80'000) | rill::map([](int x) { return x + 1; }) |
                   rill::try_map([](int x) -> rill::result<int> {
                       if (x % 8 == 0) return rill::err("E", "an error whose message is long enough to be on the heap");
                       return x;
                   }) |
                   rill::filter([](int x) { return x % 2 == 1; });
    const long per_err = allocations_during([] {
        auto e = rill::err("E", "an error whose message is long enough to be on the heap");
        (void)e;
    });
    REQUIRE(per_err == 1);
    constexpr long errors = 10'000;

    long seen = 0;
    std::size_t frames = 0;
    const long pushed = allocations_during([&] {
        rill::for_each(s, [](int) {}, [&](rill::err_info&& e) {
            ++seen;
            frames += e.trace.size();
        });
    });
    CHECK(seen == errors);
    CHECK(frames == std::size_t(errors)); // each one stamped once, by try_map
    CHECK(pushed == errors * per_err);

    seen = 0;
    const long ranged = allocations_during([&] {
        for (const auto& r : s)
            if (!r && r.error().trace.front().op == "try_map") ++seen;
    });
    CHECK(seen == errors);
    CHECK(ranged == errors * per_err);

    seen = 0;
    const long pulled = allocations_during([&] {
        auto c = s.open();
        while (auto r = c.next())
            if (!*r && r->error().trace.front().index % 8 == 7) ++seen; // item i + 1 fails at position i
    });
    CHECK(seen == errors);
    CHECK(pulled == errors * per_err);
}

TEST_CASE("and_then over pure allocates nothing: pure holds its item inline") {
    const auto s = rill::iota(0, 100'000) | rill::and_then([](int x) { return rill::pure(x * 2); });
    rill::result<long long> sum = 0;
    const long n = allocations_during([&] { sum = rill::fold(s, 0LL, add); });
    MESSAGE("and_then(pure) run allocations: " << n);
    CHECK(*sum == 2LL * (99'999LL * 100'000LL / 2));
    CHECK(n == 0);
}

// The million-item pipeline's run fits inside an erased cursor.
static_assert(sizeof(rill::cursor_t<const decltype(million_pipeline())&>) + sizeof(void*) <=
              rill::stream<int>::inline_size);

TEST_CASE("the same pipeline erased to rill::stream<int> allocates nothing: its run lives in the erased cursor") {
    const rill::stream<int> s = million_pipeline();
    std::size_t counted = 0;
    const long first = allocations_during([&] { counted = rill::count(s); });
    CHECK(counted == taken);
    rill::result<long long> sum = 0;
    const long second = allocations_during([&] { sum = rill::fold(s, 0LL, add); });
    CHECK(*sum == expected_sum());
    long long pulled = 0;
    const long third = allocations_during([&] {
        auto c = s.open();
        auto moved = std::move(c); // an inline run moves with its cursor
        while (auto r = moved.next()) pulled += **r;
    });
    CHECK(pulled == expected_sum());
    MESSAGE("stream<int> run allocations: " << first << ", " << second << ", " << third);
    CHECK(first == 0);
    CHECK(second == 0);
    CHECK(third == 0);
}

TEST_CASE("an erased run larger than stream<T>::inline_size allocates exactly once per run") {
    struct bulky { // a function object bigger than the inline buffer
        std::array<char, 256> pad{};
        int operator()(int x) const { return x + pad[0]; }
    };
    const rill::stream<int> s = rill::iota(0, 1000) | rill::map(bulky{});
    static_assert(sizeof(rill::cursor_t<decltype(rill::iota(0, 1000) | rill::map(bulky{}))>) > rill::stream<int>::inline_size);
    std::size_t counted = 0;
    const long first = allocations_during([&] { counted = rill::count(s); });
    CHECK(counted == 1000);
    const long second = allocations_during([&] {
        auto c = s.open();
        auto moved = std::move(c); // a heap run moves by its pointer
        counted = 0;
        while (moved.next()) ++counted;
    });
    CHECK(counted == 1000);
    MESSAGE("large erased run allocations: " << first << ", " << second);
    CHECK(first == 1);
    CHECK(second == 1);
}

TEST_CASE("a generate run allocates once from its second run on (the first run learns the frame size)") {
    const auto g = rill::generate([]() -> rill::generator<int> {
        for (int i = 0; i < 100'000; ++i) co_yield i;
    });
    std::size_t counted = 0;
    const long first = allocations_during([&] { counted = rill::count(g); });
    CHECK(counted == 100'000);
    const long second = allocations_during([&] { counted = rill::count(g); });
    CHECK(counted == 100'000);
    const long third = allocations_during([&] { counted = rill::count(g | rill::map([](int x) { return x * 2; })); });
    CHECK(counted == 100'000);
    MESSAGE("generate run allocations: " << first << ", " << second << ", " << third);
    CHECK(first >= 1);
    CHECK(first <= 2);
    CHECK(second == 1);
    CHECK(third == 1);
}

TEST_CASE("a generate run with a capturing factory allocates once from its second run on") {
    int n = 5'000; // not constants: the factory really captures them
    int step = 3;
    const auto g = rill::generate([n, step]() -> rill::generator<int> {
        for (int i = 0; i < n; ++i) co_yield i * step;
    });
    rill::result<long long> sum = 0;
    const long first = allocations_during([&] { sum = rill::fold(g, 0LL, add); });
    CHECK(*sum == 3LL * (4'999LL * 5'000LL / 2));
    const long second = allocations_during([&] { sum = rill::fold(g, 0LL, add); });
    const long third = allocations_during([&] { sum = rill::fold(g, 0LL, add); });
    CHECK(*sum == 3LL * (4'999LL * 5'000LL / 2));
    MESSAGE("capturing generate run allocations: " << first << ", " << second << ", " << third);
    CHECK(first <= 2);
    CHECK(second == 1);
    CHECK(third == 1);
}

TEST_CASE("a using_resource run allocates the resource's stable home once per thread, then reuses it") {
    const auto s = rill::using_resource([] { return 100'000; },
                                        [](int& n) { return rill::iota(0, n) | rill::map([](int x) { return x + 1; }); });
    std::size_t counted = 0;
    const long first = allocations_during([&] { counted = rill::count(s); });
    CHECK(counted == 100'000);
    const long second = allocations_during([&] { counted = rill::count(s); });
    CHECK(counted == 100'000);
    MESSAGE("using_resource run allocations: " << first << ", " << second);
    CHECK(first <= 1); // 0 if an earlier run on this thread left a block for an int
    CHECK(second == 0);

    int released = 0;
    const auto r = rill::using_resource([] { return 1'000; }, [&released](int&, rill::exit_case) { ++released; },
                                        [](int& n) { return rill::iota(0, n); });
    const long with_release = allocations_during([&] { counted = rill::count(r); });
    CHECK(counted == 1'000);
    CHECK(released == 1);
    CHECK(with_release == 0);
    const long stopped = allocations_during([&] { counted = rill::count(r | rill::take(10)); });
    CHECK(counted == 10);
    CHECK(released == 2);
    CHECK(stopped == 0);
}

TEST_CASE("a thread that ran using_resource frees its recycled block when it exits") {
    struct thread_resource { // a type no other test uses: its block starts empty on every thread
        long first;
        long last;
    };
    const auto s = rill::using_resource([] { return thread_resource{0, 1'000}; },
                                        [](thread_resource& r) { return rill::iota(r.first, r.last); });
    long first = -1;
    long second = -1;
    std::size_t counted = 0;
    const long frees_before = g_aligned_frees.load();
    std::thread worker([&] {
        const long before = g_aligned_allocations.load();
        counted = rill::count(s);
        first = g_aligned_allocations.load() - before;
        counted += rill::count(s | rill::take(10));
        second = g_aligned_allocations.load() - before - first;
    });
    worker.join();
    CHECK(counted == 1'010);
    CHECK(first == 1);
    CHECK(second == 0);
    CHECK(g_aligned_frees.load() - frees_before == 1); // at the thread's exit, not before
}

TEST_CASE("a using_resource run allocates what the user's code allocates, and its home once per thread") {
    auto make_inner = [](int n) { return rill::from(std::vector<int>(std::size_t(n), 1)); };
    std::size_t counted = 0;
    const long user = allocations_during([&] { counted = rill::count(make_inner(1'000)); });
    CHECK(counted == 1'000);
    const auto s = rill::using_resource([] { return 1'000; }, [make_inner](int& n) { return make_inner(n); });
    const long total = allocations_during([&] { counted = rill::count(s); });
    CHECK(counted == 1'000);
    MESSAGE("user code: " << user << ", using_resource run: " << total);
    CHECK(total <= user + 1); // + 1 unless a block for an int is already recycled
    CHECK(total >= user);
    const long again = allocations_during([&] { counted = rill::count(s); });
    CHECK(again == user);
}

TEST_CASE("Err items may allocate but Ok items never do") {
    // the first ten items are Err, the rest Ok: the allocations must not depend
    // on how many Ok items follow
    auto pipeline = [](int n) {
        return rill::iota(0, n) | rill::try_map([](int x) -> rill::result<int> {
                   if (x < 10) return rill::err("E", "an error whose message is long enough to be on the heap");
                   return x;
               }) |
               rill::map([](int x) { return x * 2; }) | rill::and_then([](int x) { return rill::of(x, x + 1); });
    };
    std::size_t counted = 0;
    const auto small = pipeline(1'000);
    const auto large = pipeline(200'000);
    const long with_few_ok = allocations_during([&] { counted = rill::count(small); });
    CHECK(counted == 10 + 2 * 990);
    const long with_many_ok = allocations_during([&] { counted = rill::count(large); });
    CHECK(counted == 10 + 2 * 199'990);
    MESSAGE("allocations with 990 Ok items: " << with_few_ok << ", with 199'990: " << with_many_ok);
    CHECK(with_few_ok == with_many_ok);
    CHECK(with_few_ok > 0); // the messages above do not fit a small string buffer

    const rill::stream<int> erased_small = small;
    const rill::stream<int> erased_large = large;
    const long erased_few = allocations_during([&] { counted = rill::count(erased_small); });
    const long erased_many = allocations_during([&] { counted = rill::count(erased_large); });
    MESSAGE("erased: " << erased_few << ", " << erased_many);
    CHECK(erased_few == erased_many);
    CHECK(erased_few == with_few_ok); // the erased run lives inline: nothing more

    const long only_ok = allocations_during([&] { counted = rill::count(pipeline(200'000) | rill::take(0)); });
    CHECK(counted == 0);
    CHECK(only_ok == 0);
}

namespace {

/// A file of `n` lines of 20 to 59 characters (longer than a small string) in the temporary directory.
std::string line_file(const char* name, int n) {
    const std::string path = (std::filesystem::temp_directory_path() / name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (int i = 0; i < n; ++i) out << std::string(std::size_t(20 + i % 40), char('a' + i % 26)) << (i % 7 == 0 ? "\r\n" : "\n");
    return path;
}

struct line_length {
    rill::result<long long> operator()(std::string_view line) const {
        if (line.empty()) return rill::err("EMPTY", "an empty line");
        return static_cast<long long>(line.size());
    }
};

/// The sum of the line lengths of `line_file(n)`, by hand.
long long line_lengths(int n) {
    long long sum = 0;
    for (int i = 0; i < n; ++i) sum += 20 + i % 40;
    return sum;
}

} // namespace

TEST_CASE("a lines run allocates its block and line storage once, nothing per line") {
    // 1'000 lines fit in one 64 KiB block; 200'000 (8 MB) take over a hundred:
    // a run over either allocates the same, so a line costs no allocation.
    const std::string small = line_file("rill_alloc_lines_small.txt", 1'000);
    const std::string large = line_file("rill_alloc_lines_large.txt", 200'000);
    const auto s_small = rill::lines(small);
    const auto s_large = rill::lines(large);

    rill::result<long long> sum = 0;
    const long fold_small = allocations_during([&] { sum = rill::fold(s_small | rill::try_map(line_length{}), 0LL, add); });
    CHECK(*sum == line_lengths(1'000));
    const long fold_large = allocations_during([&] { sum = rill::fold(s_large | rill::try_map(line_length{}), 0LL, add); });
    CHECK(*sum == line_lengths(200'000));
    MESSAGE("fold over lines | try_map: " << fold_small << " allocations for 1'000 lines, " << fold_large << " for 200'000");
    CHECK(fold_small == fold_large);
    CHECK(fold_large <= 4); // the path, the block, the line's storage (growing once or twice)

    long long total = 0;
    const long each_large = allocations_during([&] {
        (void)rill::for_each(s_large, [&](const std::string& line) { total += static_cast<long long>(line.size()); });
    });
    CHECK(total == line_lengths(200'000));
    CHECK(each_large == fold_large); // for_each's error vector stays empty

    std::size_t counted = 0;
    const long count_large = allocations_during([&] { counted = rill::count(s_large); });
    CHECK(counted == 200'000);
    CHECK(count_large == fold_large);

    long long looped = 0;
    const long for_large = allocations_during([&] {
        for (auto&& r : s_large | rill::try_map(line_length{})) looped += *r;
    });
    CHECK(looped == line_lengths(200'000));
    MESSAGE("range-for over lines | try_map: " << for_large << " allocations for 200'000 lines");
    CHECK(for_large <= fold_large + 1); // + 1: begin() opens a copy of the description, path included

    std::filesystem::remove(small);
    std::filesystem::remove(large);
}
