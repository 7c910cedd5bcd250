/// \file
/// Resource safety of async pipelines: `check_resource_safety(factory)` builds
/// a user's async pipeline with the sync kit's `probe` (logging resources,
/// throw-injecting `guard`, counted items) and this header's awaitable
/// `acquire_async` / `release_async`, then runs it on an `io_context` under
/// random early stops (stacked `async::take(k)`, `try_collect` stopping at the
/// first Err, consumers that stop pulling and close), random exceptions (the
/// k-th guarded call throws), failed acquires, and **cancellation** of the
/// consuming coroutine after a random number of event-loop steps (an
/// `asio::cancellation_signal` bound to it). It checks that every acquire is
/// released exactly once, in reverse order, by the time the consumer resumes;
/// that an injected exception reaches the consumer exactly once; that building
/// the pipeline runs nothing; that no guarded call, release or handler of the
/// run is left once it is over; and that `async::unclosed_releases()` does not
/// move (rill's sinks always close their runs).
///
///     namespace at = rill::async::testing;
///     auto r = at::check_resource_safety([](at::probe& p) {
///         return rill::async::using_resource(at::acquire_async(p, "conn"), at::release_async(),
///                    [p](at::tracked_resource&) { return rill::async::iota(0, 5); })
///              | rill::async::map(at::awaited(p.guard([](int x) { return x * 2; })));
///     });
#pragma once

#include <rill/async/testing/erased.hpp>
#include <rill/async/testing/functions.hpp>

#include <rill/async/core.hpp>
#include <rill/async/sink/collect.hpp>
#include <rill/async/sink/count.hpp>
#include <rill/async/sink/try_collect.hpp>
#include <rill/async/stage/take.hpp>
#include <rill/testing/check.hpp>
#include <rill/testing/resources.hpp>

#include <asio/error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/experimental/channel_error.hpp>

#include <rapidcheck.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace rill::async::testing {

using ::rill::testing::check_options;
using ::rill::testing::check_property;
using ::rill::testing::check_result;
using ::rill::testing::injected_failure;
using ::rill::testing::probe;
using ::rill::testing::resource_event;
using ::rill::testing::tracked_resource;

/// An awaitable `acquire` for `async::using_resource`: waits on the event loop
/// (on a timer that is already due: a cancellation aborts it), then does what
/// `probe::acquire(name)` does: a guarded call (it may throw) and an acquire
/// the probe logs (or an Err("ACQUIRE", name) when the probe says it fails).
class async_acquire {
public:
    /// Acquires from `p`'s log under `name`.
    async_acquire(probe p, std::string name) : p_(std::move(p)), name_(std::move(name)) {}

    /// The acquisition, as a coroutine that owns copies of the probe and the name.
    asio::awaitable<result<tracked_resource>> operator()() const { return run(p_, name_); }

private:
    static asio::awaitable<result<tracked_resource>> run(probe p, std::string name) {
        {
            // A timer: an operation a cancellation aborts, as a real connect would be.
            asio::steady_timer due(co_await asio::this_coro::executor);
            due.expires_after(std::chrono::nanoseconds(0));
            co_await due.async_wait(asio::use_awaitable);
        }
        auto acquire = p.acquire(std::move(name));
        result<tracked_resource> r = acquire();
        co_return r;
    }

    probe p_;
    std::string name_;
};

/// `async_acquire(p, name)`: an awaitable acquire logged by `p`.
inline async_acquire acquire_async(const probe& p, std::string name) { return async_acquire(p, std::move(name)); }

/// An awaitable `release(tracked_resource&, exit_case)` for `async::using_resource`:
/// waits on the event loop (`zero_wait()`, a post: no cancellation aborts it),
/// then releases (logged on every call, so a double release shows).
struct async_release {
    /// The release, as a coroutine; `r` stays where `using_resource` keeps it until it is done.
    asio::awaitable<void> operator()(tracked_resource& r, exit_case how) const { return run(r, how); }

private:
    static asio::awaitable<void> run(tracked_resource& r, exit_case) {
        co_await zero_wait();
        r.release();
    }
};

/// `async_release{}`.
inline async_release release_async() { return {}; }

/// What `check_resource_safety` does to the runs of a pipeline, beyond early
/// stops and exceptions.
struct resource_options {
    /// false (the default): the pipeline runs in step with its consumer, and
    /// an injected exception must reach the consumer exactly once. true: it may
    /// call guarded functions ahead of the consumer (`async::par_map`), and an
    /// exception from work the consumer never reaches may be dropped.
    bool look_ahead = false;
    /// Cancel the consuming coroutine in some runs, after a random number of
    /// event-loop steps (a `terminal` emit of the signal bound to it).
    bool cancellation = true;
    /// A run that takes longer than this between two event-loop steps has hung: it fails the check.
    std::chrono::milliseconds hang_after{10000};
};

