/// \file
/// `buffer(n)`: runs upstream on its own thread, at most `n` items ahead of
/// the consumer, handing items over through a single-producer/single-consumer
/// ring of `n` slots.
#pragma once

#include <rill/concurrent/detail/worker.hpp>
#include <rill/detail/stage.hpp>
#include <rill/run_stop.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <utility>

namespace rill {
namespace detail {

struct buffer_stage : no_checks {
    template <class T, class N>
    using value = T;

    // The hand-over is a ring of exactly n slots with two monotonic counters:
    // `tail` (items published, written by the producer) and `head` (slots given
    // back, written by the consumer), each on its own cache line. The producer
    // pulls upstream only into a free slot (tail - head < n), which is the exact
    // bound; it publishes each item with one store of `tail`. The consumer takes
    // every published item with one load of `tail` and gives slots back with a
    // store of `head`. The mutex and condition variables are only for sleeping:
    // a side that finds the ring empty (consumer) or full (producer) sets its
    // `waiting` flag and waits with a predicate that re-reads the counters; the
    // other side, after storing its counter, takes the lock and notifies only if
    // the flag is set. Flag store, counter store and both loads are seq_cst, so
    // either the sleeper sees the new counter or the other side sees the flag.
    template <class C, class N>
    class cursor {
    public:
        using value_type = typename C::value_type;

        cursor(C up, std::size_t n)
            : s_(std::make_unique<state>(std::move(up), n)), stride_(std::max<std::size_t>(1, n / 4)) {
            thread_ = std::jthread([s = s_.get()](std::stop_token st) {
                stop_scope scope(st); // a wait upstream (a channel's receive) wakes when the run stops
                s->produce(st);
            });
        }
        cursor(cursor&&) = default;
        ~cursor() { stop(); }

        std::optional<result<value_type>> next() {
            if (head_ == tail_ && !refill()) return std::nullopt;
            std::optional<result<value_type>> out(std::in_place, take());
            return out;
        }

        template <class K>
        bool drain(K& sink) {
            for (;;) {
                while (head_ != tail_) {
                    result<value_type> r = take();
                    if (r.has_value() ? !sink.ok(std::move(*r)) : !sink.err(std::move(r.error()))) return false;
                }
                if (!refill()) return true;
            }
        }

    private:
        using slot = std::optional<result<value_type>>;
        static constexpr std::size_t line = 64; // keeps the two sides' fields apart
        static constexpr int spins = 8; // yields before a side goes to sleep

        // Yields until `ready()`, a few times; false if it never became true.
        // (Yields, not a pause loop: with more runnable threads than cores, a
        // busy spin mostly delays the thread it waits for.)
        template <class F>
        static bool spin(F ready) {
            for (int k = 0; k < spins; ++k) {
                std::this_thread::yield();
                if (ready()) return true;
            }
            return false;
        }

        struct state {
            state(C c, std::size_t n) : slots(std::make_unique<slot[]>(n)), size(n), up(std::in_place, std::move(c)) {}

            void produce(std::stop_token st) {
                std::size_t t = 0;     // items published (== tail)
                std::size_t h = 0;     // last value of head seen
                std::size_t i = 0;     // t % size
                std::exception_ptr failure;
                try {
                    for (;;) {
                        if (st.stop_requested()) break;
                        if (t - h == size) {
                            h = head.load(std::memory_order_acquire);
                            if (t - h == size && !await_space(st, t, h)) break;
                        }
                        auto r = up->next();
                        if (!r) break;
                        slots[i].emplace(std::move(*r));
                        i = i + 1 == size ? 0 : i + 1;
                        tail.store(++t, std::memory_order_seq_cst);
                        if (consumer_waiting.load(std::memory_order_seq_cst)) wake(consumer_cv);
                    }
                } catch (...) {
                    failure = std::current_exception();
                }
                // Upstream is released on this thread as soon as it ends (or the
                // run stops), before the consumer can see the end.
                up.reset();
                error = failure; // read by the consumer after it sees `ended`
                ended.store(true, std::memory_order_seq_cst);
                if (consumer_waiting.load(std::memory_order_seq_cst)) wake(consumer_cv);
            }

            // The ring is full (t - h == size): spins, then sleeps until the
            // consumer gives a slot back. Updates `h`; false if the run stops.
            bool await_space(std::stop_token& st, std::size_t t, std::size_t& h) {
                if (spin([&] {
                        h = head.load(std::memory_order_acquire);
                        return t - h < size || st.stop_requested();
                    }))
                    return !st.stop_requested();
                producer_waiting.store(true, std::memory_order_seq_cst);
                {
                    std::unique_lock lock(m);
                    producer_cv.wait(lock, [&] {
                        h = head.load(std::memory_order_seq_cst);
                        return t - h < size || st.stop_requested();
                    });
                }
                producer_waiting.store(false, std::memory_order_relaxed);
                return !st.stop_requested();
            }

