/// \file
/// `timeout(d)`: an Err item `"timeout"` when upstream does not produce the
/// next item within `d` of the pull.
#pragma once

#include <rill/concurrent/detail/worker.hpp>
#include <rill/detail/stage.hpp>
#include <rill/run_stop.hpp>
#include <rill/time/clock.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct timeout_stage : no_checks {
    template <class T, class D, class Clock>
    using value = T;

    template <class C, class D, class Clock>
    class cursor {
    public:
        using value_type = typename C::value_type;

        cursor(C up, typename Clock::duration d, const Clock& clock)
            : s_(std::make_unique<state>(std::move(up), d, clock)) {
            thread_ = std::jthread([s = s_.get()](std::stop_token st) {
                stop_scope scope(st); // a wait upstream wakes when the run stops
                s->serve(st);
            });
        }
        cursor(cursor&&) = default;
        ~cursor() {
            if (!s_) return;
            request_stop(thread_, s_->m, s_->helper_cv);
            if (thread_.joinable()) thread_.join();
        }

        std::optional<result<value_type>> next() {
            if (!s_ || done_) return std::nullopt;
            state& s = *s_;
            std::unique_lock lock(s.m);
            if (!s.requested) { // a pull that timed out is still pending: wait for it again
                s.requested = true;
                s.helper_cv.notify_one();
            }
            const auto deadline = s.clock.now() + s.d;
            if (!wait_until_unless_stopped(s.clock, lock, s.consumer_cv, deadline, [&] { return s.answered; })) {
                if (stop_requested()) { // the consumer's run stopped: the end for it
                    done_ = true;
                    return std::nullopt;
                }
                err_info e{"timeout", "timeout: no item within the limit"};
                e.at("timeout", index_++);
                return fail<value_type>(std::move(e));
            }
            s.answered = false;
            s.requested = false;
            auto r = std::move(s.item);
            std::exception_ptr ex = std::exchange(s.ex, nullptr);
            lock.unlock();
            if (!r) {
                done_ = true;
                thread_.join(); // upstream has been released by the helper
                if (ex) std::rethrow_exception(ex);
                return std::nullopt;
            }
            ++index_;
            return r;
        }

    private:
        struct state {
            state(C c, typename Clock::duration dd, const Clock& k) : up(std::in_place, std::move(c)), d(dd), clock(k) {}

            void serve(std::stop_token st) {
                for (;;) {
                    std::unique_lock lock(m);
                    helper_cv.wait(lock, [&] { return (requested && !answered) || st.stop_requested(); });
                    if (st.stop_requested()) break;
                    lock.unlock();
                    std::optional<result<value_type>> r;
                    std::exception_ptr e;
                    try {
                        r = up->next();
                    } catch (...) {
                        e = std::current_exception();
                    }
                    const bool end = !r;
                    if (end) up.reset(); // released before the consumer sees the end
                    lock.lock();
                    item = std::move(r);
                    ex = e;
                    answered = true;
                    lock.unlock();
                    consumer_cv.notify_one();
                    if (end) return;
                }
                up.reset();
            }

            std::optional<C> up; // touched by the helper thread only
            const typename Clock::duration d;
            const Clock clock;
            std::mutex m;
            std::condition_variable consumer_cv;
            std::condition_variable helper_cv;
            bool requested = false; // the consumer wants an item (a pull is pending or about to start)
            bool answered = false;  // the pull has returned: `item` / `ex` hold its outcome
            std::optional<result<value_type>> item;
            std::exception_ptr ex;
        };

        std::unique_ptr<state> s_;
        std::jthread thread_;
        std::size_t index_ = 0;
        bool done_ = false;
    };
};

struct timeout_fn {
    template <class S, class Rep, class Period, class Clock = real_clock>
        requires any_stream<S> && clock<Clock>
    auto operator()(S&& s, std::chrono::duration<Rep, Period> d, Clock k = {}) const {
        return stage_fn<timeout_stage>{}(std::forward<S>(s), checked(d), std::move(k));
    }
    template <class Rep, class Period, class Clock = real_clock>
        requires clock<Clock>
    auto operator()(std::chrono::duration<Rep, Period> d, Clock k = {}) const {
        return make_closure<timeout_fn>(checked(d), std::move(k));
    }

private:
    template <class Rep, class Period>
    static std::chrono::nanoseconds checked(std::chrono::duration<Rep, Period> d) {
        require(d >= d.zero(), "rill::timeout: the duration must not be negative");
        return std::chrono::duration_cast<std::chrono::nanoseconds>(d);
    }
};

} // namespace detail

/// Yields `Err{"timeout", ...}` when upstream does not produce the next item
/// within `d` (measured on `clock`, default `real_clock`) of a pull:
/// `s | rill::timeout(100ms)`. Upstream runs on a helper thread; a pull that
/// timed out stays pending and its late item is the next item (nothing is
/// dropped). Throws `std::invalid_argument` for a negative `d`.
inline constexpr detail::timeout_fn timeout{};

} // namespace rill