namespace detail {

/// How a run is consumed.
enum class consumer { collect, try_collect, count, pulled };

/// One consumption of a pipeline under the checker.
struct run_plan {
    std::vector<std::size_t> takes{}; // stacked async::take(k), innermost first
    consumer sink = consumer::collect;
    std::size_t stop_after = 0;       // pulled: close after this many items
    std::size_t cancel_at = 0;        // cancel the consumer before event-loop step k (0: never)
};

inline const char* consumer_name(consumer c) {
    switch (c) {
    case consumer::collect: return "async::collect";
    case consumer::try_collect: return "async::try_collect";
    case consumer::count: return "async::count";
    case consumer::pulled: return "pulled with next()";
    }
    return "?";
}

inline std::string describe(const run_plan& p, std::size_t throw_at, std::size_t fail_acquire_at) {
    std::ostringstream os;
    os << "consumer: s";
    for (auto k : p.takes) os << " | take(" << k << ")";
    os << ", " << consumer_name(p.sink);
    if (p.sink == consumer::pulled) os << ", closing after " << p.stop_after << " items";
    if (p.cancel_at != 0) os << "; cancelled before event-loop step " << p.cancel_at;
    os << "; throw at guarded call " << throw_at << (throw_at == 0 ? " (none)" : "") << "; acquire #" << fail_acquire_at
       << (fail_acquire_at == 0 ? " (none)" : "") << " fails";
    return os.str();
}

/// Consumes a run of `s` as `plan` says; gives the number of items seen.
template <class T>
asio::awaitable<std::size_t> consume(erased_stream<T> s, run_plan plan) {
    for (auto k : plan.takes) {
        erased_stream<T> t = async::take(s, k);
        s = std::move(t);
    }
    switch (plan.sink) {
    case consumer::collect: {
        auto v = co_await async::collect(s);
        co_return v.size();
    }
    case consumer::try_collect: {
        auto v = co_await async::try_collect(s);
        co_return v ? v->size() : std::size_t{0};
    }
    case consumer::count: {
        const std::size_t n = co_await async::count(s);
        co_return n;
    }
    case consumer::pulled: break;
    }
    auto c = s.open();
    std::size_t n = 0;
    std::exception_ptr ep;
    bool ended = false;
    try {
        while (n < plan.stop_after) {
            auto r = co_await c.next();
            if (!r) {
                ended = true;
                break;
            }
            ++n;
        }
    } catch (...) {
        ep = std::current_exception();
    }
    RILL_ASYNC_SHIELDED(co_await async::detail::close_with(c, async::detail::how_ended(ep != nullptr, ended)));
    if (ep) std::rethrow_exception(ep);
    co_return n;
}

/// What a run under the checker did, and what was seen when it was over.
struct run_outcome {
    bool done = false;            // the consumer finished (returned or threw)
    bool cancel_emitted = false;  // the cancellation signal was emitted
    std::exception_ptr error{};   // what the consumer threw
    std::size_t items = 0;        // items the consumer saw
    std::size_t steps = 0;        // event-loop steps until the consumer finished
    // When the consumer finished:
    std::string problems_at_end{};
    std::string log_at_end{};
    std::size_t calls_at_end = 0;
    std::size_t running_at_end = 0;
    std::size_t unclosed_at_end = 0; // releases left to the executor by the run
    // Once the io_context had run what was left:
    std::size_t calls_after = 0;
    std::size_t unclosed_after = 0;
};

/// Runs `s` per `plan` on an io_context of its own, one handler at a time,
/// emitting the cancellation at the planned step; the io_context is destroyed
/// before this returns (and before the signal it refers to).
template <class T>
run_outcome run_under_plan(const erased_stream<T>& s, const run_plan& plan, const probe& p,
                           ::rill::testing::release_order order,
                           std::chrono::milliseconds hang_after) {
    asio::cancellation_signal sig; // outlives the io_context and the coroutine bound to it
    run_outcome out;
    const std::size_t unclosed_before = async::unclosed_releases();
    {
        asio::io_context ctx;
        asio::co_spawn(ctx, consume<T>(s, plan),
                       asio::bind_cancellation_slot(sig.slot(), [&out](std::exception_ptr e, std::size_t n) {
                           out.done = true;
                           out.error = e;
                           out.items = n;
                       }));
        while (!out.done) {
            if (plan.cancel_at != 0 && !out.cancel_emitted && out.steps + 1 >= plan.cancel_at) {
                out.cancel_emitted = true;
                sig.emit(asio::cancellation_type::terminal);
            }
            if (ctx.run_one_for(hang_after) == 0) break;
            ++out.steps;
        }
        if (out.done) {
            out.problems_at_end = p.log_problems(order);
            out.log_at_end = p.log_text();
            out.calls_at_end = p.calls();
            out.running_at_end = p.running_calls();
            out.unclosed_at_end = async::unclosed_releases() - unclosed_before;
            ctx.poll(); // what the run left behind (a closed generator's last steps) may finish
            out.calls_after = p.calls();
            out.unclosed_after = async::unclosed_releases() - unclosed_before;
        }
    }
    return out;
}

/// True for the errors a cancelled asio operation completes with.
inline bool is_cancellation(const std::error_code& ec) {
    return ec == asio::error::operation_aborted ||
           ec == asio::experimental::error::make_error_code(asio::experimental::error::channel_cancelled);
}

} // namespace detail

