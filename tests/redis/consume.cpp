// rill::redis::consume against a real redis-server: acknowledgement only of
// completed batches, dead letters in position with provenance, early stops and
// exceptions leaving the batch pending, the poison cap, workers, bad configs.
#include <rill/concurrent/buffer.hpp>
#include <rill/redis/consume.hpp>
#include <rill/redis/range.hpp>
#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/stage/stop_on.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/tap.hpp>

#include "redis/server.hpp"

#include <doctest/doctest.h>

#include <mutex>
#include <set>
#include <stop_token>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace rill_redis_test;
namespace redis = rill::redis;

namespace {

redis::group_config group_of(const redis_server& srv, std::string consumer = "c1") {
    return redis::group_config{.server = srv.endpoint(),
                               .stream = "orders",
                               .group = "g",
                               .consumer = std::move(consumer),
                               .count = 10,
                               .block = std::chrono::milliseconds(50),
                               .claim_timeout = std::chrono::milliseconds(200),
                               .claim_every = std::chrono::milliseconds(50),
                               .max_deliveries = 3,
                               .stop_when_drained = true};
}

// {"n": i} -> i; {"bad": i} -> Err PARSE.
rill::result<int> parse(const redis::entry& e) {
    if (const std::string* n = e.find("n")) return std::stoi(*n);
    return rill::err("PARSE", "no n in " + e.id);
}

} // namespace

// (tests/compile_fail/redis_consume_retry.cpp: `consume | retry` does not compile.)
TEST_CASE("consume is one-shot: it is not replayable") {
    using S = decltype(redis::consume(redis::group_config{.stream = "s", .group = "g", .consumer = "c"}, parse));
    static_assert(!rill::replayable_stream<S>);
    static_assert(std::is_same_v<rill::value_t<S>, int>);
}

TEST_CASE("consume gives every entry once, Errs in position with the entry ID, and acknowledges every batch") {
    redis_server srv;
    auto c = srv.connect();
    auto ids = produce(c, "orders", 95, 7); // i = 6, 13, ... are bad: 13 of them
    redis::consume_stats st;
    auto items = rill::collect(redis::consume(group_of(srv), parse, {.stats = &st}));
    REQUIRE(items.size() == 95);
    int bad = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        CAPTURE(i);
        if (i % 7 == 6) {
            ++bad;
            REQUIRE_FALSE(items[i].has_value());
            CHECK(items[i].error().code == "PARSE");
            REQUIRE(items[i].error().trace.size() == 1);
            CHECK(items[i].error().trace[0].op == "redis.consume");
            CHECK(items[i].error().trace[0].stage == ids[i]);
            CHECK(items[i].error().trace[0].index == i);
        } else {
            REQUIRE(items[i].has_value());
            CHECK(*items[i] == static_cast<int>(i));
        }
    }
    CHECK(pending(c, "orders", "g") == 0);
    CHECK(st.batches == 10);
    CHECK(st.acked == 95);
    CHECK(st.dead_lettered == 13);
    // the dead letters name their entries, code, message and delivery count
    auto dlq_ids = field_of_all(c, "orders:dlq", "dlq:id");
    REQUIRE(dlq_ids.size() == 13);
    for (int k = 0; k < 13; ++k) CHECK(dlq_ids[k] == ids[7 * k + 6]);
    CHECK(field_of_all(c, "orders:dlq", "dlq:code") == std::vector<std::string>(13, "PARSE"));
    CHECK(field_of_all(c, "orders:dlq", "dlq:deliveries") == std::vector<std::string>(13, "1"));
    CHECK(field_of_all(c, "orders:dlq", "bad").front() == "6"); // the entry's own fields follow
}

