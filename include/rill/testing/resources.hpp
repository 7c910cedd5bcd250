/// \file
/// Resource safety: `check_resource_safety(factory)` builds a user's pipeline
/// with a `probe` (logging resources, a throw-injecting function wrapper,
/// counted items), runs it under random early stops and random exceptions, and
/// checks that every acquire is released exactly once, in reverse order, that
/// an injected exception reaches the consumer exactly once, that building the
/// pipeline runs nothing, and that no item, guarded call or thread outlives the
/// run. `resource_options{.look_ahead = true}` checks pipelines whose
/// operators work ahead of the consumer (`par_map`, `buffer`) for what they
/// still promise. The probe is thread-safe.
///
///     auto r = rill::testing::check_resource_safety([](rill::testing::probe& p) {
///         return rill::using_resource(p.acquire("file"), p.release(),
///                    [p](rill::testing::tracked_resource&) { return rill::iota(0, 5); })
///              | rill::map(p.guard([](int x) { return x * 2; }));
///     });
#pragma once

#include <rill/testing/check.hpp>

#include <rill/concepts.hpp>
#include <rill/result.hpp>
#include <rill/sink/collect.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stream.hpp>

#include <rapidcheck.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill::testing {

/// The exception the throw-injecting wrapper throws.
struct injected_failure : std::runtime_error {
    /// Thrown at the `call`-th call of a guarded function.
    explicit injected_failure(std::size_t call)
        : std::runtime_error("injected failure at call " + std::to_string(call)), at_call(call) {}
    std::size_t at_call; ///< the call (1-based) that threw
};

/// One entry of a probe's log.
struct resource_event {
    bool acquire = true;    ///< an acquire, else a release
    std::size_t id = 0;     ///< which acquisition (1-based, in order)
    std::string name;       ///< the name given to `probe::acquire`
    std::size_t thread = 1; ///< which thread logged it: 1 for the first thread the log saw, 2 for the next, ...
};

/// How `probe::log_problems` judges the order of releases.
enum class release_order {
    /// One stack for the whole log: each release is of the last resource
    /// acquired that is still held (a run in step with its consumer).
    global,
    /// One stack per thread: a release on the thread that made the acquire is
    /// of the last resource that thread acquired still held; a release on
    /// another thread (a prefetching operator's upstream, released when the
    /// run stops) is checked for exactly-once only.
    per_thread,
};

namespace detail {
// The state copies of a probe share. The log (and the acquisition numbers,
// which must be handed out in the order they are logged) is behind a mutex;
// the counters are atomics: guarded functions run on par_map's workers and
// buffer's producer while the consumer's thread runs others.
struct probe_state {
    mutable std::mutex m;
    std::vector<resource_event> log;      // under m
    std::vector<std::thread::id> threads; // under m: the threads the log saw, in order
    std::size_t acquisitions = 0;         // under m
    std::atomic<std::size_t> calls{0};            // calls of guarded functions and acquires
    std::atomic<std::size_t> throw_at{0};         // the call that throws (0: none)
    std::atomic<std::size_t> throws{0};           // injected exceptions thrown
    std::atomic<std::size_t> fail_acquire_at{0};  // the acquire that returns an Err (0: none)
    std::atomic<long> live_items{0};              // counted items alive
    std::atomic<bool> frozen{false};              // the checker is building: calls are a laziness failure
    std::atomic<std::size_t> calls_while_building{0};
    std::atomic<std::size_t> running{0};          // guarded calls under way

    void call() {
        if (frozen.load()) ++calls_while_building;
        const std::size_t n = ++calls;
        const std::size_t at = throw_at.load();
        if (at != 0 && n == at) {
            ++throws;
            throw injected_failure(n);
        }
    }

    // Under m.
    std::size_t thread_index() {
        const auto me = std::this_thread::get_id();
        for (std::size_t i = 0; i < threads.size(); ++i)
            if (threads[i] == me) return i + 1;
        threads.push_back(me);
        return threads.size();
    }

