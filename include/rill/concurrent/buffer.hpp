/// \file
/// `buffer(n)`: runs upstream on its own thread, at most `n` items ahead of
/// the consumer, handing items over in batches.
#pragma once

#include <rill/concurrent/detail/worker.hpp>
#include <rill/detail/stage.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <iterator>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill {
namespace detail {

struct buffer_stage : no_checks {
    template <class T, class N>
    using value = T;

    template <class C, class N>
    class cursor {
    public:
        using value_type = typename C::value_type;

        cursor(C up, std::size_t n) : s_(std::make_unique<state>(std::move(up), n)) {
            local_.reserve(s_->max_batch);
            thread_ = std::jthread([s = s_.get()](std::stop_token st) { s->produce(st); });
        }
        cursor(cursor&&) = default;
        ~cursor() { stop(); }

        std::optional<result<value_type>> next() {
            if (pos_ == local_.size() && !refill()) return std::nullopt;
            std::optional<result<value_type>> out(std::in_place, std::move(local_[pos_++]));
            // The credits of a batch go back as its last item is handed out, so
            // upstream overlaps the consumer's work on that item.
            if (pos_ == local_.size()) s_->give_back(local_.size());
            return out;
        }

        template <class K>
        bool drain(K& sink) {
            for (;;) {
                while (pos_ < local_.size()) {
                    result<value_type>& r = local_[pos_++];
                    if (pos_ == local_.size()) s_->give_back(local_.size());
                    if (r.has_value() ? !sink.ok(std::move(*r)) : !sink.err(std::move(r.error()))) return false;
                }
                if (!refill()) return true;
            }
        }

    private:
        struct state {
            state(C c, std::size_t n) : up(std::in_place, std::move(c)), credits(n), max_batch(std::max<std::size_t>(1, std::min<std::size_t>(n / 2, 1024))) {}

            void produce(std::stop_token st) {
                std::vector<result<value_type>> batch;
                batch.reserve(max_batch);
                std::size_t mine = 0; // credits taken: items the producer may still pull
                std::exception_ptr failure;
                try {
                    for (;;) {
                        if (mine == 0) {
                            std::unique_lock lock(m);
                            if (publish(batch)) consumer_cv.notify_one();
                            producer_waiting = true;
                            producer_cv.wait(lock, [&] { return credits > 0 || st.stop_requested(); });
                            producer_waiting = false;
                            if (st.stop_requested()) break;
                            mine = std::exchange(credits, 0);
                        }
                        if (st.stop_requested()) break;
                        auto r = up->next();
                        --mine;
                        if (!r) break;
                        batch.push_back(std::move(*r));
                        // Batches grow while the consumer has a backlog; when it has
                        // taken everything published, an item goes over at once, so a
                        // slow upstream never holds finished items back.
                        if (batch.size() >= max_batch || ready_empty.load(std::memory_order_relaxed) ||
                            consumer_waiting.load(std::memory_order_relaxed)) {
                            std::unique_lock lock(m);
                            publish_and_wake(lock, batch);
                        }
                    }
                } catch (...) {
                    failure = std::current_exception();
                }
                // Upstream is released on this thread as soon as it ends (or the
                // run stops), before the consumer can see the end.
                up.reset();
                std::unique_lock lock(m);
                error = failure;
                ended = true;
                publish_and_wake(lock, batch);
            }

            // Appends the batch to `ready` (under `m`); true when the consumer waits for it.
            bool publish(std::vector<result<value_type>>& batch) {
                if (!batch.empty()) {
                    if (ready.empty()) ready.swap(batch);
                    else std::move(batch.begin(), batch.end(), std::back_inserter(ready));
                    batch.clear();
                    ready_empty.store(false, std::memory_order_relaxed);
                }
                return consumer_waiting.load(std::memory_order_relaxed);
            }

            // publish, then unlock and wake the consumer if it waits.
            void publish_and_wake(std::unique_lock<std::mutex>& lock, std::vector<result<value_type>>& batch) {
                const bool wake = publish(batch);
                lock.unlock();
                if (wake) consumer_cv.notify_one();
            }

            void give_back(std::size_t k) {
                std::unique_lock lock(m);
                credits += k;
                const bool wake = producer_waiting;
                lock.unlock();
                if (wake) producer_cv.notify_one();
            }

            std::optional<C> up; // touched by the producer thread only
            std::mutex m;
            std::condition_variable consumer_cv;
            std::condition_variable producer_cv;
            std::vector<result<value_type>> ready;
            std::size_t credits;
            const std::size_t max_batch;
            bool producer_waiting = false;
            std::atomic<bool> consumer_waiting{false};
            std::atomic<bool> ready_empty{true}; // a hint: the consumer has taken all that was published
            bool ended = false;
            std::exception_ptr error;
        };

        // Takes everything published; false at the end (or rethrows upstream's exception).
        bool refill() {
            if (!s_ || done_) return false;
            local_.clear();
            pos_ = 0;
            std::unique_lock lock(s_->m);
            if (s_->ready.empty() && !s_->ended) {
                s_->consumer_waiting.store(true, std::memory_order_release);
                s_->consumer_cv.wait(lock, [&] { return !s_->ready.empty() || s_->ended; });
                s_->consumer_waiting.store(false, std::memory_order_relaxed);
            }
            local_.swap(s_->ready);
            s_->ready_empty.store(true, std::memory_order_relaxed);
            if (!local_.empty()) return true;
            // Ended and drained: the producer has released upstream and is leaving.
            std::exception_ptr e = std::exchange(s_->error, nullptr);
            lock.unlock();
            done_ = true;
            thread_.join();
            if (e) std::rethrow_exception(e);
            return false;
        }

        void stop() noexcept {
            if (!s_) return;
            request_stop(thread_, s_->m, s_->producer_cv);
            if (thread_.joinable()) thread_.join();
        }

        std::unique_ptr<state> s_;
        std::vector<result<value_type>> local_;
        std::size_t pos_ = 0;
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
/// asked for at most k + n items. Throws `std::invalid_argument` if `n == 0`.
inline constexpr detail::buffer_fn buffer{};

} // namespace rill
