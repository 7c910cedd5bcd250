/// \file
/// Resource safety: `check_resource_safety(factory)` builds a user's pipeline
/// with a `probe` (logging resources, a throw-injecting function wrapper,
/// counted items), runs it under random early stops and random exceptions, and
/// checks that every acquire is released exactly once, in reverse order, that
/// an injected exception reaches the consumer exactly once, that building the
/// pipeline runs nothing, and that no item outlives the run.
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

#include <cstddef>
#include <exception>
#include <memory>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
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
    bool acquire = true; ///< an acquire, else a release
    std::size_t id = 0;  ///< which acquisition (1-based, in order)
    std::string name;    ///< the name given to `probe::acquire`
};

namespace detail {
struct probe_state {
    std::vector<resource_event> log;
    std::size_t acquisitions = 0;
    std::size_t calls = 0;            // calls of guarded functions and acquires
    std::size_t throw_at = 0;         // the call that throws (0: none)
    std::size_t throws = 0;           // injected exceptions thrown
    std::size_t fail_acquire_at = 0;  // the acquire that returns an Err (0: none)
    long live_items = 0;              // counted items alive
    bool frozen = false;              // the checker is building: calls are a laziness failure
    std::size_t calls_while_building = 0;

    void call() {
        if (frozen) ++calls_while_building;
        ++calls;
        if (throw_at != 0 && calls == throw_at) {
            ++throws;
            throw injected_failure(calls);
        }
    }
};
} // namespace detail

/// A resource whose acquisition and release a probe logs. Moving it transfers
/// ownership (no log); it is released by `probe::release()` (logged on every
/// call, so a double release shows) or else by its destructor.
class tracked_resource {
public:
    /// Logs the acquisition.
    tracked_resource(std::shared_ptr<detail::probe_state> st, std::string name) : st_(std::move(st)), name_(std::move(name)) {
        id_ = ++st_->acquisitions;
        st_->log.push_back({true, id_, name_});
    }
    /// Takes ownership.
    tracked_resource(tracked_resource&& o) noexcept
        : st_(std::move(o.st_)), name_(std::move(o.name_)), id_(o.id_), released_(o.released_) {}
    tracked_resource& operator=(tracked_resource&&) = delete;
    /// Releases the resource unless `release()` did.
    ~tracked_resource() {
        if (st_ && !released_) st_->log.push_back({false, id_, name_});
    }
    /// Releases the resource (logged every time it is called).
    void release() noexcept {
        released_ = true;
        if (st_) st_->log.push_back({false, id_, name_});
    }
    /// The name given at acquisition.
    const std::string& name() const noexcept { return name_; }
    /// Which acquisition this is (1-based).
    std::size_t id() const noexcept { return id_; }

private:
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
/// log, functions that may throw, items that count. Copies share one log.
class probe {
public:
    /// A fresh probe (the checker makes them; tests may make their own).
    probe() : st_(std::make_shared<detail::probe_state>()) {}

    /// An `acquire` for `using_resource`: `() -> result<tracked_resource>`; it
    /// is a guarded call (it may throw) and may fail with Err("ACQUIRE", name).
    auto acquire(std::string name) const {
        return [st = st_, name = std::move(name)]() -> result<tracked_resource> {
            st->call();
            if (st->fail_acquire_at != 0 && st->acquisitions + 1 == st->fail_acquire_at) {
                ++st->acquisitions; // counts as an attempt, logs nothing: nothing to release
                return rill::err("ACQUIRE", name);
            }
            return tracked_resource(st, name);
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
            return f(std::forward<decltype(args)>(args)...);
        };
    }

    /// A counted item.
    template <class T>
    counted<std::decay_t<T>> item(T&& value) const {
        return counted<std::decay_t<T>>(std::forward<T>(value), st_);
    }

    /// The log of acquisitions and releases.
    const std::vector<resource_event>& log() const noexcept { return st_->log; }
    /// Guarded calls (and acquires) so far.
    std::size_t calls() const noexcept { return st_->calls; }
    /// Injected exceptions thrown so far.
    std::size_t throws() const noexcept { return st_->throws; }
    /// Counted items alive now.
    long live_items() const noexcept { return st_->live_items; }
    /// Makes the `n`-th guarded call throw (0: none).
    void throw_at(std::size_t n) const noexcept { st_->throw_at = n; }
    /// Makes the `n`-th acquire attempt return an Err (0: none).
    void fail_acquire_at(std::size_t n) const noexcept { st_->fail_acquire_at = n; }

    /// The log as text: "+file#1 -file#1".
    std::string log_text() const {
        std::ostringstream os;
        for (const auto& e : st_->log) os << (e.acquire ? " +" : " -") << e.name << "#" << e.id;
        return os.str();
    }

