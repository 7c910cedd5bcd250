/// \file
/// `batch_pool`: the helper threads of `consume_options::workers`, which apply
/// the user's function to the entries of one batch while the run waits.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rill::redis::detail {

/// `helpers` threads plus the calling thread share the indices of one batch;
/// `run` returns when every index has been processed. The threads live as long
/// as the pool (one run's cursor), so no thread outlives its run.
class batch_pool {
public:
    explicit batch_pool(std::size_t helpers) {
        threads_.reserve(helpers);
        for (std::size_t i = 0; i < helpers; ++i) threads_.emplace_back([this] { serve(); });
    }
    batch_pool(const batch_pool&) = delete;
    batch_pool& operator=(const batch_pool&) = delete;
    ~batch_pool() {
        {
            std::lock_guard lock(m_);
            stop_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_) t.join();
    }

    /// Calls `fn(i)` for every `i` in `[0, n)`, on the helpers and the calling
    /// thread; `fn` must not throw (the caller keeps each item's exception).
    void run(std::size_t n, const std::function<void(std::size_t)>& fn) {
        {
            std::lock_guard lock(m_);
            job_ = &fn;
            n_ = n;
            next_.store(0, std::memory_order_relaxed);
            busy_ = threads_.size();
            ++generation_;
        }
        wake_.notify_all();
        work(fn, n);
        std::unique_lock lock(m_);
        done_.wait(lock, [this] { return busy_ == 0; });
        job_ = nullptr;
    }

private:
    void work(const std::function<void(std::size_t)>& fn, std::size_t n) {
        for (std::size_t i = next_.fetch_add(1, std::memory_order_relaxed); i < n;
             i = next_.fetch_add(1, std::memory_order_relaxed))
            fn(i);
    }

    void serve() {
        std::size_t seen = 0;
        for (;;) {
            const std::function<void(std::size_t)>* job;
            std::size_t n;
            {
                std::unique_lock lock(m_);
                wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
                if (stop_) return;
                seen = generation_;
                job = job_;
                n = n_;
            }
            work(*job, n);
            {
                std::lock_guard lock(m_);
                --busy_;
            }
            done_.notify_one();
        }
    }

    std::mutex m_;
    std::condition_variable wake_, done_;
    const std::function<void(std::size_t)>* job_ = nullptr;
    std::size_t n_ = 0;
    std::atomic<std::size_t> next_{0};
    std::size_t busy_ = 0;
    std::size_t generation_ = 0;
    bool stop_ = false;
    std::vector<std::thread> threads_;
};

} // namespace rill::redis::detail
