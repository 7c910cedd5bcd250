/// \file
/// `par_map(f, opts)` and `par_try_map(f, opts)`: `map` / `try_map` with up to
/// `opts.workers` calls of `f` at once and a bounded number of items in flight.
#pragma once

#include <rill/concurrent/detail/worker.hpp>
#include <rill/detail/stage.hpp>
#include <rill/run_stop.hpp>
#include <rill/time/clock.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill {

/// Options of `par_map` / `par_try_map`, for designated initialisers: `{.workers = 8, .ordered = false}`.
struct par_options {
    /// Calls of `f` at once, at most; must be at least 1. `workers = 1` (without a
    /// `timeout`) is `map(f)` on the consumer's thread; otherwise the run starts `workers`
    /// threads, and the consumer, while it waits for an item, calls `f` on items they
    /// pulled for it (never more than `workers` calls at once in all).
    std::size_t workers = 4;
    /// Keep input order (true) or emit items as they complete (false).
    bool ordered = true;
    /// Items pulled from upstream and not yet returned to the consumer, at most; 0 means `2 * workers`.
    /// It must be at least `workers` (or 0). In ordered mode it is the reorder window.
    std::size_t max_in_flight = 0;
    /// A per-item limit on `f`: an item whose `f` has not returned this long after it
    /// was called becomes `Err{"timeout", ...}` in its place; must not be negative.
    std::optional<std::chrono::nanoseconds> timeout = std::nullopt;
};

namespace detail {

inline par_options checked(par_options o, const char* op) {
    const std::string name(op);
    if (o.workers == 0) throw std::invalid_argument(name + ": opts.workers must be at least 1");
    if (o.max_in_flight == 0) o.max_in_flight = 2 * o.workers;
    if (o.max_in_flight < o.workers)
        throw std::invalid_argument(name + ": opts.max_in_flight must be 0 or at least opts.workers");
    if (o.timeout && *o.timeout < std::chrono::nanoseconds::zero())
        throw std::invalid_argument(name + ": opts.timeout must not be negative");
    return o;
}

template <bool Try>
struct par_map_stage : no_checks {
    template <class T, class F, class O, class Clock>
    using value = std::conditional_t<Try, unwrap_result_t<std::invoke_result_t<const F&, T&&>>,
                                     std::remove_cvref_t<std::invoke_result_t<const F&, T&&>>>;

    template <class T, class F, class O, class Clock>
    static constexpr bool check() {
        constexpr bool callable = std::is_invocable_v<const F&, T&&>;
        static_assert(callable,
                      "rill::par_map / par_try_map: f cannot be called as a const function with the stream's item "
                      "type (workers call f from several threads at once through a const reference: a mutable "
                      "lambda is not allowed; guard shared state yourself).");
        if constexpr (callable) {
            using R = std::invoke_result_t<const F&, T&&>;
            if constexpr (Try) {
                static_assert(is_result_v<R>, "rill::par_try_map: f must return rill::result<U>.");
                return is_result_v<R>;
            } else {
                static_assert(!std::is_void_v<R>, "rill::par_map: f returns void.");
                return !std::is_void_v<R>;
            }
        }
        return callable;
    }

    template <class C, class F, class O, class Clock>
    class cursor {
        using in_type = typename C::value_type;

    public:
        using value_type = value<in_type, F, O, Clock>;

        template <class G>
        cursor(C up, G&& f, const par_options& o, const Clock& clock)
            : s_(std::make_unique<state>(std::move(up), std::forward<G>(f), o, clock)) {
            // One worker and no timeout: the consumer's thread does it all (see `state::helps`).
            const std::size_t threads = s_->helps && o.workers == 1 ? 0 : o.workers;
            s_->workers.reserve(threads);
            try {
                for (std::size_t i = 0; i < threads; ++i)
                    s_->workers.emplace_back([s = s_.get()](std::stop_token st) {
                        stop_scope scope(st); // waits upstream and in f's streams wake when the run stops
                        s->work(st);
                    });
            } catch (...) {
                s_->stop(); // a thread could not start: join those that did
                throw;
            }
        }
        cursor(cursor&&) = default;
        ~cursor() {
            if (s_) s_->stop();
        }

        std::optional<result<value_type>> next() {
            if (!s_ || done_) return std::nullopt;
            outcome o = s_->opts.ordered ? s_->take_ordered() : s_->take_unordered();
            if (o.ex) {
                done_ = true;
                s_->stop(); // workers stopped and joined, upstream released: then the exception
                std::rethrow_exception(o.ex);
            }
            if (!o.item) {
                done_ = true;
                s_->stop();
            }
            return std::move(o.item);
        }

    private:
        using time_point = typename Clock::time_point;

        struct outcome {
            std::optional<result<value_type>> item; // empty with no ex: the end
            std::exception_ptr ex;
        };