    /// Checks the log: every acquire released exactly once, in reverse order
    /// of acquisition (a stack), nothing released that was not acquired. Empty when fine.
    std::string log_problems() const {
        std::vector<std::size_t> open;
        std::vector<int> released(st_->acquisitions + 1, 0);
        std::ostringstream os;
        for (const auto& e : st_->log) {
            if (e.acquire) {
                open.push_back(e.id);
                continue;
            }
            if (e.id == 0 || e.id > st_->acquisitions) {
                os << "released " << e.name << "#" << e.id << " that was never acquired; ";
                continue;
            }
            if (++released[e.id] > 1) os << e.name << "#" << e.id << " released " << released[e.id] << " times; ";
            else if (open.empty() || open.back() != e.id)
                os << e.name << "#" << e.id << " released out of order (not the last one acquired still held); ";
            for (auto it = open.begin(); it != open.end(); ++it)
                if (*it == e.id) {
                    open.erase(it);
                    break;
                }
        }
        for (auto id : open) os << "#" << id << " never released; ";
        return os.str();
    }

    /// The state shared by copies (for advanced uses such as custom resources).
    const std::shared_ptr<detail::probe_state>& state() const noexcept { return st_; }

    /// Freezes or unfreezes the probe: guarded calls while frozen are counted as
    /// calls made while building the pipeline (a laziness failure).
    void building(bool b) const noexcept { st_->frozen = b; }
    /// Guarded calls made while `building(true)`.
    std::size_t calls_while_building() const noexcept { return st_->calls_while_building; }

private:
    std::shared_ptr<detail::probe_state> st_;
};

namespace detail {

/// One consumption of a pipeline under the checker.
struct run_plan {
    std::vector<std::size_t> takes; // stacked take(k), innermost first
    bool pull = false;              // pulled with next() (else collected)
    std::size_t stop_after = 0;     // pulled: stop after this many items (a large number: to the end)
};

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
check_result check_resource_safety(GenParam gen_param, Factory factory, const check_options& options = {}) {
    check_result r;
    r.add(check_property(
        "resource safety under early stop, exceptions and failed acquires",
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
                clean_acquires = p.state()->acquisitions;
                if (!other.empty()) RC_FAIL("a clean run (no injected failure) threw: " + other);
                const auto problems = p.log_problems();
                if (!problems.empty()) RC_FAIL("a clean run: " + problems + "\n    log:" + p.log_text());
            }

            detail::run_plan plan;
            plan.takes = *rc::gen::resize(3, rc::gen::container<std::vector<std::size_t>>(
                                                 rc::gen::inRange<std::size_t>(0, clean_items + 2)));
            plan.pull = *rc::gen::arbitrary<bool>();
            plan.stop_after = *rc::gen::weightedOneOf<std::size_t>(
                {{1, rc::gen::just(static_cast<std::size_t>(-1))}, {2, rc::gen::inRange<std::size_t>(0, clean_items + 1)}});
            const std::size_t throw_at = *rc::gen::weightedOneOf<std::size_t>(
                {{1, rc::gen::just<std::size_t>(0)}, {3, rc::gen::inRange<std::size_t>(0, clean_calls + 1)}});
            const std::size_t fail_acquire_at = *rc::gen::weightedOneOf<std::size_t>(
                {{3, rc::gen::just<std::size_t>(0)}, {1, rc::gen::inRange<std::size_t>(0, clean_acquires + 1)}});
            RC_TAG(plan.takes.empty() ? "no take" : "stacked take", throw_at ? "throws" : "no throw",
                   plan.pull ? "pulled" : "collected");
            const std::string how = detail::describe(plan, throw_at, fail_acquire_at);

            probe p;
            p.throw_at(throw_at);
            p.fail_acquire_at(fail_acquire_at);
            int caught = 0;
            std::string other;
            {
                p.building(true);
                const auto s = factory(p, param);
                p.building(false);
                if (p.calls_while_building() != 0 || !p.log().empty())
                    RC_FAIL(how + "\n    building the pipeline ran " + std::to_string(p.calls_while_building()) +
                            " guarded calls and logged" + p.log_text());
                (void)detail::consume(s, plan, caught, other);
                // The run is over (its cursor is gone) but the stream is not:
                // what the run acquired must be released by now, not by the description.
                const auto problems = p.log_problems();
                if (!problems.empty())
                    RC_FAIL(how + "\n    once the run is over: " + problems + "\n    log:" + p.log_text());
            } // the stream is gone here too
            if (!other.empty()) RC_FAIL(how + "\n    an exception other than the injected one reached the consumer: " + other);
            if (p.throws() != static_cast<std::size_t>(caught))
                RC_FAIL(how + "\n    " + std::to_string(p.throws()) + " injected exception(s) thrown, " +
                        std::to_string(caught) + " reached the consumer");
            const auto problems = p.log_problems();
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
/// reverse order; an injected exception reaches the consumer exactly once (and
/// no other exception does); building the pipeline calls nothing; no counted
/// item is alive once the run and the stream are gone.
template <class Factory>
check_result check_resource_safety(Factory factory, const check_options& options = {}) {
    return check_resource_safety(
        rc::gen::just(0), [factory](probe& p, int) { return factory(p); }, options);
}

} // namespace rill::testing
