// rill::redis::range: a replayable source over XRANGE.
#include <rill/redis/range.hpp>
#include <rill/sink/collect.hpp>
#include <rill/stage/map.hpp>

#include "redis/server.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rill_redis_test;
namespace redis = rill::redis;

TEST_CASE("range reads every entry between two IDs, page by page, and two runs give the same items") {
    redis_server srv;
    auto c = srv.connect();
    auto ids = produce(c, "s", 250);
    auto all = redis::range(srv.endpoint(), "s", "-", "+", 40);
    static_assert(rill::replayable_stream<decltype(all)>);
    auto first = rill::collect(all);
    REQUIRE(first.size() == 250);
    for (std::size_t i = 0; i < first.size(); ++i) {
        REQUIRE(first[i].has_value());
        CHECK(first[i]->id == ids[i]);
        CHECK(first[i]->at("n") == std::to_string(i));
    }
    CHECK(rill::collect(all) == first);
    auto middle = rill::collect(redis::range(srv.endpoint(), "s", ids[10], "(" + ids[20]) |
                                rill::map([](const redis::entry& e) { return e.at("n"); }));
    REQUIRE(middle.size() == 10);
    CHECK(*middle.front() == "10");
    CHECK(*middle.back() == "19");
    CHECK(rill::collect(redis::range(srv.endpoint(), "nothing")).empty());
}

TEST_CASE("range ends with one Err redis.io when the server cannot be reached") {
    auto items = rill::collect(redis::range({.port = free_port(), .timeout = std::chrono::milliseconds(200)}, "s", "-",
                                            "+", 10, {.max_attempts = 1}));
    REQUIRE(items.size() == 1);
    REQUIRE_FALSE(items[0].has_value());
    CHECK(items[0].error().code == "redis.io");
    CHECK(items[0].error().trace.at(0).op == "redis.range");
}

TEST_CASE("range rejects an empty stream name and a page of 0") {
    CHECK_THROWS_WITH_AS(redis::range({}, ""), "rill::redis::range: stream must not be empty", std::invalid_argument);
    CHECK_THROWS_WITH_AS(redis::range({}, "s", "-", "+", 0), "rill::redis::range: page must be at least 1",
                         std::invalid_argument);
}

TEST_CASE("entry::at names the missing field") {
    redis::entry e{.id = "1-0", .fields = {{"a", "1"}}};
    CHECK(e.at("a") == "1");
    CHECK(e.find("b") == nullptr);
    CHECK_THROWS_WITH_AS(e.at("b"), "rill::redis::entry 1-0 has no field 'b'", std::out_of_range);
}
