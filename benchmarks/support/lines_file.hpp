// The input of the lines benchmarks: a generated CSV file of "id,amount"
// records with 0.5% malformed lines, made once per process and size in a
// temporary directory (removed at exit), and the parser every peer calls.
#pragma once

#include <rill/result.hpp>

#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <system_error>

namespace bench {

/// Lines for a file of about `mb` megabytes (records average ~16 bytes).
inline std::int64_t lines_for_megabytes(std::int64_t mb) { return mb * 1'000'000 / 16; }

/// The size of the lines benchmark in MB: `RILL_BENCH_LINES_MB` (CTest's smoke
/// run sets a small one), else 200.
inline std::int64_t lines_megabytes() {
    if (const char* v = std::getenv("RILL_BENCH_LINES_MB")) {
        const long long mb = std::atoll(v);
        if (mb > 0) return mb;
    }
    return 200;
}

/// Line `i` of the generated file, without its '\n': one in 200 is malformed.
inline std::string_view record(std::int64_t i, char (&buf)[64]) {
    const auto h = static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL;
    if ((h >> 40) % 200 == 0) {
        static constexpr std::string_view garbage[] = {"garbage", "12345", "id,amount", "77,", ",12", "9,x1"};
        return garbage[(h >> 20) % 6];
    }
    const long long amount = static_cast<long long>((h >> 24) % 2'000'001) - 1'000'000;
    const int n = std::snprintf(buf, sizeof buf, "%lld,%lld", static_cast<long long>(i), amount);
    return {buf, static_cast<std::size_t>(n)};
}

/// Removes the directory of generated files when the process ends.
struct lines_files {
    std::filesystem::path dir;
    std::map<std::int64_t, std::string> made;
    ~lines_files() {
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
};

/// The path of a generated file of `n` lines (made on first use).
inline const std::string& lines_file(std::int64_t n) {
    static lines_files files;
    if (auto it = files.made.find(n); it != files.made.end()) return it->second;
    if (files.dir.empty()) {
        files.dir = std::filesystem::temp_directory_path() / ("rill_bench_lines_" + std::to_string(::getpid()));
        std::filesystem::create_directories(files.dir);
    }
    const std::string path = (files.dir / ("records_" + std::to_string(n) + ".csv")).string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) {
        std::perror(path.c_str());
        std::abort();
    }
    static char out[1 << 16];
    std::setvbuf(f, out, _IOFBF, sizeof out);
    char buf[64];
    for (std::int64_t i = 0; i < n; ++i) {
        const std::string_view r = record(i, buf);
        std::fwrite(r.data(), 1, r.size(), f);
        std::fputc('\n', f);
    }
    std::fclose(f);
    return files.made.emplace(n, path).first->second;
}

[[gnu::noinline, gnu::cold]] inline rill::result<std::int64_t> malformed_record() {
    return rill::err("PARSE", "malformed record: expected id,amount");
}

/// Parses "id,amount" to its amount; Err for anything else. A function object
/// (inlined by every peer alike).
struct parse_record {
    rill::result<std::int64_t> operator()(std::string_view line) const {
        const char* const first = line.data();
        const char* const last = first + line.size();
        std::int64_t id = 0;
        const auto [comma, e1] = std::from_chars(first, last, id);
        if (e1 != std::errc() || comma == last || *comma != ',') [[unlikely]]
            return malformed_record();
        std::int64_t amount = 0;
        const auto [end, e2] = std::from_chars(comma + 1, last, amount);
        if (e2 != std::errc() || end != last) [[unlikely]]
            return malformed_record();
        return amount + (id & 1);
    }
};

} // namespace bench
