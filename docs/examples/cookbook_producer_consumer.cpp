// Cookbook: producers and a consumer over a bounded channel
// (docs/cookbook/producer_consumer.md).
#include <rill/rill.hpp>

#include <atomic>
#include <cstddef>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// [snippet:job]
// What a producer sends: one payment, numbered within its producer.
struct job {
    int producer = 0;
    int seq = 0;
    int cents = 0;
};

// The consumer's check of one job: a negative amount is refused, as an Err.
rill::result<job> validate(job j) {
    if (j.cents < 0)
        return rill::err("NEGATIVE", "producer " + std::to_string(j.producer) + " job " + std::to_string(j.seq) +
                                         ": " + std::to_string(j.cents) + " cents");
    return j;
}
// [/snippet:job]

int main() {
    std::cout << "== backpressure ==\n";
    {
        // [snippet:backpressure]
        rill::channel<int> ch(3); // at most 3 queued items
        for (int i = 0; i < 3; ++i) ch.send(i); // room for these: send returns at once
        std::cout << "queued " << ch.size() << " of " << ch.capacity() << '\n';
        // A fourth send() would block until a consumer takes an item;
        // try_send() does not block, it says no.
        std::cout << "try_send(3): " << (ch.try_send(3) ? "sent" : "full") << '\n';
        std::cout << "received " << *ch.receive() << ", try_send(3): " << (ch.try_send(3) ? "sent" : "full") << '\n';
        // [/snippet:backpressure]
    }

    std::cout << "== producers ==\n";
    {
        // [snippet:producers]
        constexpr int producers = 3;
        constexpr int jobs_each = 20;
        rill::channel<job> ch(8); // a small bound: fast producers wait for the consumer

        std::vector<std::jthread> senders;
        for (int p = 0; p < producers; ++p)
            senders.emplace_back([ch, p] { // a copy of the handle: one queue
                for (int i = 0; i < jobs_each; ++i) {
                    const int cents = (p == 1 && i % 7 == 3) ? -100 : (p + 1) * 100 + i;
                    ch.send(job{p, i, cents}); // blocks while 8 jobs are queued
                }
            });
        // The stream ends only once the channel is closed: close it when the
        // last producer is done.
        std::jthread closer([ch, &senders] {
            for (auto& t : senders) t.join();
            ch.close();
        });
        // [/snippet:producers]

        // [snippet:consumer]
        auto jobs = ch.stream() | rill::try_map(validate) | rill::named("payments");
        auto [good, bad] = rill::partition(jobs); // runs until closed and drained

        // Jobs from different producers interleave in any order, so total per
        // producer; the jobs of one producer arrive in the order it sent them.
        std::map<int, long> cents;
        std::map<int, int> next_seq;
        bool in_order = true;
        for (const job& j : good) {
            cents[j.producer] += j.cents;
            in_order = in_order && j.seq >= next_seq[j.producer];
            next_seq[j.producer] = j.seq + 1;
        }
        for (auto [p, c] : cents) std::cout << "producer " << p << ": " << c << " cents\n";
        std::cout << good.size() << " accepted, per-producer order kept: " << (in_order ? "yes" : "no") << '\n';
        for (const rill::err_info& e : bad) std::cout << "refused: " << e.message << '\n';
        // [/snippet:consumer]
    }

    std::cout << "== closed ==\n";
    {
        // [snippet:closed]
        rill::channel<std::string> ch(4);
        ch.send("first");
        ch.close();
        std::string late = "too late";
        std::cout << "send after close: " << (ch.send(std::move(late)) ? "sent" : "refused")
                  << ", still have \"" << late << "\"\n"; // a refused send does not move from its argument
        // What was queued before close() is still delivered, then the stream ends.
        for (const auto& r : ch.stream()) std::cout << "got " << *r << '\n';
        // The stream is one-shot: the items were taken out of the channel.
        std::cout << "a second run gets " << rill::collect(ch.stream()).size() << " items\n";
        // [/snippet:closed]
    }

    std::cout << "== early_stop ==\n";
    {
        // [snippet:early_stop]
        rill::channel<int> ch(4);
        std::atomic<int> stopped{0};
        std::vector<std::jthread> senders;
        for (int p = 0; p < 2; ++p)
            senders.emplace_back([ch, &stopped] {
                for (int i = 0; ch.send(i); ++i) {} // an endless producer: stops when send says closed
                ++stopped;
            });

        // The consumer wants only 5 items, then closes the channel: that is
        // what unblocks the producers waiting in send().
        const auto first = rill::collect(ch.stream() | rill::take(5));
        ch.close();
        for (auto& t : senders) t.join();
        std::cout << "took " << first.size() << " items; producers stopped: " << stopped << '\n';
        // [/snippet:early_stop]
    }
}
