// Tests of include/rill/concurrent/buffer.hpp
#include <rill/concurrent/buffer.hpp>

#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/source/from.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>

#include "concurrency/support.hpp"
#include "support/events.hpp"
#include "support/items.hpp"
#include "support/stage.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace rill_conc;
using namespace rill_test;

TEST_CASE("buffer(0) is refused at construction") {
    CHECK_THROWS_WITH_AS(rill::buffer(0), "rill::buffer: the look-ahead n must be at least 1", std::invalid_argument);
    CHECK_THROWS_AS(rill::buffer(rill::of(1), 0), std::invalid_argument);
}

TEST_CASE("buffer keeps every item in order, Err items in position, both forms") {
    for (std::size_t n : {1u, 2u, 3u, 64u}) {
        CAPTURE(n);
        CHECK(shown(rill::from(items({-1, 1, 2})) | rill::buffer(n)) == "!E1 1 2");
        CHECK(shown(rill::from(items({1, -2, 3})) | rill::buffer(n)) == "1 !E2 3");
        CHECK(shown(rill::buffer(rill::from(items({1, 2, -3})), n)) == "1 2 !E3");
        CHECK(shown(rill::from(items({})) | rill::buffer(n)) == "");
    }
}

TEST_CASE("buffer hands over a long run intact (stress)") {
    for (std::size_t n : {1u, 7u, 1000u}) {
        CAPTURE(n);
        auto v = rill::collect(rill::iota(0, 100000) | rill::buffer(n));
        REQUIRE(v.size() == 100000);
        bool in_order = true;
        for (int i = 0; i < 100000; ++i) in_order = in_order && v[std::size_t(i)].value() == i;
        CHECK(in_order);
    }
}

TEST_CASE("buffer(n) asks upstream for at most n items beyond the consumer's pulls, and does use the n") {
    for (long n : {1, 3, 16}) {
        CAPTURE(n);
        auto stats = std::make_shared<source_stats>();
        auto s = counted_source(stats, 200) | rill::buffer(std::size_t(n));
        {
            auto c = s.open();
            stats->await_pulls(n); // prefetch reaches n before any pull of ours...
            // (note_pull counts the pull before it records max_ahead: let it finish)
            for (int i = 0; i < 100000 && stats->max_ahead.load() < n; ++i) std::this_thread::yield();
            CHECK(stats->max_ahead.load() == n);
        }
        auto fresh = std::make_shared<source_stats>();
        auto v = pull_all(counted_source(fresh, 200) | rill::buffer(std::size_t(n)), *fresh);
        CHECK(v.size() == 200);
        CHECK(fresh->max_ahead.load() <= n); // ...and never goes beyond
    }
}

TEST_CASE("buffer stopped early releases upstream and joins before the cursor is gone") {
    auto stats = std::make_shared<source_stats>();
    {
        auto c = (counted_source(stats, -1) | rill::buffer(4)).open();
        CHECK(c.next()->value() == 0);
        CHECK(stats->opened == 1);
    }
    CHECK(stats->closed == 1);
    CHECK(show(counted_source(stats, -1) | rill::buffer(4) | rill::take(3)) == "0 1 2");
    CHECK(stats->closed == 2);
}

TEST_CASE("buffer releases upstream as soon as upstream ends") {
    auto log = new_log();
    auto s = rill::using_resource(acquire_logged(log, "r"), release_logged(log),
                                  [](logging_handle&) { return rill::iota(0, 3); }) |
             rill::buffer(8);
    auto c = s.open();
    std::vector<int> got;
    while (got.size() < 3) got.push_back(c.next()->value());
    CHECK_FALSE(c.next().has_value());
    CHECK(events_of(log) == "open r | close r completed"); // before the cursor is destroyed
}

TEST_CASE("an exception from upstream reaches the consumer after the items before it") {
    for (bool pulled : {true, false}) {
        CAPTURE(pulled);
        auto stats = std::make_shared<source_stats>();
        std::vector<int> got;
        auto s = counted_source(stats, 10, -1, 3) | rill::buffer(4);
        if (pulled) {
            auto c = s.open();
            for (int i = 0; i < 3; ++i) got.push_back(c.next()->value());
            CHECK_THROWS_WITH(c.next(), "upstream boom");
        } else {
            CHECK_THROWS_WITH(rill::for_each(s, [&](int x) { got.push_back(x); }), "upstream boom");
        }
        CHECK(got == std::vector<int>{0, 1, 2});
        CHECK(stats->closed == 1);
    }
}

TEST_CASE("an exception from the consumer's own code stops the buffer cleanly") {
    auto stats = std::make_shared<source_stats>();
    auto s = counted_source(stats, -1) | rill::buffer(4) | rill::map([](int x) {
                 if (x == 5) throw std::runtime_error("consumer boom");
                 return x;
             });
    CHECK_THROWS_WITH(rill::count(s), "consumer boom");
    CHECK(stats->closed == 1);
}

TEST_CASE("buffer over a replayable stream is replayable") {
    auto s = rill::iota(0, 5) | rill::buffer(2);
    static_assert(rill::replayable_stream<decltype(s)>);
    CHECK(show(s) == "0 1 2 3 4");
    CHECK(show(s) == "0 1 2 3 4");
}

// The hand-over is a ring of n slots: the producer sleeps when it is full and
// the consumer wakes it by giving slots back (every n/4 items, and all of them
// when it runs out of published items).