    // Takes the next acquisition number and logs the acquire; 0 (nothing
    // logged) when it is the attempt that `fail_acquire_at` makes fail.
    std::size_t log_acquire(const std::string& name, bool may_fail) {
        std::lock_guard g(m);
        const std::size_t id = ++acquisitions;
        if (may_fail && id == fail_acquire_at.load()) return 0;
        log.push_back({true, id, name, thread_index()});
        return id;
    }

    void log_release(std::size_t id, const std::string& name) {
        std::lock_guard g(m);
        log.push_back({false, id, name, thread_index()});
    }

    std::vector<resource_event> log_copy() const {
        std::lock_guard g(m);
        return log;
    }
};

// Counts a guarded call as under way for its scope.
struct running_call {
    explicit running_call(probe_state& s) noexcept : s_(s) { ++s_.running; }
    ~running_call() { --s_.running; }
    running_call(const running_call&) = delete;
    running_call& operator=(const running_call&) = delete;

private:
    probe_state& s_;
};
} // namespace detail

class probe;

/// A resource whose acquisition and release a probe logs. Moving it transfers
/// ownership (no log); it is released by `probe::release()` (logged on every
/// call, so a double release shows) or else by its destructor.
class tracked_resource {
public:
    /// Logs the acquisition.
    tracked_resource(std::shared_ptr<detail::probe_state> st, std::string name) : st_(std::move(st)), name_(std::move(name)) {
        id_ = st_->log_acquire(name_, false);
    }
    /// Takes ownership.
    tracked_resource(tracked_resource&& o) noexcept
        : st_(std::move(o.st_)), name_(std::move(o.name_)), id_(o.id_), released_(o.released_) {}
    tracked_resource& operator=(tracked_resource&&) = delete;
    /// Releases the resource unless `release()` did.
    ~tracked_resource() {
        if (st_ && !released_) st_->log_release(id_, name_);
    }
    /// Releases the resource (logged every time it is called).
    void release() noexcept {
        released_ = true;
        if (st_) st_->log_release(id_, name_);
    }
    /// The name given at acquisition.
    const std::string& name() const noexcept { return name_; }
    /// Which acquisition this is (1-based).
    std::size_t id() const noexcept { return id_; }

private:
    friend class probe;
    // Adopts acquisition `id`, already logged.
    tracked_resource(std::shared_ptr<detail::probe_state> st, std::string name, std::size_t id)
        : st_(std::move(st)), name_(std::move(name)), id_(id) {}

    std::shared_ptr<detail::probe_state> st_;
    std::string name_;
    std::size_t id_ = 0;
    bool released_ = false;
};

/// An item that counts live instances in its probe: a run that leaks or
/// double-destroys items shows in `probe::live_items()`.
template <class T>
class counted {
public:
    /// A counted `value`.
    counted(T value, std::shared_ptr<detail::probe_state> st) : value_(std::move(value)), st_(std::move(st)) { ++st_->live_items; }
    /// Copies count.
    counted(const counted& o) : value_(o.value_), st_(o.st_) { ++st_->live_items; }
    /// Moves count too: the moved-from object is still alive.
    counted(counted&& o) noexcept(std::is_nothrow_move_constructible_v<T>) : value_(std::move(o.value_)), st_(o.st_) { ++st_->live_items; }
    /// Assigns the value.
    counted& operator=(const counted& o) {
        value_ = o.value_;
        return *this;
    }
    /// Assigns the value.
    counted& operator=(counted&& o) noexcept(std::is_nothrow_move_assignable_v<T>) {
        value_ = std::move(o.value_);
        return *this;
    }
    ~counted() { --st_->live_items; }
    /// The value.
    const T& value() const noexcept { return value_; }
    /// Compares values.
    friend bool operator==(const counted& a, const counted& b) { return a.value_ == b.value_; }
    /// Prints the value.
    friend std::ostream& operator<<(std::ostream& os, const counted& c) { return os << "counted(" << c.value_ << ")"; }

private:
    T value_;
    std::shared_ptr<detail::probe_state> st_;
};

