// Peak memory of a run against its size: each case runs at each size (default
// 1M and 100M items) in a fresh child process (this program re-executed), and
// the parent reads the child's peak RSS from wait4(). A flat line from 1M to
// 100M items is the goal: a run's memory is O(1) in its number of items.
//
//   bench_memory [--sizes 1000000,100000000] [--out memory.json]
//
// The child also counts its allocations (a counting operator new), reported
// per item. Not a Google Benchmark binary: it has its own main.
//
// The lines cases read a generated CSV file (support/lines_file.hpp) of each
// size in --line-sizes (default 1M and 10M lines, ~16 MB and ~160 MB), made by
// the parent once and read by each child: a run's memory must not grow with
// the file.
#include "support/lines_file.hpp"
#include "support/work.hpp"

#include <rill/source/lines.hpp>

#include <rill/sink/count.hpp>
#include <rill/sink/error_summary.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/source/generate.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/and_then.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <string>
#include <vector>

namespace {

std::atomic<long> g_allocations{0};

void* counted(std::size_t n) {
    g_allocations.store(g_allocations.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}

} // namespace

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n) { return counted(n); }
void* operator new[](std::size_t n) { return counted(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using std::int64_t;

template <class Check = bench::checked_half>
auto pipeline(int64_t n, Check check = bench::some_errors) {
    return rill::iota(int64_t{0}, n) | rill::map(bench::cheap_body{}) | rill::filter(bench::is_even) |
           rill::try_map(check) | rill::and_then([](int64_t x) { return rill::of(x, x + 1); });
}

struct outcome {
    int64_t items = 0; // items the run produced
    int64_t check = 0; // something derived from them, so the run is not optimised away
};

outcome hand(int64_t n) {
    outcome o;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t x = bench::cheap_body{}(i);
        if (!bench::is_even(x)) continue;
        auto r = bench::some_errors(x);
        if (!r) {
            ++o.items;
            continue;
        }
        o.items += 2;
        o.check += 2 * *r + 1;
    }
    return o;
}

outcome pipeline_push(int64_t n) { return {static_cast<int64_t>(rill::count(pipeline(n))), 0}; }

outcome pipeline_next(int64_t n) {
    outcome o;
    auto c = pipeline(n).open();
    while (auto r = c.next()) {
        ++o.items;
        if (*r) o.check += **r;
    }
    return o;
}

outcome stream_push(int64_t n) {
    const rill::stream<int64_t> s = pipeline(n);
    return {static_cast<int64_t>(rill::count(s)), 0};
}

outcome generate_push(int64_t n) {
    auto g = rill::generate([n]() -> rill::generator<int64_t> {
        for (int64_t i = 0; i < n; ++i) co_yield i;
    });
    return {static_cast<int64_t>(rill::count(g | rill::map(bench::cheap_body{}))), 0};
}

outcome resource_push(int64_t n) {
    auto s = rill::using_resource([n] { return n; }, [](int64_t& m) { return rill::iota(int64_t{0}, m); });
    return {static_cast<int64_t>(rill::count(s)), 0};
}

// 15% Err items (of those reaching try_map), each with a message on the heap:
// every consumer must still run in O(1) memory.
outcome err15_count(int64_t n) { return {static_cast<int64_t>(rill::count(pipeline(n, bench::many_errors))), 0}; }

outcome err15_for_each_summary(int64_t n) {
    outcome o;
    const auto summary = rill::for_each(pipeline(n, bench::many_errors), [&](int64_t v) {
        ++o.items;
        o.check += v;
    }, rill::error_summary(10));
    o.items += static_cast<int64_t>(summary.count());
    return o;
}

outcome err15_next(int64_t n) {
    outcome o;
    auto c = pipeline(n, bench::many_errors).open();
    while (auto r = c.next()) {
        ++o.items;
        if (*r) o.check += **r;
    }
    return o;
}

outcome err15_range_for(int64_t n) {
    outcome o;
    for (const auto& r : pipeline(n, bench::many_errors)) {
        ++o.items;
        if (r) o.check += *r;
    }
    return o;
}

const char* g_lines_path = nullptr; // the file a lines case reads (the child's fourth argument)

outcome lines_getline(int64_t) {
    outcome o;
    std::ifstream in(g_lines_path);
    std::string line;
    const bench::parse_record parse;
    while (std::getline(in, line)) {
        ++o.items;
        if (auto r = parse(line)) o.check += *r;
    }
    return o;
}

outcome lines_rill_push(int64_t) {
    // count, not for_each: for_each keeps the Err items it returns, which is memory for them, not for the lines.
    outcome o;
    o.items = static_cast<int64_t>(rill::count(rill::lines(g_lines_path) | rill::try_map(bench::parse_record{}) |
                                               rill::map([&](int64_t v) {
                                                   o.check += v;
                                                   return v;
                                               })));
    return o;
}

struct memory_case {
    const char* name;
    outcome (*run)(int64_t);
    bool reads_lines = false;
};

constexpr memory_case memory_cases[] = {
    {"hand", hand},
    {"rill_push", pipeline_push},
    {"rill_next", pipeline_next},
    {"stream_push", stream_push},
    {"generate_push", generate_push},
    {"using_resource_push", resource_push},
    {"err15_count", err15_count},
    {"err15_for_each_summary", err15_for_each_summary},
    {"err15_next", err15_next},
    {"err15_range_for", err15_range_for},
    {"lines_getline", lines_getline, true},
    {"lines_rill_push", lines_rill_push, true},
};

int child(const char* name, int64_t n) {
    for (const auto& c : memory_cases) {
        if (std::strcmp(c.name, name) != 0) continue;
        const long before = g_allocations.load();
        const outcome o = c.run(n);
        const long allocations = g_allocations.load() - before;
        std::printf("%lld %ld %lld\n", static_cast<long long>(o.items), allocations, static_cast<long long>(o.check));
        return 0;
    }
    std::fprintf(stderr, "bench_memory: no case %s\n", name);
    return 2;
}

struct measured {
    long long items = 0;
    long allocations = 0;
    long peak_kib = 0;
    bool ok = false;
};

measured run_child(const char* self, const char* name, int64_t n, const char* lines_path) {
    int fd[2];
    if (pipe(fd) != 0) return {};
    const std::string size = std::to_string(n);
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        execl(self, self, "--child", name, size.c_str(), lines_path, static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fd[1]);
    std::string out;
    char buf[256];
    for (ssize_t got; (got = read(fd[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(got));
    close(fd[0]);
    int status = 0;
    rusage usage{};
    if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
    measured m;
    long long check = 0;
    if (std::sscanf(out.c_str(), "%lld %ld %lld", &m.items, &m.allocations, &check) != 3) return {};
    m.peak_kib = usage.ru_maxrss; // KiB on Linux
    m.ok = true;
    return m;
}

} // namespace

int main(int argc, char** argv) {
    if (argc >= 4 && std::strcmp(argv[1], "--child") == 0) {
        if (argc >= 5) g_lines_path = argv[4];
        return child(argv[2], std::atoll(argv[3]));
    }

    std::vector<int64_t> sizes{1'000'000, 100'000'000};
    std::vector<int64_t> line_sizes{1'000'000, 10'000'000};
    auto parse_sizes = [](const char* p) {
        std::vector<int64_t> out;
        while (*p) {
            char* end = nullptr;
            out.push_back(std::strtoll(p, &end, 10));
            p = *end == ',' ? end + 1 : end;
        }
        return out;
    };
    const char* out_path = nullptr;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--sizes") == 0) {
            sizes = parse_sizes(argv[i + 1]);
        } else if (std::strcmp(argv[i], "--line-sizes") == 0) {
            line_sizes = parse_sizes(argv[i + 1]);
        } else if (std::strcmp(argv[i], "--out") == 0) {
            out_path = argv[i + 1];
        }
    }

    std::string json = "{\n  \"cases\": [\n";
    bool first = true;
    int failures = 0;
    std::printf("%-22s %14s %14s %12s %16s\n", "case", "source items", "items out", "peak RSS KiB", "allocs/item");
    for (const auto& c : memory_cases) {
        for (const int64_t n : c.reads_lines ? line_sizes : sizes) {
            const char* path = c.reads_lines ? bench::lines_file(n).c_str() : "";
            const measured m = run_child("/proc/self/exe", c.name, n, path);
            if (!m.ok) {
                std::fprintf(stderr, "bench_memory: case %s at %lld failed\n", c.name, static_cast<long long>(n));
                ++failures;
                continue;
            }
            const double per_item = m.items > 0 ? static_cast<double>(m.allocations) / static_cast<double>(m.items) : 0;
            std::printf("%-22s %14lld %14lld %12ld %16.3g\n", c.name, static_cast<long long>(n), m.items, m.peak_kib,
                        per_item);
            char line[512];
            std::snprintf(line, sizeof line,
                          "%s    {\"case\": \"%s\", \"size\": %lld, \"items\": %lld, \"peak_rss_kib\": %ld, "
                          "\"allocations\": %ld}",
                          first ? "" : ",\n", c.name, static_cast<long long>(n), m.items, m.peak_kib, m.allocations);
            json += line;
            first = false;
        }
    }
    json += "\n  ]\n}\n";
    if (out_path) {
        if (FILE* f = std::fopen(out_path, "w")) {
            std::fputs(json.c_str(), f);
            std::fclose(f);
        }
    }
    return failures == 0 ? 0 : 1;
}
