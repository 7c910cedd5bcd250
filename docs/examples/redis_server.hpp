// The private redis-server of the docs examples that use rill::redis: started
// on a free loopback port in a temporary directory, with nothing persisted,
// and stopped when the example ends. (A real deployment has its own server.)
#pragma once

#include <rill/redis/config.hpp>
#include <rill/redis/connection.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace docs {

class redis_server {
public:
    redis_server() {
        char tmpl[] = "/tmp/rill-docs-redis-XXXXXX";
        if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        port_ = free_port();
        std::vector<std::string> args{RILL_REDIS_SERVER, "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", dir_, "--logfile",
                                      dir_ + "/redis.log"};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (::posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
            throw std::runtime_error("cannot start redis-server");
        for (int i = 0; i < 500; ++i) {
            try {
                rill::redis::connection c(endpoint());
                c.command({"PING"});
                return;
            } catch (const rill::redis::connection_error&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
        throw std::runtime_error("redis-server did not answer");
    }
    redis_server(const redis_server&) = delete;
    redis_server& operator=(const redis_server&) = delete;
    ~redis_server() {
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    int port() const { return port_; }
    rill::redis::endpoint endpoint() const { return {.host = "127.0.0.1", .port = port_}; }

private:
    static int free_port() {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        ::close(fd);
        return ntohs(a.sin_port);
    }

    std::string dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

} // namespace docs