/// What a pipeline under `check_resource_safety` is built with: resources that
/// log, functions that may throw, items that count. Copies share one log. A
/// probe is thread-safe: its functions may run on several threads at once
/// (`par_map`'s workers, `buffer`'s producer); its log is in the order the
/// events happened, and each event says which thread logged it.
class probe {
public:
    /// A fresh probe (the checker makes them; tests may make their own).
    probe() : st_(std::make_shared<detail::probe_state>()) {}

    /// An `acquire` for `using_resource`: `() -> result<tracked_resource>`; it
    /// is a guarded call (it may throw) and may fail with Err("ACQUIRE", name).
    auto acquire(std::string name) const {
        return [st = st_, name = std::move(name)]() -> result<tracked_resource> {
            st->call();
            const std::size_t id = st->log_acquire(name, true);
            if (id == 0) return rill::err("ACQUIRE", name); // counts as an attempt, logs nothing: nothing to release
            return tracked_resource(st, name, id);
        };
    }

    /// A `release(R&, exit_case)` for the three-argument `using_resource`.
    static auto release() {
        return [](tracked_resource& r, exit_case) noexcept { r.release(); };
    }

    /// Wraps a user function: each call counts, and the injected call throws `injected_failure`.
    template <class F>
    auto guard(F f) const {
        return [st = st_, f = std::move(f)](auto&&... args) -> decltype(auto) {
            st->call();
            const detail::running_call under_way(*st);
            return f(std::forward<decltype(args)>(args)...);
        };
    }

    /// A counted item.
    template <class T>
    counted<std::decay_t<T>> item(T&& value) const {
        return counted<std::decay_t<T>>(std::forward<T>(value), st_);
    }

    /// The log of acquisitions and releases so far (a copy: other threads may be adding to it).
    std::vector<resource_event> log() const { return st_->log_copy(); }
    /// Guarded calls (and acquires) so far.
    std::size_t calls() const noexcept { return st_->calls.load(); }
    /// Guarded calls under way now (started and not yet returned or thrown).
    std::size_t running_calls() const noexcept { return st_->running.load(); }
    /// Acquire attempts so far (failed ones too).
    std::size_t acquisitions() const {
        std::lock_guard g(st_->m);
        return st_->acquisitions;
    }
    /// Injected exceptions thrown so far.
    std::size_t throws() const noexcept { return st_->throws.load(); }
    /// Counted items alive now.
    long live_items() const noexcept { return st_->live_items.load(); }
    /// Makes the `n`-th guarded call throw (0: none).
    void throw_at(std::size_t n) const noexcept { st_->throw_at = n; }
    /// Makes the `n`-th acquire attempt return an Err (0: none).
    void fail_acquire_at(std::size_t n) const noexcept { st_->fail_acquire_at = n; }

    /// The log as text: " +file#1 -file#1"; when more than one thread logged,
    /// each event says which: " +file#1@t2 -file#1@t1".
    std::string log_text() const {
        const auto log = st_->log_copy();
        bool threaded = false;
        for (const auto& e : log) threaded = threaded || e.thread != 1;
        std::ostringstream os;
        for (const auto& e : log) {
            os << (e.acquire ? " +" : " -") << e.name << "#" << e.id;
            if (threaded) os << "@t" << e.thread;
        }
        return os.str();
    }

