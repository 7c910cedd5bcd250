// Fault tests with consumer processes (tests/redis/programs/worker.cpp) and a
// real redis-server: kill -9 between batches and before an ack, SIGSTOP past
// the claim timeout, poison entries, a redis-server restart. Each proves that
// every entry was processed or dead-lettered, none is missing, and counts the
// duplicates that at-least-once allows.
#include "redis/server.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace rill_redis_test;

namespace {

constexpr int batch = 50;
// Far above a batch's 5 ms of work, so that a live worker is not robbed even on
// a loaded machine (which would add duplicates the assertions do not allow).
constexpr int claim_ms = 1000;

/// Worker processes over one server, each logging the IDs it processed.
class workers {
public:
    explicit workers(const redis_server& srv) : srv_(srv) {
        char tmpl[] = "/tmp/rill-redis-workers-XXXXXX";
        REQUIRE(::mkdtemp(tmpl));
        dir_ = tmpl;
    }
    workers(const workers&) = delete;
    workers& operator=(const workers&) = delete;
    ~workers() {
        for (auto& [name, pid] : pids_) {
            ::kill(pid, SIGCONT);
            ::kill(pid, SIGKILL);
            wait_exit(pid, std::chrono::milliseconds(2000));
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    pid_t start(const std::string& name, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{RILL_REDIS_TEST_WORKER, "port=" + std::to_string(srv_.port()), "stream=jobs",
                                      "group=g", "consumer=" + name, "count=" + std::to_string(batch),
                                      "claim_ms=" + std::to_string(claim_ms),
                                      "log=" + (dir_ / (name + ".log")).string(),
                                      "stats=" + (dir_ / (name + ".stats")).string()};
        args.insert(args.end(), extra.begin(), extra.end());
        pid_t pid = spawn(args);
        pids_[name] = pid;
        return pid;
    }

    /// Waits for every worker to exit; returns how many were killed by a signal.
    int wait_all(std::chrono::seconds limit = std::chrono::seconds(30)) {
        int killed = 0;
        for (auto it = pids_.begin(); it != pids_.end();) {
            int st = 0;
            INFO("worker " << it->first);
            REQUIRE(wait_exit(it->second, limit, &st));
            if (WIFSIGNALED(st)) ++killed;
            else CHECK(WEXITSTATUS(st) == 0);
            it = pids_.erase(it);
        }
        return killed;
    }

    /// Every ID logged by every worker, duplicates included.
    std::vector<std::string> processed() const {
        std::vector<std::string> out;
        for (auto& f : std::filesystem::directory_iterator(dir_)) {
            if (f.path().extension() != ".log") continue;
            std::ifstream in(f.path());
            for (std::string line; std::getline(in, line);) out.push_back(line);
        }
        return out;
    }

    /// A counter summed over the stats files of the workers that exited normally.
    long stat(const std::string& key) const {
        long sum = 0;
        for (auto& f : std::filesystem::directory_iterator(dir_)) {
            if (f.path().extension() != ".stats") continue;
            std::ifstream in(f.path());
            std::string k;
            long v;
            while (in >> k >> v)
                if (k == key) sum += v;
        }
        return sum;
    }

    /// Waits until the workers have logged at least `n` IDs.
    void wait_progress(std::size_t n) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (processed().size() < n) {
            REQUIRE(std::chrono::steady_clock::now() < until);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }

private:
    const redis_server& srv_;
    std::filesystem::path dir_;
    std::map<std::string, pid_t> pids_;
};

struct outcome {
    std::size_t duplicates = 0;   // processed more than once (at-least-once)
    std::size_t dead_letters = 0; // entries in the dead-letter stream, duplicates included
};

/// Checks that every entry of `ids` was processed (logged) or dead-lettered,
/// that none was both, that the group has nothing pending, and that the
/// dead-lettered ones are exactly `expected_dead`; returns the counts.
outcome check_nothing_lost(rill::redis::connection& c, const std::vector<std::string>& ids,
                           const std::set<std::string>& expected_dead, const workers& w) {
    const auto logged = w.processed();
    std::set<std::string> done(logged.begin(), logged.end());
    const auto dlq = field_of_all(c, "jobs:dlq", "dlq:id");
    std::set<std::string> dead(dlq.begin(), dlq.end());
    std::size_t missing = 0, both = 0;
    for (const auto& id : ids) {
        const bool p = done.count(id) > 0, d = dead.count(id) > 0;
        if (!p && !d) ++missing;
        if (p && d) ++both;
    }
    CHECK(missing == 0);
    CHECK(both == 0);
    CHECK(done.size() + dead.size() == ids.size());
    CHECK(dead == expected_dead);
    CHECK(pending(c, "jobs", "g") == 0);
    return outcome{logged.size() - done.size(), dlq.size()};
}

/// Starts w1 (with `mode` at batch 3), w2 and w3, each working 100 µs per entry.
pid_t start_three(workers& w, const std::string& mode) {
    const pid_t first = w.start("w1", {"mode=" + mode, "at_batch=3", "work_us=100"});
    w.start("w2", {"work_us=100"});
    w.start("w3", {"work_us=100"});
    return first;
}

/// Entries 0..n-1, every 50th bad; returns the IDs and the bad ones.
std::pair<std::vector<std::string>, std::set<std::string>> jobs(rill::redis::connection& c, int n, int poison = -1) {
    auto ids = produce(c, "jobs", n, 50, poison);
    std::set<std::string> bad;
    for (int i = 49; i < n; i += 50) bad.insert(ids[i]);
    if (poison >= 0) bad.insert(ids[poison]);
    return {ids, bad};
}

} // namespace

namespace {

/// 3000 jobs, three workers, w1 killing itself with SIGKILL at `mode`; checks
/// that nothing was lost; returns the counts and the survivors' claims and redeliveries.
struct kill_outcome {
    outcome counts;
    std::size_t bad = 0;
    long claimed = 0, redelivered = 0;
};
kill_outcome one_killed(const std::string& mode) {
    redis_server srv;
    auto c = srv.connect();
    auto [ids, bad] = jobs(c, 3000);
    workers w(srv);
    start_three(w, mode);
    CHECK(w.wait_all() == 1);
    return kill_outcome{check_nothing_lost(c, ids, bad, w), bad.size(), w.stat("claimed"), w.stat("redelivered")};
}

} // namespace

TEST_CASE("a consumer killed with SIGKILL between batches loses nothing and causes no duplicate") {
    auto r = one_killed("kill_between");
    CHECK(r.counts.duplicates == 0);
    CHECK(r.counts.dead_letters == r.bad);
    CHECK(r.claimed >= 1); // w1's unprocessed batch was taken over
}

TEST_CASE("a consumer killed with SIGKILL after processing a batch, before its ack, causes at most one batch of duplicates") {
    auto r = one_killed("kill_before_ack");
    CHECK(r.counts.duplicates > 0);
    CHECK(r.counts.duplicates <= static_cast<std::size_t>(batch));
    // the dead letters of the killed batch were never written (one MULTI/EXEC with the ack): exactly one per bad entry
    CHECK(r.counts.dead_letters == r.bad);
    CHECK(r.claimed >= 1);
    CHECK(r.redelivered >= 1);
}

TEST_CASE("a consumer frozen with SIGSTOP past the claim timeout has its batch claimed, and its late ack duplicates but never loses") {
    redis_server srv;
    auto c = srv.connect();
    auto [ids, bad] = jobs(c, 3000);
    workers w(srv);
    const pid_t frozen = start_three(w, "stop_mid_batch");
    int st = 0;
    REQUIRE(::waitpid(frozen, &st, WUNTRACED) == frozen);
    REQUIRE(WIFSTOPPED(st));
    // the others finish, claim its batch after claim_timeout and process it while w1 is frozen
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pending(c, "jobs", "g") > 0 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(pending(c, "jobs", "g") == 0);
    ::kill(frozen, SIGCONT);
    CHECK(w.wait_all() == 0);
    auto r = check_nothing_lost(c, ids, bad, w);
    CHECK(r.duplicates > 0); // w1 finished its batch after the claim: a stale consumer's work is done twice
    CHECK(r.duplicates <= static_cast<std::size_t>(batch));
    CHECK(r.dead_letters >= bad.size());
    CHECK(r.dead_letters <= bad.size() + 1); // at most the one bad entry of the stolen batch, twice
    CHECK(w.stat("claimed") >= static_cast<long>(batch));
}

TEST_CASE("a poison entry that crashes every session is dead-lettered after max_deliveries, the rest processed") {
    redis_server srv;
    auto c = srv.connect();
    auto [ids, bad] = jobs(c, 1000, 420);
    workers w(srv);
    w.start("w1", {"max_deliveries=3"});
    w.start("w2", {"max_deliveries=3"});
    CHECK(w.wait_all() == 0);
    auto r = check_nothing_lost(c, ids, bad, w);
    CHECK(r.dead_letters == bad.size());
    CHECK(w.stat("restarts") == 3); // deliveries 1, 2, 3 threw; the 4th was dead-lettered
    auto codes = field_of_all(c, "jobs:dlq", "dlq:code");
    CHECK(std::count(codes.begin(), codes.end(), "redis.max_deliveries") == 1);
    // duplicates: at most the entries before the poison one in its first batch, redone once per session
    CHECK(r.duplicates <= static_cast<std::size_t>(batch) * 3);
}

TEST_CASE("consumers survive a kill -9 and restart of redis-server with append-only persistence") {
    redis_server srv(true);
    auto c = srv.connect();
    auto [ids, bad] = jobs(c, 3000);
    workers w(srv);
    w.start("w1", {"work_us=300"});
    w.start("w2", {"work_us=300"});
    w.wait_progress(600);
    srv.kill9();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    srv.restart();
    CHECK(w.wait_all() == 0);
    auto c2 = srv.connect();
    auto r = check_nothing_lost(c2, ids, bad, w);
    CHECK(r.duplicates <= static_cast<std::size_t>(2 * batch)); // at most the batch each worker held
    CHECK(r.dead_letters <= bad.size() + 2);
    CHECK(w.stat("reconnects") >= 2); // both workers lost the server and came back
}
