// Tests of include/rill/concurrent/channel.hpp
#include <rill/concurrent/channel.hpp>

#include <rill/sink/collect.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>

#include "concurrency/support.hpp"
#include "support/items.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace rill_conc;

TEST_CASE("channel with capacity 0 is refused at construction") {
    CHECK_THROWS_WITH_AS(rill::channel<int>(0), "rill::channel: capacity must be at least 1", std::invalid_argument);
}

TEST_CASE("channel keeps FIFO order and its capacity bounds try_send") {
    rill::channel<int> ch(2);
    CHECK(ch.capacity() == 2);
    CHECK(ch.try_send(1));
    CHECK(ch.try_send(2));
    CHECK_FALSE(ch.try_send(3));
    CHECK(ch.size() == 2);
    CHECK(ch.try_receive() == 1);
    CHECK(ch.try_send(3));
    CHECK(ch.receive() == 2);
    CHECK(ch.receive() == 3);
    CHECK_FALSE(ch.try_receive().has_value());
}

TEST_CASE("send on a closed channel returns false and the caller keeps the value") {
    rill::channel<std::unique_ptr<int>> ch(1);
    ch.close();
    auto v = std::make_unique<int>(7);
    CHECK_FALSE(ch.send(std::move(v)));
    REQUIRE(v != nullptr);
    CHECK(*v == 7);
    CHECK_FALSE(ch.try_send(std::move(v)));
    CHECK(v != nullptr);
}

TEST_CASE("a closed channel still delivers what it holds, then ends") {
    rill::channel<int> ch(4);
    ch.send(1);
    ch.send(2);
    ch.close();
    CHECK(ch.closed());
    CHECK(rill_test::show(ch.stream()) == "1 2");
    CHECK_FALSE(ch.receive().has_value());
}

TEST_CASE("channel stream is one-shot") {
    static_assert(rill::any_stream<rill::channel_stream<int>>);
    static_assert(!rill::replayable_stream<rill::channel_stream<int>>);
    static_assert(!rill::replayable_stream<decltype(rill::channel<int>(1).stream() | rill::map([](int x) { return x; }))>);
}

TEST_CASE("send blocks while full until a receiver makes room") {
    rill::channel<int> ch(1);
    ch.send(1);
    std::atomic<bool> sent{false};
    std::latch started(1);
    std::jthread producer([&] {
        started.count_down();
        CHECK(ch.send(2)); // blocks: the channel is full
        sent = true;
    });
    started.wait();
    CHECK(ch.receive() == 1); // makes room (whether the send already waits or not)
    CHECK(ch.receive() == 2);
    producer.join();
    CHECK(sent);
}

TEST_CASE("close wakes every blocked sender and receiver") {
    SUBCASE("senders") {
        rill::channel<int> ch(1);
        ch.send(0);
        std::atomic<int> refused{0};
        std::latch started(3);
        std::vector<std::jthread> ts;
        for (int i = 0; i < 3; ++i)
            ts.emplace_back([&] {
                started.count_down();
                if (!ch.send(1)) ++refused;
            });
        started.wait();
        ch.close();
        for (auto& t : ts) t.join();
        CHECK(refused == 3);
        CHECK(ch.receive() == 0);
    }
    SUBCASE("receivers") {
        rill::channel<int> ch(1);
        std::atomic<int> ended{0};
        std::latch started(3);
        std::vector<std::jthread> ts;
        for (int i = 0; i < 3; ++i)
            ts.emplace_back([&] {
                started.count_down();
                if (!ch.receive()) ++ended;
            });
        started.wait();
        ch.close();
        for (auto& t : ts) t.join();
        CHECK(ended == 3);
    }
}

TEST_CASE("channel under many producers and consumers loses and duplicates nothing, FIFO per producer") {
    constexpr int producers = 3, consumers = 3, per = 2000;
    rill::channel<int> ch(8);
    std::vector<std::vector<int>> got(consumers);
    {
        std::vector<std::jthread> cs;
        for (int c = 0; c < consumers; ++c)
            cs.emplace_back([&, c] {
                for (auto&& r : ch.stream()) got[c].push_back(r.value());
            });
        {
            std::vector<std::jthread> ps;
            for (int p = 0; p < producers; ++p)
                ps.emplace_back([&, p] {
                    for (int i = 0; i < per; ++i) REQUIRE(ch.send(p * per + i));
                });
        }
        ch.close();
    }
    std::vector<int> all;
    for (auto& g : got) {
        // Each consumer sees each producer's items in the order they were sent.
        std::vector<int> last(producers, -1);
        for (int v : g) {
            CHECK(v > last[v / per]);
            last[v / per] = v;
        }
        all.insert(all.end(), g.begin(), g.end());
    }
    std::sort(all.begin(), all.end());
    REQUIRE(all.size() == std::size_t(producers * per));
    for (int i = 0; i < producers * per; ++i) CHECK(all[std::size_t(i)] == i);
}

TEST_CASE("channel stream with take stops receiving; the rest stays in the channel") {
    rill::channel<int> ch(4);
    for (int i = 0; i < 4; ++i) ch.send(i);
    CHECK(rill_test::show(ch.stream() | rill::take(2)) == "0 1");
    CHECK(ch.size() == 2);
}