    /// Checks the log: every acquire released exactly once, in reverse order
    /// of acquisition (a stack, or one per thread: see `release_order`),
    /// nothing released that was not acquired. Empty when fine.
    std::string log_problems(release_order order = release_order::global) const {
        std::vector<resource_event> log;
        std::size_t acquisitions = 0;
        {
            std::lock_guard g(st_->m);
            log = st_->log;
            acquisitions = st_->acquisitions;
        }
        const bool per_thread = order == release_order::per_thread;
        std::map<std::size_t, std::vector<std::size_t>> open; // the stack of each thread (one, keyed 0, if global)
        std::vector<std::size_t> acquired_on(acquisitions + 1, 0);
        std::vector<int> released(acquisitions + 1, 0);
        std::ostringstream os;
        for (const auto& e : log) {
            if (e.acquire) {
                if (e.id != 0 && e.id <= acquisitions) acquired_on[e.id] = e.thread;
                open[per_thread ? e.thread : 0].push_back(e.id);
                continue;
            }
            if (e.id == 0 || e.id > acquisitions || acquired_on[e.id] == 0) {
                os << "released " << e.name << "#" << e.id << " that was never acquired; ";
                continue;
            }
            auto& stack = open[per_thread ? acquired_on[e.id] : 0];
            const bool ordered = !per_thread || acquired_on[e.id] == e.thread;
            if (++released[e.id] > 1) os << e.name << "#" << e.id << " released " << released[e.id] << " times; ";
            else if (ordered && (stack.empty() || stack.back() != e.id))
                os << e.name << "#" << e.id << " released out of order (not the last one acquired"
                   << (per_thread ? " on its thread" : "") << " still held); ";
            for (auto it = stack.begin(); it != stack.end(); ++it)
                if (*it == e.id) {
                    stack.erase(it);
                    break;
                }
        }
        std::vector<std::size_t> never;
        for (const auto& [thread, stack] : open) never.insert(never.end(), stack.begin(), stack.end());
        std::sort(never.begin(), never.end());
        for (auto id : never) os << "#" << id << " never released; ";
        return os.str();
    }

    /// The state shared by copies (for advanced uses such as custom resources).
    const std::shared_ptr<detail::probe_state>& state() const noexcept { return st_; }

    /// Freezes or unfreezes the probe: guarded calls while frozen are counted as
    /// calls made while building the pipeline (a laziness failure).
    void building(bool b) const noexcept { st_->frozen = b; }
    /// Guarded calls made while `building(true)`.
    std::size_t calls_while_building() const noexcept { return st_->calls_while_building.load(); }

private:
    std::shared_ptr<detail::probe_state> st_;
};

/// What `check_resource_safety` allows a pipeline beyond what a run in step
/// with its consumer does, for operators that look ahead (`par_map`,
/// `buffer`, `merge`). See docs/10-laws.md, "Pipelines that look ahead".
struct resource_options {
    /// false (the default): the pipeline runs in step with its consumer, and
    /// every injected exception must reach the consumer exactly once. true:
    /// operators in it may call guarded functions, acquire and pull items ahead
    /// of the consumer (within their documented bound), on other threads; an
    /// exception thrown by work the consumer never reaches (it stopped early)
    /// may be dropped. Still checked strictly: every acquire is released
    /// exactly once by the time the run's cursor is gone, in reverse order on
    /// each thread (`release_order::per_thread`); an exception reaches the
    /// consumer at most once, and exactly once when the consumer ran to the
    /// end; no guarded call is under way or made once the run is over; no
    /// thread the run started outlives it; no counted item outlives it.
    bool look_ahead = false;
    /// Checks that the process has no more threads once a run is over than
    /// before it started (on Linux, from /proc/self/status; elsewhere this is
    /// not checked). Turn it off when other threads of the test program start
    /// and end while the check runs.
    bool count_threads = true;
};

