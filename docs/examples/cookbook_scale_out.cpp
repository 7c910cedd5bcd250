// Cookbook: the order pipeline spread over three worker processes with
// rill::redis. One program, three roles:
//
//   cookbook_scale_out produce <host> <port> <n>   appends n orders to the stream "orders"
//   cookbook_scale_out worker <host> <port> <name> [--until-drained]
//                                                  one worker: orders -> postings in "ledger", until
//                                                  Ctrl-C / SIGTERM (or until the group is drained)
//   cookbook_scale_out                             the demo CTest runs: a private redis-server,
//                                                  a producer, three workers, one killed with -9
#include <rill/redis.hpp>
#include <rill/rill.hpp>

#include "redis_server.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <ctime>
#include <pthread.h>
#include <stop_token>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace redis = rill::redis;

// [snippet:order]
struct posting {
    long order_id;
    long cents;
};

// The worker's function: parse one order entry and price it. A malformed
// order is an Err: it is dead-lettered, and the others go on.
rill::result<posting> post(const redis::entry& e) {
    const std::string* qty = e.find("qty");
    const std::string* unit = e.find("unit_cents");
    if (!qty || !unit) return rill::err("PARSE", "order " + e.at("id") + " has no qty or unit_cents");
    std::this_thread::sleep_for(std::chrono::microseconds(100)); // the work
    return posting{std::stol(e.at("id")), std::stol(*qty) * std::stol(*unit)};
}

redis::fields as_fields(const posting& p) {
    return {{"order", std::to_string(p.order_id)}, {"cents", std::to_string(p.cents)}};
}
// [/snippet:order]

// [snippet:producer]
int produce(redis::endpoint where, long n) {
    auto orders = rill::iota(1L, n + 1) | rill::map([](long id) {
                      redis::fields f{{"id", std::to_string(id)}, {"qty", std::to_string(id % 5 + 1)}};
                      if (id % 100 != 0) f.emplace_back("unit_cents", "250"); // every 100th order is malformed
                      return f;
                  });
    redis::xadd(orders, {.server = where, .stream = "orders"}, [](const redis::fields& f) { return f; });
    return 0;
}
// [/snippet:producer]

// Turns SIGINT and SIGTERM into a stop request, on a thread of its own.
class signal_watch {
public:
    explicit signal_watch(std::stop_source& stop) {
        sigemptyset(&set_);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set_, nullptr); // before the run starts any thread
        thread_ = std::jthread([this, &stop](std::stop_token done) {
            const timespec tick{0, 100'000'000};
            while (!done.stop_requested())
                if (sigtimedwait(&set_, nullptr, &tick) > 0) stop.request_stop();
        });
    }

private:
    sigset_t set_{};
    std::jthread thread_;
};

// [snippet:worker]
int work(redis::endpoint where, std::string name, bool until_drained) {
    redis::group_config orders{
        .server = where,
        .stream = "orders",
        .group = "ledger-writers",
        .consumer = std::move(name),                        // stable: a restarted worker resumes its own entries
        .count = 100,
        .claim_timeout = std::chrono::milliseconds(1000),   // far above a batch's 10 ms: live workers are never robbed
        .claim_every = std::chrono::milliseconds(200),
        .stop_when_drained = until_drained,                 // the demo's workers end; a service runs until stopped
    };
    // The postings of a batch are written to "ledger" in the MULTI/EXEC that
    // acknowledges the batch: a worker killed before that writes nothing, and
    // another worker redoes the batch after claim_timeout.
    auto postings = redis::forward(orders, post, {.server = where, .stream = "ledger"}, as_fields);
    // Ctrl-C or SIGTERM stops the run (a batch in hand stays pending for the next session).
    std::stop_source stop;
    signal_watch watch(stop);
    rill::for_each(postings | rill::stop_on(stop.get_token()), [](posting&&) {},
                   [](rill::err_info&&) {}); // Errs are in orders:dlq already, and "stopped" ends the run
    return 0;
}
// [/snippet:worker]

namespace {

pid_t start(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (::posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0) std::exit(1);
    return pid;
}

long long integer(redis::connection& c, std::initializer_list<std::string_view> cmd) { return c.command(cmd)->integer; }

int demo() {
    docs::redis_server server;
    const redis::endpoint where = server.endpoint();
    const std::string host = where.host, port = std::to_string(where.port);
    redis::connection c(where);

    produce(where, 3000);
    std::cout << "produced " << integer(c, {"XLEN", "orders"}) << " orders\n";

    std::vector<pid_t> workers;
    for (const char* name : {"worker-1", "worker-2", "worker-3"})
        workers.push_back(start({"cookbook_scale_out", "worker", host, port, name, "--until-drained"}));
    std::cout << "started 3 workers\n";
    while (integer(c, {"XLEN", "ledger"}) < 600) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ::kill(workers[1], SIGKILL);
    std::cout << "killed worker-2 with SIGKILL\n";
    for (pid_t w : workers) ::waitpid(w, nullptr, 0);
    std::cout << "the other workers drained the group\n";

    std::set<std::string> posted;
    long postings = 0, cents = 0;
    for (const auto& r : redis::range(where, "ledger")) {
        ++postings;
        posted.insert(r->at("order"));
        cents += std::stol(r->at("cents"));
    }
    std::set<std::string> dead;
    for (const auto& r : redis::range(where, "orders:dlq")) dead.insert(r->at("id"));
    std::cout << "ledger: " << postings << " postings for " << posted.size() << " orders, " << cents << " cents\n";
    std::cout << "dead letters: " << dead.size() << '\n';
    long missing = 0;
    for (long id = 1; id <= 3000; ++id)
        if (!posted.count(std::to_string(id)) && !dead.count(std::to_string(id))) ++missing;
    std::cout << "missing: " << missing << ", pending: " << c.command({"XPENDING", "orders", "ledger-writers"})->element[0]->integer
              << '\n';
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 4 && args[0] == "produce") return produce({.host = args[1], .port = std::stoi(args[2])}, std::stol(args[3]));
    if ((args.size() == 4 || args.size() == 5) && args[0] == "worker")
        return work({.host = args[1], .port = std::stoi(args[2])}, args[3], args.size() == 5 && args[4] == "--until-drained");
    if (args.empty()) return demo();
    std::cerr << "usage: cookbook_scale_out [produce <host> <port> <n> | worker <host> <port> <name> [--until-drained]]\n";
    return 2;
}