        enum class slot_state { free, pending, running, done };
        struct slot {
            slot_state st = slot_state::free;
            std::size_t index = 0; // the item's position in upstream
            time_point start{};
            std::optional<in_type> input; // pulled, f not called yet (pending)
            outcome out;
        };

        // The run's shared state. A *job* is a call of f on a pulled item (and,
        // unless a pulled item is pending, the pull first); the worker threads
        // run jobs and so does the consumer while it waits in next() (as
        // oneTBB's and OpenMP's calling thread does), at most `workers` at
        // once. The consumer pulls only when no item is in flight (with one
        // worker it does everything): a pull may block as long as upstream
        // likes (an open channel), and an item another thread has finished
        // must not wait for it, so with several workers the run has `workers`
        // threads of its own that pull. One thread
        // pulls at a time; while others wait for an item it pulls on and leaves
        // the items *pending* for them, so that a busy pipeline does not queue
        // its threads on the pull. Waiting threads first yield a while (a sleep
        // and a wake-up can cost tens of microseconds on a virtual machine),
        // then sleep; a change is announced by bumping `epoch`, and a condition
        // variable is notified only when someone sleeps on it.
        struct state {
            template <class G>
            state(C c, G&& g, const par_options& o, const Clock& k)
                : up(std::in_place, std::move(c)), f(std::forward<G>(g)), opts(o), clock(k),
                  helps(!o.timeout), slots(o.max_in_flight) {
                for (std::size_t i = slots.size(); i-- > 0;) free_slots.push_back(i);
            }

            std::optional<result<value_type>> call(in_type&& x, std::size_t index) const {
                if constexpr (Try) {
                    std::optional<result<value_type>> r(std::invoke(f, std::move(x)));
                    if (!r->has_value()) [[unlikely]]
                        stamp(*r, "par_try_map", index); // as try_map does
                    return r;
                } else {
                    return ok<value_type>(std::invoke(f, std::move(x)));
                }
            }

            static std::optional<result<value_type>> timed_out(std::size_t index) {
                err_info e{"timeout", "par_map: f did not return within opts.timeout"};
                e.at(Try ? op_name("par_try_map") : op_name("par_map"), index);
                return fail<value_type>(std::move(e));
            }

            bool late(const slot& s) const {
                return opts.timeout && s.st == slot_state::running && clock.now() >= s.start + *opts.timeout;
            }

            // --- jobs (all under `m`) ---------------------------------------------

            bool can_pull() const { return !pulling && !upstream_done && pulled - delivered < slots.size(); }
            bool can_start() const { return busy < opts.workers && (!pending.empty() || can_pull()); }
            // The consumer pulls only when no item is in flight: a pull may
            // block for as long as upstream likes (an open channel), and an
            // item finished meanwhile by another thread must not wait for it.
            bool consumer_can_start() const {
                return busy < opts.workers && (!pending.empty() || (can_pull() && pulled == delivered));
            }
            // Nothing is left for a worker thread to do in this run.
            bool drained() const { return upstream_done && pending.empty(); }

            std::size_t take_slot(std::size_t index) {
                if (opts.ordered) return index % slots.size();
                const std::size_t i = free_slots.back();
                free_slots.pop_back();
                return i;
            }

            // Slot `i` holds its outcome: the consumer may take it.
            void finish(std::size_t i) {
                slots[i].st = slot_state::done;
                if (!opts.ordered) done_queue.push_back(i);
                if (!opts.ordered || slots[i].index == delivered) wake_consumer();
            }

            void release_slot(std::size_t i) {
                slots[i].st = slot_state::free;
                slots[i].out = {};
                if (!opts.ordered) free_slots.push_back(i);
                ++delivered;
                wake_worker(); // room in the window
            }

            // One job; `can_start()` holds (`consumer_can_start()` for the
            // consumer, which pulls one item at most). `lock` is released
            // around the calls of upstream and f, and held again on return.
            void run_job(std::unique_lock<std::mutex>& lock, bool by_consumer) {
                ++busy;
                if (!pending.empty()) {
                    const std::size_t i = pending.front();
                    pending.pop_front();
                    call_f(lock, i);
                    return;
                }
                pulling = true;
                for (;;) {
                    const std::size_t index = pulled;
                    lock.unlock();
                    std::optional<result<in_type>> r;
                    std::exception_ptr ex;
                    try {
                        r = up->next();
                    } catch (...) {
                        ex = std::current_exception();
                    }
                    if (!r) up.reset(); // upstream ended or threw: released on this thread, now
                    lock.lock();

                    if (!r && !ex) {
                        pulling = false;
                        --busy;
                        end_of_upstream();
                        return;
                    }
                    const std::size_t i = take_slot(index);
                    slot& s = slots[i];
                    s.index = index;
                    ++pulled;
                    if (ex || !r->has_value()) {
                        if (ex) s.out.ex = ex;
                        else s.out.item.emplace(tl::unexpect, std::move(r->error())); // f is not called for Err items
                        finish(i);
                        if (ex) {
                            pulling = false;
                            --busy;
                            end_of_upstream();
                            return;
                        }
                        if (!by_consumer && can_pull()) continue;
                        pulling = false;
                        --busy;
                        wake_idle();
                        return;
                    }
                    s.input.emplace(std::move(**r));
                    pulling = false;
                    if (!by_consumer && waiting > pending.size() && can_pull()) {
                        // Someone waits for an item: this one is theirs, and
                        // this thread pulls on.
                        s.st = slot_state::pending;
                        pending.push_back(i);
                        pulling = true;
                        wake_idle();
                        continue;
                    }
                    wake_idle(); // the next pull may start
                    call_f(lock, i);
                    return;
                }
            }