/// Checks the resource safety of the async pipelines `factory(probe&, param)`
/// builds (any async rill stream of `T`) for parameters drawn from
/// `gen_param` (e.g. an async stream shape to put inside a resource): see the
/// one-argument form.
template <class GenParam, class Factory>
check_result check_resource_safety(GenParam gen_param, Factory factory, const check_options& options = {},
                                   const resource_options& resources = {}) {
    using ::rill::testing::release_order;
    const release_order order = resources.look_ahead ? release_order::per_thread : release_order::global;
    check_result r;
    r.add(check_property(
        resources.cancellation
            ? "async resource safety under early stop, exceptions, failed acquires and cancellation"
            : "async resource safety under early stop, exceptions and failed acquires",
        [=] {
            const auto param = *gen_param;
            using S = std::remove_cvref_t<decltype(factory(std::declval<probe&>(), param))>;
            using T = value_t<S>;

            // A clean run first: how many calls, acquires, items and event-loop steps there are to choose from.
            std::size_t clean_calls = 0, clean_items = 0, clean_acquires = 0, clean_steps = 0;
            {
                probe p;
                const erased_stream<T> s = factory(p, param);
                const auto clean = detail::run_under_plan(s, detail::run_plan{}, p, order, resources.hang_after);
                if (!clean.done) RC_FAIL("a clean run (no injected failure) never finished\n    log:" + p.log_text());
                if (clean.error) {
                    try {
                        std::rethrow_exception(clean.error);
                    } catch (const std::exception& e) {
                        RC_FAIL(std::string("a clean run (no injected failure) threw: ") + e.what());
                    } catch (...) {
                        RC_FAIL("a clean run (no injected failure) threw an unknown exception");
                    }
                }
                if (!clean.problems_at_end.empty()) {
                    const std::string what = "a clean run: " + clean.problems_at_end + "\n    log:" + clean.log_at_end;
                    RC_FAIL(what);
                }
                clean_calls = p.calls();
                clean_items = clean.items;
                clean_acquires = p.acquisitions();
                clean_steps = clean.steps;
            }

            // Positions at full size (RapidCheck scales inRange with the size);
            // shrinking still goes towards 0.
            auto any = [](std::size_t n) { return rc::gen::resize(100, rc::gen::inRange<std::size_t>(0, n)); };
            detail::run_plan plan;
            plan.takes = *rc::gen::resize(3, rc::gen::container<std::vector<std::size_t>>(any(clean_items + 2)));
            plan.sink = static_cast<detail::consumer>(*rc::gen::resize(100, rc::gen::inRange(0, 4)));
            plan.stop_after = *rc::gen::weightedOneOf<std::size_t>(
                {{1, rc::gen::just(static_cast<std::size_t>(-1))}, {2, any(clean_items + 1)}});
            if (resources.cancellation)
                plan.cancel_at = *rc::gen::weightedOneOf<std::size_t>(
                    {{1, rc::gen::just<std::size_t>(0)},
                     {2, rc::gen::map(any(clean_steps + 1), [](std::size_t k) { return k + 1; })}});
            const std::size_t throw_at = *rc::gen::weightedOneOf<std::size_t>(
                {{1, rc::gen::just<std::size_t>(0)}, {3, any(clean_calls + 1)}});
            const std::size_t fail_acquire_at = *rc::gen::weightedOneOf<std::size_t>(
                {{3, rc::gen::just<std::size_t>(0)}, {1, any(clean_acquires + 1)}});
            RC_TAG(plan.takes.empty() ? "no take" : "stacked take", throw_at ? "throws" : "no throw",
                   detail::consumer_name(plan.sink), plan.cancel_at ? "cancelled" : "not cancelled");
            const std::string how = detail::describe(plan, throw_at, fail_acquire_at);

            probe p;
            p.throw_at(throw_at);
            p.fail_acquire_at(fail_acquire_at);
            detail::run_outcome out;
            {
                p.building(true);
                const erased_stream<T> s = factory(p, param);
                p.building(false);
                if (p.calls_while_building() != 0 || !p.log().empty())
                    RC_FAIL(how + "\n    building the pipeline ran " + std::to_string(p.calls_while_building()) +
                            " guarded calls and logged" + p.log_text());
                out = detail::run_under_plan(s, plan, p, order, resources.hang_after);
            } // the stream is gone here too
            if (!out.done)
                RC_FAIL(how + "\n    the run never finished (no event-loop step for " +
                        std::to_string(resources.hang_after.count()) + " ms, or nothing left to run)\n    log:" +
                        p.log_text());
            // What the consumer saw.
            std::size_t caught = 0;
            std::string other;
            if (out.error) {
                try {
                    std::rethrow_exception(out.error);
                } catch (const injected_failure&) {
                    ++caught;
                } catch (const std::system_error& e) {
                    if (!out.cancel_emitted || !detail::is_cancellation(e.code())) other = e.what();
                } catch (const std::exception& e) {
                    other = e.what();
                } catch (...) {
                    other = "an unknown exception";
                }
            }
            if (!other.empty())
                RC_FAIL(how + "\n    an exception other than the injected one (or the cancellation) reached the consumer: " +
                        other);
            // Released by the time the consumer resumed.
            if (!out.problems_at_end.empty())
                RC_FAIL(how + "\n    when the consumer resumed: " + out.problems_at_end + "\n    log:" + out.log_at_end);
            if (out.running_at_end != 0)
                RC_FAIL(how + "\n    " + std::to_string(out.running_at_end) +
                        " guarded call(s) still under way when the consumer resumed");
            if (out.unclosed_at_end != 0 || out.unclosed_after != 0)
                RC_FAIL(how + "\n    " + std::to_string(std::max(out.unclosed_at_end, out.unclosed_after)) +
                        " release(s) left to the executor (async::unclosed_releases(): a cursor destroyed without close())");
            if (out.calls_after != out.calls_at_end || p.calls() != out.calls_at_end)
                RC_FAIL(how + "\n    " + std::to_string(p.calls() - out.calls_at_end) +
                        " guarded call(s) made after the consumer resumed");
            const std::size_t thrown = p.throws();
            const bool strict = !resources.look_ahead && !out.cancel_emitted;
            if (strict && thrown != caught)
                RC_FAIL(how + "\n    " + std::to_string(thrown) + " injected exception(s) thrown, " +
                        std::to_string(caught) + " reached the consumer");
            if (!strict && caught > thrown)
                RC_FAIL(how + "\n    " + std::to_string(thrown) + " injected exception(s) thrown, " +
                        std::to_string(caught) + " reached the consumer");
            const auto problems = p.log_problems(order);
            if (!problems.empty()) RC_FAIL(how + "\n    once the stream is gone: " + problems + "\n    log:" + p.log_text());
            if (p.live_items() != 0)
                RC_FAIL(how + "\n    " + std::to_string(p.live_items()) + " counted item(s) still alive after the run");
        },
        options));
    return r;
}

/// Checks the resource safety of the async pipeline `factory(probe&)` builds:
/// under random early stops (stacked `async::take(k)`, `try_collect`,
/// consumers that stop pulling and close), random exceptions (the k-th
/// guarded call throws), failed acquires and cancellation of the consuming
/// coroutine at a random event-loop step, every acquire is released exactly
/// once, in reverse order, by the time the consumer resumes; an injected
/// exception reaches the consumer exactly once (unless the run was cancelled
/// first); nothing else reaches it but the cancellation; building the pipeline
/// calls nothing; no guarded call is made once the run is over; no release is
/// left to the executor; no counted item outlives the run.
template <class Factory>
check_result check_resource_safety(Factory factory, const check_options& options = {},
                                   const resource_options& resources = {}) {
    return testing::check_resource_safety(
        rc::gen::just(0), [factory](probe& p, int) { return factory(p); }, options, resources);
}

} // namespace rill::async::testing
