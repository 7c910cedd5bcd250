/// \file
/// Virtual time for async pipelines in tests: `async::testing::virtual_clock`,
/// its asio timer `virtual_timer`, and the drivers `run_virtual(ctx, a)` and
/// `run_virtual_for(ctx, d)`. Timeouts, retries, backoff and throttles run
/// instantly and deterministically: the clock stands still while there is
/// work to do and jumps to the next timer's deadline when the loop is idle.
///
///     namespace vt = rill::async::testing;
///     vt::virtual_clock clk;
///     auto v = vt::run_virtual(async::collect(s | async::timeout(1s, clk)));
///     CHECK(vt::virtual_clock::elapsed() == 3s); // virtual, instant
///
/// Needs asio (the CMake target `rill::async`); `<rill/testing.hpp>`, the
/// sync testing kit, does not include it. See docs/13-async.md, "Time on the loop".
///
/// How it works: asio asks a timer's wait traits how long its reactor may
/// sleep; `virtual_wait_traits` answers 0, so each `poll()` of the io_context
/// fires exactly the timers whose virtual deadline has come. asio does not
/// tell which deadline comes next, so `virtual_timer` records its deadline in
/// the thread's timeline whenever it is set (and forgets it when it is
/// cancelled or destroyed): that is where the drivers jump to.
///
/// The timeline is per thread: run the io_context of virtual timers on the
/// thread that drives it (the drivers do). Set a `virtual_timer`'s deadline
/// through `virtual_timer` itself, not through a reference to its asio base
/// class, or the drivers do not see it.
#pragma once

#include <rill/async/core.hpp>
#include <rill/async/run.hpp>
#include <rill/async/time/sleep.hpp>

#include <asio/basic_waitable_timer.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <ratio>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace rill::async::testing {

class virtual_timer;

/// A clock whose time moves only when a driver (or a test) moves it: virtual
/// time for rill's async time operators (`s | async::timeout(1s, virtual_clock{})`).
/// All its members are static: an asio clock has a static `now()`, so the
/// time line belongs to the thread (a value of the type is only a tag).
struct virtual_clock {
    /// The clock's duration type.
    using duration = std::chrono::nanoseconds;
    /// For asio and `std::chrono`.
    using rep = duration::rep;
    /// For asio and `std::chrono`.
    using period = duration::period;
    /// The clock's time point type; time starts at `time_point{}`.
    using time_point = std::chrono::time_point<virtual_clock, duration>;
    /// Time never goes back.
    static constexpr bool is_steady = true;
    /// The timer rill's async operators wait with on this clock.
    using asio_timer = virtual_timer;

    /// The current virtual time of the calling thread.
    static time_point now() noexcept;
    /// Virtual time since the time line started (`run_virtual` starts it at 0).
    static duration elapsed() noexcept { return now().time_since_epoch(); }
    /// Moves time forward by `d` (a negative `d` does nothing). It fires
    /// nothing by itself: the next `poll()` of the io_context does.
    static void advance(duration d) noexcept;
    /// Moves time to `t` if `t` is later than now (see `advance`).
    static void advance_to(time_point t) noexcept;
    /// The earliest deadline after now of a `virtual_timer` of this thread, if any.
    static std::optional<time_point> next_deadline();
    /// How many `virtual_timer`s of this thread have a deadline after now.
    static std::size_t armed_timers();
    /// Starts the time line again at 0. Throws `std::logic_error` when a
    /// `virtual_timer` still has a deadline after now (a run left it behind).
    static void reset();
};

/// The wait traits of `virtual_timer`: asio's reactor never sleeps for a
/// virtual deadline, so `poll()` fires a timer as soon as virtual time reaches it.
struct virtual_wait_traits {
    /// Always zero.
    static virtual_clock::duration to_wait_duration(const virtual_clock::duration&) noexcept { return {}; }
    /// Always zero.
    static virtual_clock::duration to_wait_duration(const virtual_clock::time_point&) noexcept { return {}; }
};

namespace detail {

struct virtual_timeline {
    std::chrono::nanoseconds now{};
    std::map<std::uint64_t, std::chrono::nanoseconds> deadlines{}; // by timer id
    std::uint64_t next_id = 1;
};

inline virtual_timeline& timeline() noexcept {
    thread_local virtual_timeline t;
    return t;
}

} // namespace detail

/// An asio timer on `virtual_clock` (use it as `asio::steady_timer`): its
/// deadlines are recorded in the thread's time line, so the drivers know
/// where to jump. Movable, not move-assignable.
class virtual_timer : public asio::basic_waitable_timer<virtual_clock, virtual_wait_traits> {
    using base = asio::basic_waitable_timer<virtual_clock, virtual_wait_traits>;

public:
    /// A timer with no deadline, on `ex`.
    explicit virtual_timer(const executor_type& ex) : base(ex) {}
    /// A timer with no deadline, on `ctx`.
    explicit virtual_timer(asio::io_context& ctx) : base(ctx.get_executor()) {}
    /// A timer expiring at `t`.
    virtual_timer(const executor_type& ex, const time_point& t) : base(ex) { expires_at(t); }
    /// A timer expiring `d` from now.
    virtual_timer(const executor_type& ex, const duration& d) : base(ex) { expires_after(d); }
    /// Takes over `o`'s deadline and pending waits.
    virtual_timer(virtual_timer&& o) noexcept : base(std::move(o)), id_(std::exchange(o.id_, 0)) {}
    virtual_timer& operator=(virtual_timer&&) = delete;
    /// Forgets the deadline (and cancels pending waits, as any asio timer).
    ~virtual_timer() { forget(); }