TEST_CASE("a batch is acknowledged only when the item after its last one is pulled") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 25);
    auto cur = redis::consume(group_of(srv), parse).open();
    for (int i = 0; i < 10; ++i) REQUIRE(cur.next());
    CHECK(pending(c, "orders", "g") == 10); // the first batch handed on, not yet pulled past
    REQUIRE(cur.next());                    // item 10: batch 1 acknowledged, batch 2 read
    CHECK(pending(c, "orders", "g") == 10);
    while (cur.next()) {}
    CHECK(pending(c, "orders", "g") == 0);
}

TEST_CASE("an early stop leaves its batch pending, and the same consumer gets it again with deliveries 2") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 30);
    redis::consume_stats st;
    auto first = rill::collect(redis::consume(group_of(srv), parse, {.stats = &st}) | rill::take(15));
    CHECK(first.size() == 15);
    CHECK(pending(c, "orders", "g") == 10); // batch 1 acked, batch 2 (10..19) abandoned
    CHECK(st.abandoned == 10);
    std::vector<std::uint32_t> deliveries;
    auto rest = rill::collect(redis::consume(group_of(srv), [&](const redis::entry& e) {
        deliveries.push_back(e.deliveries);
        return parse(e);
    }));
    REQUIRE(rest.size() == 20);
    CHECK(*rest.front() == 10);
    CHECK(*rest.back() == 29);
    CHECK(deliveries == std::vector<std::uint32_t>{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
    CHECK(pending(c, "orders", "g") == 0);
}

TEST_CASE("an exception from the function propagates and leaves the batch pending") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 20);
    std::vector<int> seen;
    auto s = redis::consume(group_of(srv), [](const redis::entry& e) -> rill::result<int> {
        if (e.at("n") == "13") throw std::runtime_error("boom");
        return parse(e);
    }) | rill::tap([&](int x) { seen.push_back(x); });
    CHECK_THROWS_WITH_AS(rill::count(s), "boom", std::runtime_error);
    CHECK(seen.size() == 13);                // 0..12 handed on
    CHECK(pending(c, "orders", "g") == 10); // batch 2 (10..19) stays pending
}

TEST_CASE("an entry delivered more than max_deliveries times is dead-lettered with code redis.max_deliveries") {
    redis_server srv;
    auto c = srv.connect();
    auto ids = produce(c, "orders", 20, 0, 4);
    auto cfg = group_of(srv);
    int calls_on_poison = 0;
    std::vector<rill::result<int>> last;
    int runs = 0;
    for (;; ++runs) {
        REQUIRE(runs < 10);
        try {
            last = rill::collect(redis::consume(cfg, [&](const redis::entry& e) -> rill::result<int> {
                if (e.find("poison")) {
                    ++calls_on_poison;
                    throw std::runtime_error("poison");
                }
                return parse(e);
            }));
            break;
        } catch (const std::runtime_error&) {
        }
    }
    CHECK(runs == 3);
    // the entries behind the poison one in its batch were never given to the function: not dead-lettered
    CHECK(calls_on_poison == 3); // deliveries 1, 2, 3; the 4th is not given to the function
    // runs 2 and 3 acknowledged 0..3 one by one (redeliveries come one per batch): the last run starts at the poison entry
    REQUIRE(last.size() == 16);
    REQUIRE_FALSE(last[0].has_value());
    CHECK(last[0].error().code == "redis.max_deliveries");
    CHECK(last[0].error().message == "entry " + ids[4] + " was delivered 4 times (max_deliveries 3)");
    CHECK(last[0].error().trace.at(0).stage == ids[4]);
    for (std::size_t i = 1; i < last.size(); ++i) CHECK(*last[i] == static_cast<int>(i + 4));
    CHECK(field_of_all(c, "orders:dlq", "dlq:id") == std::vector<std::string>{ids[4]});
    CHECK(field_of_all(c, "orders:dlq", "dlq:code") == std::vector<std::string>{"redis.max_deliveries"});
    CHECK(pending(c, "orders", "g") == 0);
}

