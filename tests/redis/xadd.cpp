// rill::redis::xadd: a pipelined sink of Ok values; Err items returned.
#include <rill/redis/range.hpp>
#include <rill/redis/xadd.hpp>
#include <rill/sink/collect.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/try_map.hpp>

#include "redis/server.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rill_redis_test;
namespace redis = rill::redis;

namespace {
redis::fields as_fields(int x) { return {{"n", std::to_string(x)}}; }
} // namespace

TEST_CASE("xadd appends every Ok value in order, across pipeline rounds, and returns the Err items") {
    redis_server srv;
    auto numbers = rill::iota(0, 2500) | rill::try_map([](int x) -> rill::result<int> {
                       if (x % 1000 == 999) return rill::err("ODD", std::to_string(x));
                       return x;
                   });
    auto errors = redis::xadd(numbers, redis::producer_config{.server = srv.endpoint(), .stream = "out", .pipeline = 64},
                              as_fields);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].message == "999");
    CHECK(errors[1].message == "1999");
    auto c = srv.connect();
    auto ns = field_of_all(c, "out", "n");
    REQUIRE(ns.size() == 2498);
    CHECK(ns.front() == "0");
    CHECK(ns[999] == "1000");
    CHECK(ns.back() == "2499");
}

TEST_CASE("xadd with an error handler hands each Err to it") {
    redis_server srv;
    int errs = 0;
    auto h = redis::xadd(rill::of(1, 2, 3) | rill::try_map([](int x) -> rill::result<int> {
                             if (x == 2) return rill::err("E", "two");
                             return x;
                         }),
                         redis::producer_config{.server = srv.endpoint(), .stream = "out"}, as_fields,
                         [&](rill::err_info&&) { ++errs; });
    (void)h;
    CHECK(errs == 1);
    auto c = srv.connect();
    CHECK(field_of_all(c, "out", "n") == std::vector<std::string>{"1", "3"});
}

TEST_CASE("xadd with maxlen trims the stream approximately") {
    redis_server srv;
    redis::xadd(rill::iota(0, 5000), redis::producer_config{.server = srv.endpoint(), .stream = "out", .maxlen = 100},
                as_fields);
    auto c = srv.connect();
    const long long len = integer(c, {"XLEN", "out"});
    CHECK(len >= 100);
    CHECK(len < 5000);
}

TEST_CASE("xadd throws server_error on an error reply and connection_error when the server is gone") {
    redis_server srv;
    auto c = srv.connect();
    c.command({"SET", "out", "a string"});
    CHECK_THROWS_AS(redis::xadd(rill::of(1), redis::producer_config{.server = srv.endpoint(), .stream = "out"}, as_fields),
                    redis::server_error);
    CHECK_THROWS_AS(redis::xadd(rill::of(1),
                                redis::producer_config{.server = {.port = free_port(), .timeout = std::chrono::milliseconds(200)},
                                                       .stream = "out",
                                                       .reconnect = {.max_attempts = 2,
                                                                     .backoff = rill::backoff::constant(std::chrono::milliseconds(5))}},
                                as_fields),
                    redis::connection_error);
    CHECK_THROWS_WITH_AS(redis::xadd(rill::of(1), redis::producer_config{.stream = "out", .pipeline = 0}, as_fields),
                         "rill::redis::xadd: producer_config.pipeline must be at least 1", std::invalid_argument);
}