namespace detail {

/// One consumption of a pipeline under the checker.
struct run_plan {
    std::vector<std::size_t> takes; // stacked take(k), innermost first
    bool pull = false;              // pulled with next() (else collected)
    std::size_t stop_after = 0;     // pulled: stop after this many items (a large number: to the end)
};

/// True when the consumer of `p` runs to the end of the stream (no take, no stop).
inline bool runs_to_end(const run_plan& p) { return p.takes.empty() && (!p.pull || p.stop_after == static_cast<std::size_t>(-1)); }

/// The threads of this process now (Linux: /proc/self/status); empty where the platform does not say.
inline std::optional<std::size_t> process_threads() {
#if defined(__linux__)
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Threads:", 0) == 0) return static_cast<std::size_t>(std::stoul(line.substr(8)));
#endif
    return std::nullopt;
}

/// Waits (up to about 100 ms) until the process has at most `before` threads:
/// a joined thread may linger a moment in the kernel's count. Returns the count seen last.
inline std::optional<std::size_t> threads_settled(std::optional<std::size_t> before) {
    auto now = process_threads();
    for (int i = 0; before && now && *now > *before && i < 100; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        now = process_threads();
    }
    return now;
}

inline std::string describe(const run_plan& p, std::size_t throw_at, std::size_t fail_acquire_at) {
    std::ostringstream os;
    os << "consumer: s";
    for (auto k : p.takes) os << " | take(" << k << ")";
    if (p.pull) os << ", pulled with next(), stopping after " << p.stop_after << " items";
    else os << ", collected";
    os << "; throw at guarded call " << throw_at << (throw_at == 0 ? " (none)" : "") << "; acquire #"
       << fail_acquire_at << (fail_acquire_at == 0 ? " (none)" : "") << " fails";
    return os.str();
}

/// Runs `s` per `plan`; returns the number of items seen, rethrows nothing:
/// counts exceptions in `caught` (injected) or `other`.
template <class S>
std::size_t consume(const S& s, const run_plan& plan, int& caught, std::string& other) {
    try {
        if (plan.takes.empty()) {
            if (!plan.pull) return rill::collect(s).size();
            auto c = s.open();
            std::size_t n = 0;
            while (n < plan.stop_after) {
                auto r = c.next();
                if (!r) break;
                ++n;
            }
            return n;
        }
        stream<value_t<S>> t = s;
        for (auto k : plan.takes) t = rill::take(t, k);
        if (!plan.pull) return rill::collect(t).size();
        auto c = t.open();
        std::size_t n = 0;
        while (n < plan.stop_after) {
            auto r = c.next();
            if (!r) break;
            ++n;
        }
        return n;
    } catch (const injected_failure&) {
        ++caught;
    } catch (const std::exception& e) {
        other += e.what();
    } catch (...) {
        other += "an unknown exception";
    }
    return 0;
}

} // namespace detail

