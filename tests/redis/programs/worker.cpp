// A consumer process for the fault tests: consumes a group until it is
// drained, logs the ID of every entry it processed (one write per entry, so a
// kill -9 loses nothing already logged) and, on request, kills or stops itself
// at a precise point of a batch.
//
//   rill_redis_test_worker key=value...
//     port, stream, group, consumer, count, claim_ms, max_deliveries, workers,
//     work_us (per entry), log (file of processed IDs), stats (file written at exit),
//     mode = none | kill_between | kill_before_ack | stop_mid_batch, at_batch = N
//
// Entries: {"n": i} is processed (its ID logged); {"bad": i} gives Err PARSE
// (dead-lettered); {"poison": i} throws (the session ends and starts again).
#include <rill/redis.hpp>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>

int main(int argc, char** argv) {
    std::map<std::string, std::string> arg;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto eq = a.find('=');
        if (eq != std::string::npos) arg[a.substr(0, eq)] = a.substr(eq + 1);
    }
    auto num = [&](const char* k, long d) { return arg.count(k) ? std::stol(arg[k]) : d; };

    rill::redis::group_config cfg{
        .server = {.host = "127.0.0.1", .port = static_cast<int>(num("port", 6379)), .timeout = std::chrono::milliseconds(1000)},
        .stream = arg["stream"],
        .group = arg["group"],
        .consumer = arg["consumer"],
        .count = static_cast<std::size_t>(num("count", 50)),
        .block = std::chrono::milliseconds(100),
        .claim_timeout = std::chrono::milliseconds(num("claim_ms", 300)),
        .claim_every = std::chrono::milliseconds(100),
        .max_deliveries = static_cast<std::uint32_t>(num("max_deliveries", 5)),
        .stop_when_drained = true,
    };
    const std::string mode = arg.count("mode") ? arg["mode"] : "none";
    const long at = num("at_batch", 3) * static_cast<long>(cfg.count);
    const auto work = std::chrono::microseconds(num("work_us", 0));
    const int log = ::open(arg["log"].c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log < 0) return 2;

    rill::redis::consume_stats st;
    long items = 0; // items handed on (Ok and Err), over all sessions
    long restarts = 0;
    for (;;) {
        bool again = false;
        try {
            auto run = rill::redis::consume(
                           cfg,
                           [work](const rill::redis::entry& e) -> rill::result<std::string> {
                               if (e.find("poison")) throw std::runtime_error("poison entry " + e.id);
                               if (e.find("bad")) return rill::err("PARSE", "bad entry " + e.at("bad"));
                               if (work.count() > 0) std::this_thread::sleep_for(work);
                               return e.id;
                           },
                           {.workers = static_cast<std::size_t>(num("workers", 1)), .stats = &st})
                           .open();
            while (auto r = run.next()) {
                ++items;
                // the first item of the batch after batch N: batch N is acknowledged, this one unprocessed
                if (mode == "kill_between" && items == at + 1) ::raise(SIGKILL);
                if (r->has_value()) {
                    const std::string line = **r + "\n";
                    if (::write(log, line.data(), line.size()) != static_cast<ssize_t>(line.size())) std::abort();
                } else if (r->error().code.rfind("redis.", 0) == 0 && r->error().code != "redis.max_deliveries") {
                    again = true; // the connection or the server failed for good: start another session
                }
                // the last item of batch N: processed and logged, not acknowledged
                if (mode == "kill_before_ack" && items == at) ::raise(SIGKILL);
                if (mode == "stop_mid_batch" && items == at + static_cast<long>(cfg.count) / 2) ::raise(SIGSTOP);
            }
        } catch (const std::exception&) {
            again = true; // the poison entry: its batch stays pending, a new session reads it again
        }
        if (!again) break;
        if (++restarts > 100) return 3;
    }
    ::close(log);
    if (arg.count("stats")) {
        std::ofstream out(arg["stats"]);
        out << "batches " << st.batches << "\nacked " << st.acked << "\ndead_lettered " << st.dead_lettered
            << "\nredelivered " << st.redelivered << "\nclaimed " << st.claimed << "\nabandoned " << st.abandoned
            << "\nreconnects " << st.reconnects << "\nrestarts " << restarts << "\n";
    }
    return 0;
}
