// A real redis-server for the tests: started on a free loopback port in a
// fresh temporary directory (no persistence unless asked for), stopped by its
// pid, its directory removed. Also spawns and signals worker processes.
#pragma once

#include <rill/redis/config.hpp>
#include <rill/redis/connection.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace rill_redis_test {

using namespace std::chrono_literals;

/// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0).
inline int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("bind failed");
    }
    ::close(fd);
    return ntohs(a.sin_port);
}

/// Starts `argv` as a child process; returns its pid.
inline pid_t spawn(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
        throw std::runtime_error("posix_spawn " + args[0] + " failed");
    return pid;
}

/// Waits for `pid` to exit, at most `limit`; true when it did (its status in `status`).
inline bool wait_exit(pid_t pid, std::chrono::milliseconds limit, int* status = nullptr) {
    const auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int st = 0;
        pid_t r = ::waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            if (status) *status = st;
            return true;
        }
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(5ms);
    }
}

/// One redis-server process.
class redis_server {
public:
    /// `appendonly`: AOF with `appendfsync always` (the restart test); otherwise nothing is persisted.
    explicit redis_server(bool appendonly = false) : appendonly_(appendonly) {
        char tmpl[] = "/tmp/rill-redis-XXXXXX";
        if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        for (int attempt = 0;; ++attempt) {
            port_ = free_port();
            if (start()) break;
            if (attempt == 5) throw std::runtime_error("redis-server did not start");
        }
    }
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;
    ~redis_server() {
        stop();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    int port() const { return port_; }
    rill::redis::endpoint endpoint() const { return {.host = "127.0.0.1", .port = port_, .timeout = 2000ms}; }
    pid_t pid() const { return pid_; }

    /// kill -9 the server (the AOF stays in its directory).
    void kill9() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            wait_exit(pid_, 5000ms);
            pid_ = -1;
        }
    }
    /// Starts the server again on the same port and directory.
    void restart() {
        if (!start()) throw std::runtime_error("redis-server did not restart");
    }

    /// A connection for the test's own commands.
    rill::redis::connection connect() const { return rill::redis::connection(endpoint()); }

private:
    bool start() {
        std::vector<std::string> args{RILL_REDIS_SERVER, "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                      "--save", "", "--dir", dir_.string(), "--daemonize", "no", "--loglevel", "warning",
                                      "--logfile", (dir_ / "redis.log").string()};
        if (appendonly_) {
            args.insert(args.end(), {"--appendonly", "yes", "--appendfsync", "always"});
        } else {
            args.insert(args.end(), {"--appendonly", "no"});
        }
        pid_ = spawn(args);
        const auto until = std::chrono::steady_clock::now() + 5s;
        while (std::chrono::steady_clock::now() < until) {
            int st = 0;
            if (::waitpid(pid_, &st, WNOHANG) == pid_) { // exited: the port was taken
                pid_ = -1;
                return false;
            }
            try {
                rill::redis::connection c(rill::redis::endpoint{.host = "127.0.0.1", .port = port_, .timeout = 200ms});
                auto r = c.command({"PING"});
                if (rill::redis::reply_text(r.get()) == "PONG") return true;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(10ms);
        }
        stop();
        return false;
    }

    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGCONT);
        ::kill(pid_, SIGTERM);
        if (!wait_exit(pid_, 2000ms)) {
            ::kill(pid_, SIGKILL);
            wait_exit(pid_, 2000ms);
        }
        pid_ = -1;
    }

    bool appendonly_;
    std::filesystem::path dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

/// Integer reply of a command.
inline long long integer(rill::redis::connection& c, std::initializer_list<std::string_view> cmd) {
    auto r = c.command(cmd);
    return r->integer;
}

/// The group's pending count (XPENDING summary).
inline long long pending(rill::redis::connection& c, const std::string& stream, const std::string& group) {
    auto r = c.command({"XPENDING", stream, group});
    return r->element[0]->integer;
}

/// A field of every entry of a stream (XRANGE - +), in order.
inline std::vector<std::string> field_of_all(rill::redis::connection& c, const std::string& stream, const std::string& field) {
    std::vector<std::string> out;
    auto r = c.command({"XRANGE", stream, "-", "+"});
    for (std::size_t i = 0; i < r->elements; ++i) {
        const redisReply* kv = r->element[i]->element[1];
        for (std::size_t j = 0; j + 1 < kv->elements; j += 2)
            if (rill::redis::reply_text(kv->element[j]) == field) out.push_back(rill::redis::reply_text(kv->element[j + 1]));
    }
    return out;
}

/// Appends `n` entries `{"n": i}` (i = 0..n-1) to `stream`, with `{"bad": "1"}`
/// instead for every i with i % bad_every == bad_every - 1 (bad_every 0: none);
/// returns their IDs.
inline std::vector<std::string> produce(rill::redis::connection& c, const std::string& stream, int n, int bad_every = 0,
                                        int poison = -1) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
        const bool bad = bad_every > 0 && i % bad_every == bad_every - 1;
        std::vector<std::string> cmd{"XADD", stream, "*", bad ? "bad" : "n", std::to_string(i)};
        if (i == poison) cmd = {"XADD", stream, "*", "poison", std::to_string(i)};
        c.append(cmd);
        if (i % 500 == 499 || i == n - 1) {
            for (int k = static_cast<int>(ids.size()); k <= i; ++k) ids.push_back(rill::redis::reply_text(c.get_reply().get()));
        }
    }
    return ids;
}

} // namespace rill_redis_test
