// Cookbook: prefetching a slow source with buffer, and bounded parallel
// enrichment with par_map (docs/cookbook/prefetch.md).
#include <rill/rill.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>

// [snippet:source]
// Fetches a record: slow in real life (a read from the network). Instead of
// sleeping, it counts the records fetched so far, so the program can see how
// far ahead of its consumer the source runs.
struct fetch_record {
    std::atomic<int>* fetched;

    int operator()(int id) const {
        fetched->fetch_add(1);
        fetched->notify_all();
        return id; // the record
    }
};

// Blocks until `counter` is at least `n`.
void wait_for(const std::atomic<int>& counter, int n) {
    for (int v = counter.load(); v < n; v = counter.load()) counter.wait(v);
}
// [/snippet:source]

int main() {
    std::cout << "== lookahead ==\n";
    {
        // [snippet:lookahead]
        std::atomic<int> fetched{0};
        auto records = rill::iota(0, 12) | rill::map(fetch_record{&fetched}) | rill::buffer(4);

        auto run = records.open(); // the source starts on its own thread now
        wait_for(fetched, 4);      // ...and fetches 4 records before anyone asks
        std::cout << "before the first next(): " << fetched.load() << " fetched\n";

        int consumed = 0;
        int most_ahead = fetched.load() - consumed;
        long sum = 0;
        while (auto r = run.next()) {
            ++consumed;
            // While the consumer works on this record, the source fetches the next ones,
            // never more than 4 ahead of the consumer.
            most_ahead = std::max(most_ahead, fetched.load() - consumed);
            sum += **r;
        }
        std::cout << "consumed " << consumed << " (sum " << sum << "), fetched " << fetched.load() << '\n';
        std::cout << "most records fetched ahead of the consumer: " << most_ahead << '\n';
        // [/snippet:lookahead]
    }

    std::cout << "== take ==\n";
    {
        // [snippet:take]
        std::atomic<int> fetched{0};
        auto source = rill::iota(0, 1000) | rill::map(fetch_record{&fetched});

        // take before buffer: the producer stops after exactly 3.
        std::cout << rill::collect(source | rill::take(3) | rill::buffer(4)).size() << " taken, " << fetched.load()
                  << " fetched\n";

        // take after buffer: the producer may have fetched up to 4 more, unused.
        fetched = 0;
        std::cout << rill::collect(source | rill::buffer(4) | rill::take(3)).size() << " taken, "
                  << (fetched.load() <= 3 + 4 ? "at most 7" : "more than 7") << " fetched\n";
        // [/snippet:take]
    }

    std::cout << "== par_map ==\n";
    {
        // [snippet:enrich]
        std::atomic<int> fetched{0};
        std::atomic<int> finished{0};
        std::mutex m; // guards the three below
        int running = 0, most_running = 0;
        std::vector<int> finish_order;
        int fetched_when_0_finished = 0;

        // Looks up the profile of a record: a slow remote call. Workers call it
        // at once from their threads, through a const reference: shared state
        // is atomic or under a mutex. To keep the program deterministic, record
        // 0 is the slow one: its call returns only once three others have.
        auto enrich = [&](int id) {
            {
                std::lock_guard g(m);
                most_running = std::max(most_running, ++running);
            }
            if (id == 0) {
                wait_for(finished, 3);
                fetched_when_0_finished = fetched.load();
            }
            {
                std::lock_guard g(m);
                --running;
                finish_order.push_back(id);
            }
            finished.fetch_add(1);
            finished.notify_all();
            return "user" + std::to_string(id);
        };

        auto profiles = rill::iota(0, 8)
                      | rill::map(fetch_record{&fetched})
                      | rill::par_map(enrich, {.workers = 2, .max_in_flight = 4});
        for (const rill::result<std::string>& p : profiles) std::cout << *p << ' ';
        std::cout << '\n';
        // [/snippet:enrich]

        std::cout << "== report ==\n";
        // [snippet:enrich_report]
        // Which of 1, 2 and 3 finishes first depends on the threads; that all
        // three finish before record 0 does not.
        auto record_0 = std::find(finish_order.begin(), finish_order.end(), 0);
        std::vector<int> before_0(finish_order.begin(), record_0);
        std::sort(before_0.begin(), before_0.end());
        std::cout << "finished before record 0:";
        for (int id : before_0) std::cout << ' ' << id;
        std::cout << '\n';
        std::cout << "fetched when record 0 finished: " << fetched_when_0_finished << '\n';
        std::cout << "most calls at once: " << most_running << '\n';
        // [/snippet:enrich_report]
    }
}