            // Calls f on slot `i`'s pulled item (one `busy` is this call's).
            void call_f(std::unique_lock<std::mutex>& lock, std::size_t i) {
                slot& s = slots[i];
                const std::size_t index = s.index;
                s.st = slot_state::running;
                if (opts.timeout) {
                    s.start = clock.now();
                    wake_consumer(); // it may be waiting without a deadline: now there is one
                }
                in_type x = std::move(*s.input);
                s.input.reset();
                lock.unlock();
                outcome o;
                try {
                    o.item = call(std::move(x), index);
                } catch (...) {
                    o.ex = std::current_exception();
                }
                lock.lock();
                --busy;
                // A slot that timed out was handed over (and maybe reused): the
                // late result is dropped.
                if (s.st == slot_state::running && s.index == index) {
                    s.out = late(s) ? outcome{timed_out(index), nullptr} : std::move(o);
                    finish(i);
                }
            }

            void end_of_upstream() {
                upstream_done = true;
                bump();
                if (sleeping_workers > 0) worker_cv.notify_all(); // they return
                if (consumer_sleeping) consumer_cv.notify_one();
            }

            // --- waking and waiting -----------------------------------------------

            void bump() { epoch.fetch_add(1, std::memory_order_release); }
            void wake_consumer() {
                bump();
                if (consumer_sleeping) consumer_cv.notify_one();
            }
            void wake_worker() {
                bump();
                if (sleeping_workers > 0) worker_cv.notify_one();
            }
            // A job may start: wakes one sleeper that would run it.
            void wake_idle() {
                bump();
                if (helps && consumer_sleeping && consumer_can_start()) consumer_cv.notify_one();
                else if (sleeping_workers > 0) worker_cv.notify_one();
            }

            // With `lock` released, yields until `epoch` moves past `seen` or
            // `stopping()`, for at most `spin_time`; true if it moved.
            template <class Stopping>
            bool spin(std::unique_lock<std::mutex>& lock, std::size_t seen, Stopping stopping) {
                lock.unlock();
                const auto t0 = std::chrono::steady_clock::now();
                bool moved = false;
                for (unsigned k = 1;; ++k) {
                    if (epoch.load(std::memory_order_acquire) != seen) {
                        moved = true;
                        break;
                    }
                    if (stopping() || (k % 16 == 0 && std::chrono::steady_clock::now() - t0 > spin_time)) break;
                    std::this_thread::yield();
                }
                lock.lock();
                return moved;
            }

            void work(std::stop_token st) {
                std::unique_lock lock(m);
                for (;;) {
                    if (st.stop_requested() || drained()) return;
                    if (can_start()) {
                        run_job(lock, false);
                        continue;
                    }
                    auto ready = [&] { return st.stop_requested() || drained() || can_start(); };
                    ++waiting;
                    if (!(spin(lock, epoch.load(std::memory_order_relaxed), [&] { return st.stop_requested(); }) &&
                          ready())) {
                        ++sleeping_workers;
                        worker_cv.wait(lock, ready);
                        --sleeping_workers;
                    }
                    --waiting;
                }
            }

            // The consumer has nothing to take: it runs a job if it may,
            // otherwise waits for a change (or until `deadline`). False if the
            // consumer's run was stopped (see rill/run_stop.hpp): the end for it.
            bool help_or_wait(std::unique_lock<std::mutex>& lock, std::optional<time_point> deadline) {
                if (helps && consumer_can_start()) {
                    run_job(lock, true);
                    return true;
                }
                const std::size_t seen = epoch.load(std::memory_order_relaxed);
                if (helps) ++waiting; // for a job, too
                if (!(helps && spin(lock, seen, [] { return stop_requested(); }))) {
                    auto moved = [&] { return epoch.load(std::memory_order_relaxed) != seen; };
                    consumer_sleeping = true;
                    if (deadline) wait_until_unless_stopped(clock, lock, consumer_cv, *deadline, moved);
                    else wait_unless_stopped(lock, consumer_cv, moved);
                    consumer_sleeping = false;
                }
                if (helps) --waiting;
                return !stop_requested();
            }

