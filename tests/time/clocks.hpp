// Test helpers for the time operators: the sleep schedule of a manual clock as
// text, and a clock that also logs its sleeps into an event log (to check what
// happens before and after a backoff).
#pragma once

#include "support/events.hpp"

#include <rill/testing/manual_clock.hpp>
#include <rill/time/clock.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace rill_test {

/// A duration as text: "250ms" when a whole number of milliseconds, else "123456ns".
inline std::string duration_text(std::chrono::nanoseconds d) {
    if (d.count() % 1000000 == 0) return std::to_string(d.count() / 1000000) + "ms";
    return std::to_string(d.count()) + "ns";
}

/// The sleeps recorded by `clk`, as text: "100ms 200ms" ("" for none).
inline std::string schedule(const rill::testing::manual_clock& clk) {
    std::string out;
    for (auto d : clk.sleeps()) {
        if (!out.empty()) out += ' ';
        out += duration_text(d);
    }
    return out;
}

/// A manual clock that also adds "sleep <duration>" to a log at every sleep.
class logging_clock {
public:
    using duration = rill::testing::manual_clock::duration;
    using time_point = rill::testing::manual_clock::time_point;

    logging_clock(rill::testing::manual_clock clk, std::shared_ptr<event_log> log)
        : clk_(std::move(clk)), log_(std::move(log)) {}

    time_point now() const { return clk_.now(); }
    void sleep_until(time_point t) const {
        log_->add("sleep " + duration_text(t - clk_.now()));
        clk_.sleep_until(t);
    }
    template <class Pred>
    bool wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, time_point t, Pred pred) const {
        return clk_.wait_until(lock, cv, t, std::move(pred));
    }

private:
    rill::testing::manual_clock clk_;
    std::shared_ptr<event_log> log_;
};
static_assert(rill::clock<logging_clock>);

} // namespace rill_test
