// Helpers for the concurrency tests: thread counting, gates, and sources that
// record how far upstream has been pulled.
#pragma once

#include <rill/concepts.hpp>
#include <rill/detail/stream_base.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace rill_conc {

/// The number of threads of this process (entries of /proc/self/task).
inline std::size_t thread_count() {
    std::size_t n = 0;
    for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
    return n;
}

/// The thread count to compare against: measured after one thread has been
/// started and joined, so that threads a runtime starts with the first thread
/// of a process (ThreadSanitizer's background thread) already exist.
inline std::size_t baseline_thread_count() {
    std::thread([] {}).join();
    std::size_t n = thread_count();
    // a joined thread may linger in /proc for an instant
    for (int i = 0; i < 1000; ++i) {
        std::this_thread::yield();
        n = std::min(n, thread_count());
    }
    return n;
}

/// The thread count once it has dropped to `baseline`, or what it is after a
/// bounded number of yields (a joined thread may linger in /proc for an instant).
inline std::size_t settled_thread_count(std::size_t baseline) {
    std::size_t n = thread_count();
    for (int i = 0; i < 100000 && n > baseline; ++i) {
        std::this_thread::yield();
        n = thread_count();
    }
    return n;
}

/// A one-way gate: `wait()` blocks until `open()`.
class gate {
public:
    void open() {
        {
            std::lock_guard g(m_);
            open_ = true;
        }
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock l(m_);
        cv_.wait(l, [&] { return open_; });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool open_ = false;
};

/// Counters shared between a test and a `counted_source` run.
struct source_stats {
    std::atomic<long> started{0};   // calls of next() that began producing an item
    std::atomic<long> pulls{0};     // calls of next() that produced an item
    std::atomic<long> requested{0}; // the test's own count of next() calls it started
    std::atomic<long> max_ahead{0}; // max over pulls of (pull number - requested at that time)
    std::atomic<int> opened{0};
    std::atomic<int> closed{0};
    std::mutex m;
    std::condition_variable cv;     // notified after every pull

    void note_pull() {
        const long k = ++started;
        const long ahead = k - requested.load();
        long cur = max_ahead.load();
        while (ahead > cur && !max_ahead.compare_exchange_weak(cur, ahead)) {}
        // Published after max_ahead: a test that awaits the pulls sees the look-ahead too.
        ++pulls;
        { std::lock_guard g(m); }
        cv.notify_all();
    }
    void await_pulls(long n) {
        std::unique_lock l(m);
        cv.wait(l, [&] { return pulls.load() >= n; });
    }
};

/// Ok(0), Ok(1), ... Ok(n-1) (n < 0: without end), with every pull counted in
/// `stats`, and the run's open / close counted (the cursor is the resource).
/// Item `err_at` (if >= 0) is Err "E"; pull number `throw_at` (if >= 0) throws.
class counted_source : public rill::stream_base<counted_source> {
public:
    using value_type = int;
    counted_source(std::shared_ptr<source_stats> s, long n, long err_at = -1, long throw_at = -1)
        : s_(std::move(s)), n_(n), err_at_(err_at), throw_at_(throw_at) {}

    class cursor {
    public:
        using value_type = int;
        cursor(std::shared_ptr<source_stats> s, long n, long e, long t) : s_(std::move(s)), n_(n), err_at_(e), throw_at_(t) {
            ++s_->opened;
        }
        cursor(cursor&& o) noexcept : s_(std::move(o.s_)), i_(o.i_), n_(o.n_), err_at_(o.err_at_), throw_at_(o.throw_at_) {}
        ~cursor() {
            if (s_) ++s_->closed;
        }
        std::optional<rill::result<int>> next() {
            if (n_ >= 0 && i_ >= n_) return std::nullopt;
            const long i = i_++;
            if (i == throw_at_) throw std::runtime_error("upstream boom");
            s_->note_pull();
            if (i == err_at_) return rill::result<int>(rill::err("E", "bad item"));
            return rill::result<int>(static_cast<int>(i));
        }

    private:
        std::shared_ptr<source_stats> s_;
        long i_ = 0, n_, err_at_, throw_at_;
    };

    static cursor start(const counted_source& self) { return cursor(self.s_, self.n_, self.err_at_, self.throw_at_); }

private:
    std::shared_ptr<source_stats> s_;
    long n_, err_at_, throw_at_;
};

/// Pulls a whole run with next(), counting each call in `stats->requested` first.
template <class S>
std::vector<rill::result<rill::value_t<S>>> pull_all(S&& s, source_stats& stats) {
    std::vector<rill::result<rill::value_t<S>>> out;
    auto c = std::forward<S>(s).open();
    for (;;) {
        ++stats.requested;
        auto r = c.next();
        if (!r) break;
        out.push_back(std::move(*r));
    }
    return out;
}

} // namespace rill_conc