            outcome take_ordered() {
                std::unique_lock lock(m);
                for (;;) {
                    if (upstream_done && delivered == pulled) return {};
                    std::optional<time_point> deadline;
                    if (delivered < pulled) {
                        const std::size_t i = delivered % slots.size();
                        slot& s = slots[i];
                        if (s.st == slot_state::done) {
                            outcome o = std::move(s.out);
                            release_slot(i);
                            return o;
                        }
                        if (late(s)) {
                            release_slot(i);
                            return {timed_out(s.index), nullptr};
                        }
                        if (opts.timeout && s.st == slot_state::running) deadline = s.start + *opts.timeout;
                    }
                    if (!help_or_wait(lock, deadline)) return {};
                }
            }

            outcome take_unordered() {
                std::unique_lock lock(m);
                for (;;) {
                    while (!done_queue.empty()) {
                        const std::size_t i = done_queue.front();
                        done_queue.pop_front();
                        slot& s = slots[i];
                        if (s.st != slot_state::done) continue; // handed over as a timeout already
                        outcome o = std::move(s.out);
                        release_slot(i);
                        return o;
                    }
                    if (upstream_done && delivered == pulled) return {};
                    std::optional<time_point> first;
                    std::size_t first_slot = 0;
                    if (opts.timeout) {
                        for (std::size_t i = 0; i < slots.size(); ++i) {
                            if (slots[i].st != slot_state::running) continue;
                            const time_point d = slots[i].start + *opts.timeout;
                            if (!first || d < *first) first = d, first_slot = i;
                        }
                    }
                    if (first && clock.now() >= *first) {
                        const std::size_t index = slots[first_slot].index;
                        release_slot(first_slot);
                        return {timed_out(index), nullptr};
                    }
                    if (!help_or_wait(lock, first)) return {};
                }
            }

            void stop() noexcept {
                for (auto& w : workers) w.request_stop();
                { std::lock_guard g(m); }
                worker_cv.notify_all();
                for (auto& w : workers)
                    if (w.joinable()) w.join();
                up.reset();
            }

            static constexpr std::chrono::microseconds spin_time{50};

            std::optional<C> up; // pulled by one thread at a time (`pulling`)
            const F f;
            const par_options opts;
            const Clock clock;
            const bool helps; // the consumer runs jobs while it waits (not with a timeout)

            std::mutex m;
            std::condition_variable consumer_cv;
            std::condition_variable worker_cv;
            std::vector<slot> slots;
            std::vector<std::size_t> free_slots; // unordered mode
            std::deque<std::size_t> done_queue;  // unordered mode: completion order
            std::size_t pulled = 0;
            std::size_t delivered = 0;
            std::size_t busy = 0; // jobs running: at most opts.workers
            std::size_t sleeping_workers = 0;
            std::size_t waiting = 0;              // threads that would run a job: spinning or asleep
            std::deque<std::size_t> pending;      // slots of pulled items no thread has taken yet, in pull order
            bool consumer_sleeping = false;
            bool pulling = false;
            bool upstream_done = false;
            std::atomic<std::size_t> epoch{0}; // bumped by every change a waiter may care about
            std::vector<std::jthread> workers;
        };

        std::unique_ptr<state> s_;
        bool done_ = false;
    };
};

template <bool Try>
struct par_map_fn {
    static constexpr const char* name = Try ? "rill::par_try_map" : "rill::par_map";

    template <class S, class F, class Clock = real_clock>
        requires any_stream<S> && clock<Clock>
    auto operator()(S&& s, F&& f, par_options o = {}, Clock k = {}) const {
        return stage_fn<par_map_stage<Try>>{}(std::forward<S>(s), std::forward<F>(f), checked(o, name), std::move(k));
    }
    template <class F, class Clock = real_clock>
        requires(!any_stream<F>) && clock<Clock>
    auto operator()(F&& f, par_options o = {}, Clock k = {}) const {
        static_assert(std::is_copy_constructible_v<std::decay_t<F>>, "rill::par_map: the function must be copyable.");
        return make_closure<par_map_fn>(std::forward<F>(f), checked(o, name), std::move(k));
    }
};

} // namespace detail

/// `map` by `opts.workers` workers at once: `s | rill::par_map(f, {.workers = 8})`; see docs/08-concurrency.md.
inline constexpr detail::par_map_fn<false> par_map{};

/// `try_map` by `opts.workers` workers at once: `f` returns `result<U>`; an Err from `f` is an item.
inline constexpr detail::par_map_fn<true> par_try_map{};

} // namespace rill