TEST_CASE("with workers the function runs on several threads and items keep the entry order") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 200, 9);
    std::mutex m;
    std::set<std::thread::id> threads;
    auto cfg = group_of(srv);
    cfg.count = 50;
    auto items = rill::collect(redis::consume(cfg, [&](const redis::entry& e) {
        {
            std::lock_guard lock(m);
            threads.insert(std::this_thread::get_id());
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        return parse(e);
    }, {.workers = 4}));
    REQUIRE(items.size() == 200);
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i % 9 == 8) CHECK_FALSE(items[i].has_value());
        else CHECK(*items[i] == static_cast<int>(i));
    }
    CHECK(threads.size() > 1);
    CHECK(pending(c, "orders", "g") == 0);
    CHECK(field_of_all(c, "orders:dlq", "dlq:id").size() == 22);
}

TEST_CASE("entries of a consumer that stopped are claimed after claim_timeout") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 30);
    // c1 takes a batch and stops early: its 10 entries stay pending under c1
    CHECK(rill::collect(redis::consume(group_of(srv, "c1"), parse) | rill::take(5)).size() == 5);
    redis::consume_stats st;
    auto items = rill::collect(redis::consume(group_of(srv, "c2"), parse, {.stats = &st}));
    CHECK(items.size() == 30);
    CHECK(st.claimed == 10);
    CHECK(st.redelivered == 10);
    CHECK(pending(c, "orders", "g") == 0);
}

TEST_CASE("a bad configuration throws std::invalid_argument naming the field") {
    auto cfg = redis::group_config{.stream = "s", .group = "g", .consumer = "c"};
    auto with = [&](auto change) {
        auto k = cfg;
        change(k);
        return k;
    };
    CHECK_THROWS_WITH_AS(redis::consume(with([](auto& k) { k.stream = ""; }), parse),
                         "rill::redis::consume: group_config.stream must not be empty", std::invalid_argument);
    CHECK_THROWS_WITH_AS(redis::consume(with([](auto& k) { k.count = 0; }), parse),
                         "rill::redis::consume: group_config.count must be at least 1", std::invalid_argument);
    CHECK_THROWS_WITH_AS(redis::consume(with([](auto& k) { k.consumer = ""; }), parse),
                         "rill::redis::consume: group_config.consumer must not be empty", std::invalid_argument);
    CHECK_THROWS_WITH_AS(redis::consume(with([](auto& k) { k.max_deliveries = 0; }), parse),
                         "rill::redis::consume: group_config.max_deliveries must be at least 1", std::invalid_argument);
    CHECK_THROWS_WITH_AS(redis::consume(with([](auto& k) { k.server.port = 0; }), parse),
                         "rill::redis::consume: endpoint.port must be in 1..65535", std::invalid_argument);
    CHECK_THROWS_WITH_AS(redis::consume(with([](auto& k) { k.block = std::chrono::seconds(5); }), parse),
                         "rill::redis::consume: group_config.block must be shorter than endpoint.timeout",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(redis::consume(cfg, parse, {.workers = 0}),
                         "rill::redis::consume: consume_options.workers must be at least 1", std::invalid_argument);
}

TEST_CASE("a server that cannot be reached ends the run with one Err redis.io once the policy gives up") {
    auto cfg = redis::group_config{.server = {.port = free_port(), .timeout = std::chrono::milliseconds(200)},
                                   .stream = "s", .group = "g", .consumer = "c", .block = std::chrono::milliseconds(50),
                                   .reconnect = {.max_attempts = 2, .backoff = rill::backoff::constant(std::chrono::milliseconds(10))}};
    auto items = rill::collect(redis::consume(cfg, parse));
    REQUIRE(items.size() == 1);
    REQUIRE_FALSE(items[0].has_value());
    CHECK(items[0].error().code == "redis.io");
}

TEST_CASE("a look-ahead stage after consume acknowledges entries before they are processed (the documented pitfall)") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 30);
    auto cur = (redis::consume(group_of(srv), parse) | rill::buffer(25)).open();
    REQUIRE(cur.next()); // one item processed downstream
    // buffer's thread pulls up to 25 items ahead: past the ends of batches 1 and 2, which are acknowledged
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (pending(c, "orders", "g") > 10 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(pending(c, "orders", "g") <= 10); // 20 entries acknowledged, 1 processed: a crash now would lose 19
}

