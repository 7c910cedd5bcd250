// rill::redis::consume against a plain hiredis loop doing the same work, on a
// redis-server the benchmark starts itself (loopback, no persistence).
//
// Each iteration preloads N entries (5k for batch 1, 20k for batch 10, 80k
// otherwise; every 50th malformed), then 1 or 3
// consumer processes (forked) drain the group: read a batch (XREADGROUP COUNT
// b), parse each entry, and acknowledge the batch, the malformed entries
// dead-lettered in the same MULTI/EXEC as the XACK. `hand`: that loop written
// with hiredis directly; `rill push`: `rill::count(redis::consume(cfg, parse))`.
// Wall-clock time from the first read to the last acknowledgement; the
// `items` counter is N, so entries/s = items / time.
#include <benchmark/benchmark.h>

#include <rill/redis.hpp>
#include <rill/sink/for_each.hpp>

#include "redis/server.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace redis = rill::redis;

// --- the server: the tests' fixture (tests/redis/server.hpp) ---------------------------

rill_redis_test::redis_server& the_server() {
    static rill_redis_test::redis_server s;
    return s;
}

constexpr const char* stream = "bench";
constexpr const char* group = "g";
// No BLOCK: a read of an empty stream returns at once. The drained check at
// the end of a run would otherwise wait for the server to time the BLOCK out,
// which redis-server does on its 100 ms cron tick: a fixed cost of up to
// 100 ms per run (more for rill, which also waits for the other consumers'
// pending entries before it ends) that is not throughput.
constexpr std::chrono::milliseconds block{0};

// A fresh stream of n entries {"n": i}, every 50th {"bad": i}, and the group at its start.
void preload(long n) {
    redis::connection c(the_server().endpoint());
    c.command({"DEL", stream, "bench:dlq"});
    rill_redis_test::produce(c, stream, static_cast<int>(n), 50);
    c.command({"XGROUP", "CREATE", stream, group, "0"});
}

// The per-entry work: parse the number.
rill::result<long> parse(const redis::entry& e) {
    const std::string* n = e.find("n");
    if (!n) return rill::err("PARSE", "no n");
    long v = 0;
    std::from_chars(n->data(), n->data() + n->size(), v);
    return v;
}

// --- the plain hiredis loop -----------------------------------------------------------

long plain_consumer(const std::string& name, long count) {
    redis::connection c(the_server().endpoint());
    long sum = 0;
    std::vector<std::string> ids, bad;
    std::vector<std::string> read{"XREADGROUP", "GROUP", group, name, "COUNT", std::to_string(count),
                                  "STREAMS", stream, ">"};
    for (;;) {
        redis::reply r = c.command(read);
        if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) break; // drained (a nil reply)
        const redisReply* list = r->element[0]->element[1];
        ids.clear();
        bad.clear();
        for (std::size_t i = 0; i < list->elements; ++i) {
            const redisReply* e = list->element[i];
            ids.emplace_back(e->element[0]->str, e->element[0]->len);
            const redisReply* f = e->element[1];
            if (std::string_view(f->element[0]->str, f->element[0]->len) == "n") {
                long v = 0;
                std::from_chars(f->element[1]->str, f->element[1]->str + f->element[1]->len, v);
                sum += v;
            } else {
                bad.push_back(ids.back());
            }
        }
        std::vector<std::string> ack{"XACK", stream, group};
        ack.insert(ack.end(), ids.begin(), ids.end());
        if (bad.empty()) {
            c.command(ack);
        } else {
            c.append({"MULTI"});
            for (const auto& id : bad) c.append({"XADD", "bench:dlq", "*", "dlq:id", id, "dlq:code", "PARSE"});
            c.append(ack);
            c.append({"EXEC"});
            for (std::size_t k = 0; k < bad.size() + 3; ++k) c.get_reply();
        }
    }
    return sum;
}

// --- rill -------------------------------------------------------------------------------

long rill_consumer(const std::string& name, long count) {
    redis::group_config cfg{.server = the_server().endpoint(), .stream = stream, .group = group, .consumer = name,
                            .count = static_cast<std::size_t>(count), .block = block, .dead_letter = "bench:dlq",
                            .create_group = false, .stop_when_drained = true};
    long sum = 0;
    rill::for_each(redis::consume(cfg, parse), [&](long v) { sum += v; }, [](rill::err_info&&) {});
    return sum;
}

// One iteration: `procs` consumers (forked processes when more than one) drain the group.
template <long (*Consumer)(const std::string&, long)>
void run(benchmark::State& state) {
    const long count = state.range(0), procs = state.range(1);
    const long n = count == 1 ? 5000 : count == 10 ? 20000 : 80000;
    the_server();
    for (auto _ : state) {
        state.PauseTiming();
        preload(n);
        state.ResumeTiming();
        if (procs == 1) {
            benchmark::DoNotOptimize(Consumer("c0", count));
        } else {
            std::vector<pid_t> kids;
            for (long p = 0; p < procs; ++p) {
                pid_t pid = ::fork();
                if (pid == 0) {
                    Consumer("c" + std::to_string(p), count);
                    ::_exit(0);
                }
                kids.push_back(pid);
            }
            for (pid_t k : kids) ::waitpid(k, nullptr, 0);
        }
    }
    state.counters["items"] = static_cast<double>(n);
    state.SetItemsProcessed(state.iterations() * n);
}

void hand(benchmark::State& s) { run<plain_consumer>(s); }
void rill_push(benchmark::State& s) { run<rill_consumer>(s); }

} // namespace

// One registration per (batch, processes) and peer, named redis.b<count>.c<procs>/<peer>.
int main(int argc, char** argv) {
    for (long procs : {1, 3})
        for (long count : {1, 10, 100, 1000}) {
            const std::string c = "redis.b" + std::to_string(count) + ".c" + std::to_string(procs);
            benchmark::RegisterBenchmark((c + "/hand").c_str(), hand)->Args({count, procs})->UseRealTime()->Unit(benchmark::kMillisecond);
            benchmark::RegisterBenchmark((c + "/rill_push").c_str(), rill_push)->Args({count, procs})->UseRealTime()->Unit(benchmark::kMillisecond);
        }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
