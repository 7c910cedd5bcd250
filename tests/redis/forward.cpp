// rill::redis::forward: outputs written in the MULTI/EXEC that acknowledges
// their inputs.
#include <rill/redis/forward.hpp>
#include <rill/sink/collect.hpp>
#include <rill/stage/take.hpp>

#include "redis/server.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rill_redis_test;
namespace redis = rill::redis;

namespace {
redis::group_config input(const redis_server& srv) {
    return redis::group_config{.server = srv.endpoint(), .stream = "in", .group = "g", .consumer = "c", .count = 10,
                               .block = std::chrono::milliseconds(50), .claim_every = std::chrono::milliseconds(50),
                               .stop_when_drained = true};
}
rill::result<int> doubled(const redis::entry& e) {
    if (const std::string* n = e.find("n")) return 2 * std::stoi(*n);
    return rill::err("PARSE", "no n");
}
redis::fields as_fields(const int& x) { return {{"twice", std::to_string(x)}}; }
} // namespace

TEST_CASE("forward writes each Ok output and dead-letters each Err with the acknowledgement of its batch") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "in", 35, 5); // 4, 9, ... bad: 7 of them
    auto items = rill::collect(redis::forward(input(srv), doubled, {.server = srv.endpoint(), .stream = "out"}, as_fields));
    CHECK(items.size() == 35);
    auto out = field_of_all(c, "out", "twice");
    REQUIRE(out.size() == 28);
    CHECK(out.front() == "0");
    CHECK(out.back() == "66"); // 34 is bad
    CHECK(field_of_all(c, "in:dlq", "dlq:id").size() == 7);
    CHECK(pending(c, "in", "g") == 0);
}

TEST_CASE("forward writes nothing for a batch that was not completed") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "in", 30);
    auto cfg = input(srv);
    auto first = rill::collect(redis::forward(cfg, doubled, {.server = srv.endpoint(), .stream = "out"}, as_fields) |
                               rill::take(15));
    CHECK(first.size() == 15);
    CHECK(field_of_all(c, "out", "twice").size() == 10); // batch 1 only: batch 2 was stopped early
    CHECK(pending(c, "in", "g") == 10);
    auto rest = rill::collect(redis::forward(cfg, doubled, {.server = srv.endpoint(), .stream = "out"}, as_fields));
    CHECK(rest.size() == 20);
    auto out = field_of_all(c, "out", "twice");
    REQUIRE(out.size() == 30); // each output once: the stopped batch's outputs were never written
    for (int i = 0; i < 30; ++i) CHECK(out[i] == std::to_string(2 * i));
}

TEST_CASE("forward needs its output on the server of its group") {
    redis::group_config in{.stream = "in", .group = "g", .consumer = "c"};
    CHECK_THROWS_AS(redis::forward(in, doubled, {.server = {.port = 7000}, .stream = "out"}, as_fields), std::invalid_argument);
    CHECK_THROWS_AS(redis::forward(in, doubled, {.stream = "in"}, as_fields), std::invalid_argument);
}

TEST_CASE("forward refuses to start when its output key is not a stream: no batch is acknowledged without its outputs") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "in", 10);
    c.command({"SET", "out", "not a stream"});
    auto items = rill::collect(redis::forward(input(srv), doubled, {.server = srv.endpoint(), .stream = "out"}, as_fields));
    REQUIRE(items.size() == 1);
    CHECK(items[0].error().code == "redis.server");
    CHECK(items[0].error().message == "rill::redis: the key out holds a string, not a stream");
}
