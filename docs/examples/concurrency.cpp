// Concurrency: docs/08-concurrency.md.
#include "print.hpp"

#include <rill/rill.hpp>
#include <rill/testing/manual_clock.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <latch>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

int main() {
    std::cout << "== channel ==\n";
    {
        // [snippet:channel]
        rill::channel<int> ch(4); // holds at most 4 items: send blocks while full
        std::jthread producer([ch] {
            for (int i = 1; i <= 5; ++i) ch.send(i * i);
            ch.close(); // the stream ends once the channel is closed and drained
        });
        print(ch.stream() | rill::map([](int x) { return x + 1; }));
        // [/snippet:channel]
    }
    std::cout << "== buffer ==\n";
    {
        // [snippet:buffer]
        // The source runs on its own thread, at most 64 items ahead of the consumer.
        auto s = rill::iota(0, 5) | rill::map([](int x) { return x * 10; }) | rill::buffer(64);
        print(s);
        // [/snippet:buffer]
    }
    std::cout << "== par_map ==\n";
    {
        // [snippet:par_map]
        auto enrich = [](int id) -> rill::result<std::string> {
            if (id == 3) return rill::err("NOT_FOUND", "no user 3");
            return "user" + std::to_string(id);
        };
        // Four workers, at most 8 items in flight, output in input order.
        auto users = rill::iota(1, 6) | rill::par_try_map(enrich, {.workers = 4, .max_in_flight = 8});
        print(users);
        // [/snippet:par_map]
    }
    std::cout << "== par_map_unordered ==\n";
    {
        // [snippet:par_map_unordered]
        // Unordered: items come out as they complete; sort to compare.
        auto v = rill::collect(rill::iota(0, 6) | rill::par_map([](int x) { return x * x; },
                                                               {.workers = 3, .ordered = false}));
        std::vector<int> squares;
        for (auto& r : v) squares.push_back(r.value());
        std::sort(squares.begin(), squares.end());
        for (int x : squares) std::cout << x << ' ';
        std::cout << '\n';
        // [/snippet:par_map_unordered]
    }
    std::cout << "== merge ==\n";
    {
        // [snippet:merge]
        // Each stream runs on its own thread; items interleave as they arrive.
        auto v = rill::collect(rill::merge(rill::of(1, 2, 3), rill::of(10, 20)));
        std::cout << v.size() << " items\n";
        // An endless side does not keep take(1) from finishing: the run stops both sides.
        auto first = rill::collect(rill::merge(rill::iota(0), rill::of(-1)) | rill::take(1));
        std::cout << first.size() << " item\n";
        // [/snippet:merge]
    }
    std::cout << "== timeout ==\n";
    {
        // [snippet:timeout]
        rill::testing::manual_clock clock; // tests move time by hand; real code omits the clock
        std::atomic<bool> slow{true};
        auto source = rill::iota(0, 3) | rill::map([&](int x) {
                          if (x == 1) slow.wait(true); // hangs until told
                          return x;
                      });
        auto c = (source | rill::timeout(50ms, clock)).open();
        std::cout << c.next()->value() << '\n';
        std::jthread ticker([&] {
            clock.await_waiters(1); // the run waits for item 1...
            clock.advance(50ms);    // ...and its 50 ms are up
        });
        auto late = c.next();
        std::cout << late->error().code << '\n'; // Err "timeout" in the place of the late item
        ticker.join();
        slow = false;
        slow.notify_all();
        std::cout << c.next()->value() << ' ' << c.next()->value() << '\n'; // nothing lost
        // [/snippet:timeout]
    }
    std::cout << "== stop_on ==\n";
    {
        // [snippet:stop_on]
        rill::channel<int> jobs(16);
        for (int i = 1; i <= 3; ++i) jobs.send(i); // three jobs queued, and the channel left open
        std::stop_source stop;
        std::latch three_done(3);
        // From another thread (a signal handler's flag, a shutdown request...):
        std::jthread shutdown([&] {
            three_done.wait();
            stop.request_stop(); // wakes the run where it waits for a fourth job
        });
        auto done = jobs.stream() | rill::buffer(8) | rill::tap([&](int) { three_done.count_down(); }) |
                    rill::stop_on(stop.get_token());
        print(done); // without stop_on this run would wait for ever on the open channel
        // [/snippet:stop_on]
    }
}