    /// Sets the deadline to `t` (cancelling pending waits, as asio does) and records it.
    std::size_t expires_at(const time_point& t) {
        const std::size_t n = base::expires_at(t);
        record();
        return n;
    }
    /// Sets the deadline to `d` from now and records it.
    std::size_t expires_after(const duration& d) {
        const std::size_t n = base::expires_after(d);
        record();
        return n;
    }
    /// Cancels the pending waits and forgets the deadline.
    std::size_t cancel() {
        forget();
        return base::cancel();
    }

private:
    void record() {
        auto& tl = detail::timeline();
        if (id_ == 0) id_ = tl.next_id++;
        tl.deadlines[id_] = expiry().time_since_epoch();
    }
    void forget() noexcept {
        if (id_ != 0) detail::timeline().deadlines.erase(id_);
        id_ = 0;
    }

    std::uint64_t id_ = 0;
};

inline virtual_clock::time_point virtual_clock::now() noexcept { return time_point(detail::timeline().now); }

inline void virtual_clock::advance(duration d) noexcept {
    if (d > duration::zero()) detail::timeline().now += d;
}

inline void virtual_clock::advance_to(time_point t) noexcept {
    auto& tl = detail::timeline();
    if (t.time_since_epoch() > tl.now) tl.now = t.time_since_epoch();
}

inline std::optional<virtual_clock::time_point> virtual_clock::next_deadline() {
    const auto& tl = detail::timeline();
    std::optional<time_point> next;
    for (const auto& [id, t] : tl.deadlines)
        if (t > tl.now && (!next || t < next->time_since_epoch())) next = time_point(t);
    return next;
}

inline std::size_t virtual_clock::armed_timers() {
    const auto& tl = detail::timeline();
    std::size_t n = 0;
    for (const auto& [id, t] : tl.deadlines)
        if (t > tl.now) ++n;
    return n;
}

inline void virtual_clock::reset() {
    if (armed_timers() > 0)
        throw std::logic_error("rill::async::testing::virtual_clock::reset: a virtual_timer still has a deadline "
                               "ahead (a run left it armed)");
    auto& tl = detail::timeline();
    tl.deadlines.clear();
    tl.now = {};
}

namespace detail {

inline void poll(asio::io_context& ctx) {
    ctx.restart();
    ctx.poll();
}

} // namespace detail

/// Runs `a` on `ctx` in virtual time and returns its value (or rethrows its
/// exception), like `async::run`: starts the thread's time line at 0
/// (`virtual_clock::reset()`), runs every handler that is ready, and whenever
/// none is, moves virtual time to the next `virtual_timer` deadline. So
/// `virtual_clock::elapsed()` is, afterwards, the virtual time the run took.
///
/// Throws `std::logic_error` when `a` waits while no handler is ready and no
/// virtual timer is armed (it waits for real time, another thread, or
/// nothing: a deadlock in virtual time). `ctx` must not be run again then.
template <class T>
T run_virtual(asio::io_context& ctx, asio::awaitable<T> a) {
    using slot = std::conditional_t<std::is_void_v<T>, bool, T>;
    struct state {
        std::optional<slot> out{};
        std::exception_ptr error{};
        bool done = false;
    };
    virtual_clock::reset();
    auto st = std::make_shared<state>();
    asio::co_spawn(ctx, rill::async::detail::run_into(std::move(a), st->out), [st](std::exception_ptr e) {
        st->error = e;
        st->done = true;
    });
    for (;;) {
        detail::poll(ctx);
        if (st->done) break;
        const auto next = virtual_clock::next_deadline();
        if (!next)
            throw std::logic_error("rill::async::testing::run_virtual: the awaitable waits, but no handler is ready "
                                   "and no virtual_timer is armed (a deadlock in virtual time, or a wait on real "
                                   "time or another thread)");
        virtual_clock::advance_to(*next);
    }
    detail::poll(ctx); // what the run left behind, at the same instant
    if (st->error) std::rethrow_exception(st->error);
    if constexpr (!std::is_void_v<T>) return std::move(*st->out);
}

/// `run_virtual` on a private io_context, made and destroyed for this call.
template <class T>
T run_virtual(asio::awaitable<T> a) {
    asio::io_context ctx;
    return run_virtual(ctx, std::move(a));
}

/// Runs `ctx` for `d` of virtual time, stepping: runs what is ready, moves
/// time to each `virtual_timer` deadline up to `now() + d` in turn, running
/// what each one makes ready, and ends with time at exactly `now() + d`. For
/// tests that spawn their own coroutines and look at the state in between.
inline void run_virtual_for(asio::io_context& ctx, virtual_clock::duration d) {
    const auto until = virtual_clock::now() + std::max(d, virtual_clock::duration::zero());
    detail::poll(ctx);
    for (auto next = virtual_clock::next_deadline(); next && *next <= until; next = virtual_clock::next_deadline()) {
        virtual_clock::advance_to(*next);
        detail::poll(ctx);
    }
    virtual_clock::advance_to(until);
    detail::poll(ctx);
}

} // namespace rill::async::testing