            // Called after a counter store when the other side's flag is set.
            void wake(std::condition_variable& cv) {
                { std::lock_guard g(m); }
                cv.notify_one();
            }

            std::unique_ptr<slot[]> slots; // slot k % size holds item k
            const std::size_t size;
            alignas(line) std::atomic<std::size_t> tail{0}; // written by the producer
            alignas(line) std::atomic<std::size_t> head{0}; // written by the consumer
            // Written only around a sleep and at the end: read on the hot paths
            // without the other side's counter stores evicting them.
            alignas(line) std::atomic<bool> producer_waiting{false};
            std::atomic<bool> consumer_waiting{false};
            std::atomic<bool> ended{false}; // set once, after the last store of `tail`
            alignas(line) std::mutex m;
            std::condition_variable consumer_cv;
            std::condition_variable producer_cv;
            std::exception_ptr error;
            alignas(line) std::optional<C> up; // touched by the producer thread only
        };

        // Moves the item at head_ out of its slot; gives slots back every stride_
        // items, so the producer refills while the consumer works (refill gives
        // back the rest before the consumer waits).
        result<value_type> take() {
            slot& sl = s_->slots[index_];
            result<value_type> r = std::move(*sl);
            sl.reset();
            index_ = index_ + 1 == s_->size ? 0 : index_ + 1;
            ++head_;
            if (head_ - given_ >= stride_) give_back();
            return r;
        }

        void give_back() {
            given_ = head_;
            s_->head.store(head_, std::memory_order_seq_cst);
            if (s_->producer_waiting.load(std::memory_order_seq_cst)) s_->wake(s_->producer_cv);
        }

        // Waits for published items (head_ == tail_ on entry); false at the end
        // (or rethrows upstream's exception).
        bool refill() {
            if (!s_ || done_) return false;
            state& s = *s_;
            tail_ = s.tail.load(std::memory_order_acquire);
            if (tail_ != head_) return true;
            // Nothing published: every slot goes back before waiting, or a
            // producer waiting for one would wait for ever.
            if (given_ != head_) give_back();
            if (!spin([&] { return s.tail.load(std::memory_order_acquire) != head_ || s.ended.load(std::memory_order_acquire); })) {
                s.consumer_waiting.store(true, std::memory_order_seq_cst);
                bool ready = false;
                {
                    std::unique_lock lock(s.m);
                    ready = wait_unless_stopped(lock, s.consumer_cv, [&] {
                        return s.tail.load(std::memory_order_seq_cst) != head_ || s.ended.load(std::memory_order_seq_cst);
                    });
                }
                s.consumer_waiting.store(false, std::memory_order_relaxed);
                // The consumer's run stopped while it waited: the end for it;
                // the producer is stopped and joined with the cursor.
                if (!ready) return false;
            }
            // Seen after `ended` (or after a new tail): every item published is visible.
            tail_ = s.tail.load(std::memory_order_acquire);
            if (tail_ != head_) return true;
            // Ended and drained: the producer has released upstream and is leaving.
            done_ = true;
            thread_.join();
            if (std::exception_ptr e = std::exchange(s.error, nullptr)) std::rethrow_exception(e);
            return false;
        }

        void stop() noexcept {
            if (!s_) return;
            request_stop(thread_, s_->m, s_->producer_cv);
            if (thread_.joinable()) thread_.join();
        }

        std::unique_ptr<state> s_;
        std::size_t stride_;    // slots given back at a time (at most n / 4, at least 1)
        std::size_t head_ = 0;  // items taken by the consumer
        std::size_t tail_ = 0;  // last value of tail seen
        std::size_t given_ = 0; // last value stored to head
        std::size_t index_ = 0; // head_ % n
        bool done_ = false;
        std::jthread thread_;
    };
};

struct buffer_fn {
    template <class S>
        requires any_stream<S>
    auto operator()(S&& s, std::size_t n) const {
        require(n > 0, "rill::buffer: the look-ahead n must be at least 1");
        return stage_fn<buffer_stage>{}(std::forward<S>(s), n);
    }
    auto operator()(std::size_t n) const {
        require(n > 0, "rill::buffer: the look-ahead n must be at least 1");
        return make_closure<buffer_fn>(n);
    }
};

} // namespace detail

/// Runs upstream on its own thread at most `n` items ahead: `s | rill::buffer(64)`.
/// Exact bound: once the consumer has called `next()` k times, upstream has been
/// asked for at most k + n items. The n slots are allocated when a run starts.
/// Throws `std::invalid_argument` if `n == 0`.
inline constexpr detail::buffer_fn buffer{};

} // namespace rill
