// A file read line by line: ~200 MB of "id,amount" records (0.5% malformed),
// each line parsed to its amount, the amounts summed and the malformed lines
// kept as errors, through every peer:
//
//   hand      std::getline over an std::ifstream into one reused std::string
//   range_v3  ranges::getlines(ifstream) | views::transform(parse)
//   rill_*    rill::lines(path) | rill::try_map(parse), by a sink, next(), range-for
//
// The file is generated once per process in a temporary directory (removed at
// exit); its size is RILL_BENCH_LINES_MB (default 200; CTest's smoke run uses
// 2). Reading it is from the page cache after the startup check: the benchmark
// measures the splitting and parsing, not the disk.
#include "support/harness.hpp"
#include "support/lines_file.hpp"
#include "support/work.hpp"

#include <rill/sink/for_each.hpp>
#include <rill/source/lines.hpp>
#include <rill/stage/try_map.hpp>

#include <range/v3/view/getlines.hpp>
#include <range/v3/view/transform.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace {

using bench::checksum;
using std::int64_t;

// Every peer keeps the malformed lines' errors, as a program that reports them would.
struct totals {
    checksum c;
    std::vector<rill::err_info> errors;
    checksum done() {
        c.errors = static_cast<int64_t>(errors.size());
        return c;
    }
};

checksum hand(int64_t n) {
    totals t;
    std::ifstream in(bench::lines_file(n));
    std::string line;
    const bench::parse_record parse;
    while (std::getline(in, line)) {
        auto r = parse(line);
        if (r) bench::consume(t.c, *r);
        else t.errors.push_back(std::move(r.error()));
    }
    return t.done();
}

checksum range_v3(int64_t n) {
    totals t;
    std::ifstream in(bench::lines_file(n));
    for (auto&& r : ranges::getlines(in) | ranges::views::transform(bench::parse_record{})) {
        if (r) bench::consume(t.c, *r);
        else t.errors.push_back(std::move(r.error()));
    }
    return t.done();
}

auto rill_pipeline(int64_t n) { return rill::lines(bench::lines_file(n)) | rill::try_map(bench::parse_record{}); }

checksum rill_push(int64_t n) {
    totals t;
    t.errors = rill::for_each(rill_pipeline(n), [&](int64_t v) { bench::consume(t.c, v); });
    return t.done();
}

checksum rill_next(int64_t n) {
    totals t;
    auto c = rill_pipeline(n).open();
    while (auto r = c.next()) {
        if (*r) bench::consume(t.c, **r);
        else t.errors.push_back(std::move(r->error()));
    }
    return t.done();
}

checksum rill_for(int64_t n) {
    totals t;
    for (auto&& r : rill_pipeline(n)) {
        if (r) bench::consume(t.c, *r);
        else t.errors.push_back(std::move(r.error()));
    }
    return t.done();
}

void define_cases() {
    const int64_t n = bench::lines_for_megabytes(bench::lines_megabytes());
    bench::add_case("lines.csv", n, std::min<int64_t>(n, 100'000), n,
                    {
                        {"hand", hand},
                        {"range_v3", range_v3},
                        {"rill_push", rill_push},
                        {"rill_next", rill_next},
                        {"rill_for", rill_for},
                    });
}

} // namespace

RILL_BENCH_MAIN(define_cases)