/// Checks the resource safety of the pipelines `factory(probe&, param)`
/// builds (any replayable rill stream) for parameters drawn from `gen_param`
/// (e.g. a stream shape to put inside a resource): see the one-argument form.
template <class GenParam, class Factory>
check_result check_resource_safety(GenParam gen_param, Factory factory, const check_options& options = {},
                                   const resource_options& resources = {}) {
    const release_order order = resources.look_ahead ? release_order::per_thread : release_order::global;
    check_result r;
    r.add(check_property(
        resources.look_ahead ? "resource safety under early stop, exceptions and failed acquires (looking ahead)"
                             : "resource safety under early stop, exceptions and failed acquires",
        [=] {
            const auto param = *gen_param;
            // A clean run first: how many calls, acquires and items there are to choose from.
            std::size_t clean_calls = 0, clean_items = 0, clean_acquires = 0;
            {
                probe p;
                const auto s = factory(p, param);
                int caught = 0;
                std::string other;
                clean_items = detail::consume(s, detail::run_plan{{}, false, 0}, caught, other);
                clean_calls = p.calls();
                clean_acquires = p.acquisitions();
                if (!other.empty()) RC_FAIL("a clean run (no injected failure) threw: " + other);
                const auto problems = p.log_problems(order);
                if (!problems.empty()) RC_FAIL("a clean run: " + problems + "\n    log:" + p.log_text());
            }

            // Positions at full size (RapidCheck scales inRange with the size, and
            // the early cases would stop, take and throw only at the start);
            // shrinking still goes towards 0.
            auto any = [](std::size_t n) { return rc::gen::resize(100, rc::gen::inRange<std::size_t>(0, n)); };
            detail::run_plan plan;
            plan.takes = *rc::gen::resize(3, rc::gen::container<std::vector<std::size_t>>(any(clean_items + 2)));
            plan.pull = *rc::gen::arbitrary<bool>();
            plan.stop_after = *rc::gen::weightedOneOf<std::size_t>(
                {{1, rc::gen::just(static_cast<std::size_t>(-1))}, {2, any(clean_items + 1)}});
            const std::size_t throw_at = *rc::gen::weightedOneOf<std::size_t>(
                {{1, rc::gen::just<std::size_t>(0)}, {3, any(clean_calls + 1)}});
            const std::size_t fail_acquire_at = *rc::gen::weightedOneOf<std::size_t>(
                {{3, rc::gen::just<std::size_t>(0)}, {1, any(clean_acquires + 1)}});
            RC_TAG(plan.takes.empty() ? "no take" : "stacked take", throw_at ? "throws" : "no throw",
                   plan.pull ? "pulled" : "collected");
            const std::string how = detail::describe(plan, throw_at, fail_acquire_at);

            probe p;
            p.throw_at(throw_at);
            p.fail_acquire_at(fail_acquire_at);
            int caught = 0;
            std::string other;
            const auto threads_before = resources.count_threads ? detail::process_threads() : std::nullopt;
            std::size_t calls_at_end = 0;
            {
                p.building(true);
                const auto s = factory(p, param);
                p.building(false);
                if (p.calls_while_building() != 0 || !p.log().empty())
                    RC_FAIL(how + "\n    building the pipeline ran " + std::to_string(p.calls_while_building()) +
                            " guarded calls and logged" + p.log_text());
                (void)detail::consume(s, plan, caught, other);
                // The run is over (its cursor is gone) but the stream is not:
                // what the run acquired must be released by now, not by the description,
                // and nothing the run started may still be at work.
                calls_at_end = p.calls();
                const auto problems = p.log_problems(order);
                if (!problems.empty())
                    RC_FAIL(how + "\n    once the run is over: " + problems + "\n    log:" + p.log_text());
                if (p.running_calls() != 0)
                    RC_FAIL(how + "\n    " + std::to_string(p.running_calls()) +
                            " guarded call(s) still under way once the run is over");
                const auto threads_after = detail::threads_settled(threads_before);
                if (threads_before && threads_after && *threads_after > *threads_before)
                    RC_FAIL(how + "\n    " + std::to_string(*threads_after - *threads_before) +
                            " thread(s) started by the run still running once it is over");
            } // the stream is gone here too
            if (!other.empty()) RC_FAIL(how + "\n    an exception other than the injected one reached the consumer: " + other);
            const std::size_t thrown = p.throws();
            const auto arrived = static_cast<std::size_t>(caught);
            if (!resources.look_ahead && thrown != arrived)
                RC_FAIL(how + "\n    " + std::to_string(thrown) + " injected exception(s) thrown, " +
                        std::to_string(arrived) + " reached the consumer");
            if (resources.look_ahead && (arrived > thrown || (detail::runs_to_end(plan) && arrived != thrown)))
                RC_FAIL(how + "\n    " + std::to_string(thrown) + " injected exception(s) thrown, " +
                        std::to_string(arrived) + " reached the consumer" +
                        (arrived > thrown ? "" : ", which ran to the end: it reaches every item"));
            if (p.calls() != calls_at_end)
                RC_FAIL(how + "\n    " + std::to_string(p.calls() - calls_at_end) +
                        " guarded call(s) made after the run was over");
            const auto problems = p.log_problems(order);
            if (!problems.empty()) RC_FAIL(how + "\n    once the stream is gone: " + problems + "\n    log:" + p.log_text());
            if (p.live_items() != 0)
                RC_FAIL(how + "\n    " + std::to_string(p.live_items()) + " counted item(s) still alive after the run");
        },
        options));
    return r;
}

/// Checks the resource safety of the pipeline `factory(probe&)` builds (any
/// replayable rill stream): under random early stops (stacked `take(k)`,
/// consumers that stop pulling) and random exceptions (the k-th guarded call
/// throws) and failed acquires, every acquire is released exactly once, in
/// reverse order, by the time the run's cursor is gone; an injected exception
/// reaches the consumer exactly once (and no other exception does); building
/// the pipeline calls nothing; no guarded call is under way or made once the
/// run is over; no thread started by the run outlives it; no counted item is
/// alive once the run and the stream are gone. `resources.look_ahead` relaxes
/// what operators that work ahead of the consumer cannot promise (see
/// `resource_options`).
template <class Factory>
check_result check_resource_safety(Factory factory, const check_options& options = {}, const resource_options& resources = {}) {
    return check_resource_safety(
        rc::gen::just(0), [factory](probe& p, int) { return factory(p); }, options, resources);
}

} // namespace rill::testing
