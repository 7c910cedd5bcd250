// rill::redis::connection against a real redis-server: commands, pipelined
// replies in order, server errors as server_error, an unreachable server as
// connection_error, and reconnect after the server restarts.
#include <rill/redis/connection.hpp>

#include "redis/server.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("redis: connection runs a command and reads its reply") {
    rill_redis_test::redis_server server;
    auto c = server.connect();
    CHECK(c.usable());
    auto r = c.command({"PING"});
    CHECK(rill::redis::reply_text(r.get()) == "PONG");
}

TEST_CASE("redis: connection's pipelined replies come back in the order the commands were appended") {
    rill_redis_test::redis_server server;
    auto c = server.connect();
    for (int i = 0; i < 5; ++i) c.append({"SET", "k" + std::to_string(i), "v" + std::to_string(i)});
    for (int i = 0; i < 5; ++i) CHECK(rill::redis::reply_text(c.get_reply().get()) == "OK");
    for (int i = 0; i < 5; ++i) c.append({"GET", "k" + std::to_string(i)});
    for (int i = 0; i < 5; ++i) CHECK(rill::redis::reply_text(c.get_reply().get()) == "v" + std::to_string(i));
}

TEST_CASE("redis: connection reports a server error reply as server_error and stays usable") {
    rill_redis_test::redis_server server;
    auto c = server.connect();
    CHECK_THROWS_AS(c.command({"NOT-A-COMMAND"}), rill::redis::server_error);
    CHECK(rill::redis::reply_text(c.command({"PING"}).get()) == "PONG");
}

TEST_CASE("redis: connection to a port nobody listens on throws connection_error") {
    rill::redis::endpoint ep{.host = "127.0.0.1", .port = rill_redis_test::free_port()};
    CHECK_THROWS_AS(rill::redis::connection{ep}, rill::redis::connection_error);
}

TEST_CASE("redis: connection reconnects after the server restarts") {
    rill_redis_test::redis_server server;
    auto c = server.connect();
    server.kill9();
    CHECK_THROWS_AS(c.command({"PING"}), rill::redis::connection_error);
    server.restart();
    c.reconnect();
    CHECK(rill::redis::reply_text(c.command({"PING"}).get()) == "PONG");
}