namespace {
/// Gives the producer thread time to stop spinning and go to sleep.
void let_it_settle() {
    for (int i = 0; i < 2000; ++i) std::this_thread::yield();
}
} // namespace

TEST_CASE("buffer: a producer asleep on a full ring is woken by the consumer's pulls") {
    for (long n : {1, 2, 16}) {
        CAPTURE(n);
        auto stats = std::make_shared<source_stats>();
        auto c = (counted_source(stats, -1) | rill::buffer(std::size_t(n))).open();
        stats->await_pulls(n);
        let_it_settle();
        CHECK(stats->pulls.load() == n); // full: no slot for one more
        const long stride = std::max(1L, n / 4);
        for (long round = 1; round <= 3; ++round) {
            for (long k = 0; k < stride; ++k) {
                ++stats->requested;
                CHECK(c.next()->value() == (round - 1) * stride + k);
            }
            stats->await_pulls(n + round * stride); // the slots given back are refilled
            let_it_settle();
            CHECK(stats->pulls.load() == n + round * stride);
        }
        CHECK(stats->max_ahead.load() <= n);
    }
}

TEST_CASE("buffer: a consumer that stops while the producer sleeps on a full ring") {
    const std::size_t before = baseline_thread_count();
    for (std::size_t n : {1u, 3u, 64u}) {
        CAPTURE(n);
        auto stats = std::make_shared<source_stats>();
        {
            auto c = (counted_source(stats, -1) | rill::buffer(n)).open();
            CHECK(c.next()->value() == 0);
            // The slot of item 0 goes back at once when slots go back one by one (n < 8).
            const long full = long(n) + (n < 8 ? 1 : 0);
            stats->await_pulls(full);
            let_it_settle();
            CHECK(stats->pulls.load() == full);
        } // the stop wakes the producer, which releases upstream; the thread is joined
        CHECK(stats->closed == 1);
    }
    CHECK(settled_thread_count(before) == before);
}

namespace {
/// Ok(0) .. Ok(n-1), item i produced only once the consumer has asked for it
/// (`asked` > i) and then after a pause: the consumer always waits on an empty ring.
class lockstep_source : public rill::stream_base<lockstep_source> {
public:
    using value_type = int;
    struct shared {
        std::mutex m;
        std::condition_variable cv;
        long asked = 0;
        void ask() {
            {
                std::lock_guard g(m);
                ++asked;
            }
            cv.notify_all();
        }
    };
    lockstep_source(std::shared_ptr<shared> s, int n) : s_(std::move(s)), n_(n) {}

    class cursor {
    public:
        using value_type = int;
        cursor(std::shared_ptr<shared> s, int n) : s_(std::move(s)), n_(n) {}
        std::optional<rill::result<int>> next() {
            if (i_ == n_) return std::nullopt;
            {
                std::unique_lock l(s_->m);
                s_->cv.wait(l, [&] { return s_->asked > i_; });
            }
            let_it_settle();
            return rill::result<int>(i_++);
        }

    private:
        std::shared_ptr<shared> s_;
        int n_, i_ = 0;
    };
    static cursor start(const lockstep_source& self) { return cursor(self.s_, self.n_); }

private:
    std::shared_ptr<shared> s_;
    int n_;
};
} // namespace

TEST_CASE("buffer: a consumer asleep on an empty ring is woken by each item of a slow source") {
    for (std::size_t n : {1u, 8u}) {
        CAPTURE(n);
        auto sh = std::make_shared<lockstep_source::shared>();
        auto c = (lockstep_source(sh, 20) | rill::buffer(n)).open();
        for (int i = 0; i < 20; ++i) {
            sh->ask();
            CHECK(c.next()->value() == i);
        }
        sh->ask();
        CHECK_FALSE(c.next().has_value());
    }
}

namespace {
/// Counts its live instances: items left in the ring must be destroyed.
struct tracked {
    static inline std::atomic<int> live{0};
    int v;
    explicit tracked(int x) : v(x) { ++live; }
    tracked(const tracked& o) : v(o.v) { ++live; }
    tracked(tracked&& o) noexcept : v(o.v) { ++live; }
    tracked& operator=(const tracked&) = default;
    tracked& operator=(tracked&&) = default;
    ~tracked() { --live; }
};
} // namespace

TEST_CASE("buffer destroys the items left in the ring when stopped early") {
    for (std::size_t n : {1u, 5u, 100u}) {
        CAPTURE(n);
        {
            auto c = (rill::iota(0) | rill::map([](int x) { return tracked(x); }) | rill::buffer(n)).open();
            for (int i = 0; i < 7; ++i) CHECK(c.next()->value().v == i);
        }
        CHECK(tracked::live.load() == 0);
        CHECK(rill::count(rill::iota(0, 1000) | rill::map([](int x) { return tracked(x); }) | rill::buffer(n)) == 1000);
        CHECK(tracked::live.load() == 0);
    }
}

TEST_CASE("buffer(1): an exception and Err items cross a ring of one slot in position") {
    auto stats = std::make_shared<source_stats>();
    std::vector<std::string> got;
    auto s = counted_source(stats, 10, 1, 4) | rill::buffer(1);
    CHECK_THROWS_WITH(rill::for_each(s, [&](int x) { got.push_back(std::to_string(x)); }), "upstream boom");
    CHECK(got == std::vector<std::string>{"0", "2", "3"});
    CHECK(stats->closed == 1);
}