TEST_CASE("pending entries trimmed from the stream are acknowledged and counted, not processed") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 20);
    CHECK(rill::collect(redis::consume(group_of(srv), parse) | rill::take(3)).size() == 3); // batch 1 left pending
    c.command({"XTRIM", "orders", "MAXLEN", "15"});                                        // entries 0..4 are gone
    redis::consume_stats st;
    auto items = rill::collect(redis::consume(group_of(srv), parse, {.stats = &st}));
    REQUIRE(items.size() == 15);
    CHECK(*items.front() == 5);
    CHECK(st.deleted == 5);
    CHECK(pending(c, "orders", "g") == 0);
}

TEST_CASE("a server paused past the socket timeout is reconnected to, and the run goes on") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 100);
    auto cfg = group_of(srv);
    cfg.server.timeout = std::chrono::milliseconds(200);
    cfg.reconnect = {.max_attempts = 20, .backoff = rill::backoff::constant(std::chrono::milliseconds(100))};
    std::thread resume;
    redis::consume_stats st;
    auto items = rill::collect(redis::consume(cfg, [&](const redis::entry& e) {
        if (e.at("n") == "35") { // pause the server for 1 s in the middle of batch 4
            ::kill(srv.pid(), SIGSTOP);
            resume = std::thread([&] {
                std::this_thread::sleep_for(std::chrono::seconds(1));
                ::kill(srv.pid(), SIGCONT);
            });
        }
        return parse(e);
    }, {.stats = &st}));
    resume.join();
    REQUIRE(items.size() == 100);
    for (int i = 0; i < 100; ++i) CHECK(*items[i] == i);
    CHECK(st.reconnects >= 1);
    CHECK(pending(c, "orders", "g") == 0);
}

TEST_CASE("an endless consumer stops within a read's block time when its run is stopped with stop_on") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 25);
    auto cfg = group_of(srv);
    cfg.stop_when_drained = false; // a service: it would wait for new entries forever
    std::stop_source stop;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        stop.request_stop();
    });
    const auto start = std::chrono::steady_clock::now();
    auto items = rill::collect(redis::consume(cfg, parse) | rill::stop_on(stop.get_token()));
    const auto took = std::chrono::steady_clock::now() - start;
    stopper.join();
    REQUIRE(items.size() == 26); // the 25 entries, then stop_on's Err "stopped"
    for (int i = 0; i < 25; ++i) CHECK(*items[i] == i);
    CHECK(items.back().error().code == "stopped");
    CHECK(took < std::chrono::seconds(5));
    CHECK(pending(c, "orders", "g") == 0); // every batch was completed before the stop
}

TEST_CASE("a dead-letter key that is not a stream ends the run with Err redis.server before anything is acknowledged") {
    redis_server srv;
    auto c = srv.connect();
    produce(c, "orders", 10, 3);
    c.command({"SET", "orders:dlq", "not a stream"});
    auto items = rill::collect(redis::consume(group_of(srv), parse));
    REQUIRE(items.size() == 1);
    CHECK(items[0].error().code == "redis.server");
    CHECK(items[0].error().message == "rill::redis: the key orders:dlq holds a string, not a stream");
    CHECK(integer(c, {"XLEN", "orders"}) == 10);
    CHECK(rill::collect(redis::range(srv.endpoint(), "orders")).size() == 10);
}

TEST_CASE("a stream key of another type ends the run with Err redis.server") {
    redis_server srv;
    auto c = srv.connect();
    c.command({"SET", "orders", "not a stream"});
    auto items = rill::collect(redis::consume(group_of(srv), parse));
    REQUIRE(items.size() == 1);
    CHECK(items[0].error().code == "redis.server");
    CHECK(items[0].error().trace.at(0).op == "redis.consume");
}
