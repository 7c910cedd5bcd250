// Test helpers for the stage tests: a stream adapter that counts upstream
// pulls, and one whose run holds a logged resource for the cursor's lifetime.
#pragma once

#include "support/events.hpp"

#include "support/items.hpp"

#include <rill/concepts.hpp>
#include <rill/detail/stream_base.hpp>
#include <rill/sink/collect.hpp>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace rill_test {

/// The three ways a run is consumed: pushed through `drain` (what `collect` and
/// the other sinks use), pulled item by item with `next()` (`open()`), or
/// stepped: drained one item at a time, the run stopped and resumed after each
/// (`detail::pull_into`, what range-for uses). Stages implement `next()` and
/// usually `drain`, so tests run each check every way.
enum class via { drain, next, step };
inline constexpr via every_way[] = {via::drain, via::next, via::step};
inline std::ostream& operator<<(std::ostream& os, via how) {
    return os << (how == via::drain ? "drain" : how == via::next ? "next" : "step");
}

/// All the items of one run, consumed `how`.
template <class S>
std::vector<rill::result<rill::value_t<S>>> collect_via(via how, S&& s) {
    if (how == via::drain) return rill::collect(std::forward<S>(s));
    std::vector<rill::result<rill::value_t<S>>> out;
    auto c = std::forward<S>(s).open();
    if (how == via::next) {
        while (auto r = c.next()) out.push_back(std::move(*r));
    } else {
        std::optional<rill::result<rill::value_t<S>>> r;
        for (rill::detail::pull_into(c, r); r; rill::detail::pull_into(c, r)) out.push_back(std::move(*r));
    }
    return out;
}

/// `show` of one run consumed `how`.
template <class S>
std::string show_via(via how, S&& s) {
    std::ostringstream os;
    bool first = true;
    for (auto& r : collect_via(how, std::forward<S>(s))) {
        if (!first) os << ' ';
        first = false;
        if (r.has_value()) os << *r;
        else os << '!' << r.error().code;
    }
    return os.str();
}

/// `show` of three runs of a replayable stream, one each way: their common text,
/// or all texts when they differ (so that a CHECK against the expected text fails).
template <class S>
std::string shown(const S& s) {
    std::string drained = show_via(via::drain, s);
    std::string pulled = show_via(via::next, s);
    std::string stepped = show_via(via::step, s);
    if (drained == pulled && pulled == stepped) return drained;
    return "drain: [" + drained + "] next: [" + pulled + "] step: [" + stepped + "]";
}

/// Wraps a stream: every call of the run's `next()` adds one to `*pulls`,
/// whatever it returns (Ok, Err or the end). Counts how hard a stage pulls.
template <class S>
class pull_counted : public rill::stream_base<pull_counted<S>> {
public:
    using value_type = rill::value_t<S>;

    pull_counted(S s, std::shared_ptr<int> pulls) : s_(std::move(s)), pulls_(std::move(pulls)) {}

    template <class C>
    class cursor {
    public:
        using value_type = typename C::value_type;
        cursor(C c, std::shared_ptr<int> pulls) : c_(std::move(c)), pulls_(std::move(pulls)) {}
        std::optional<rill::result<value_type>> next() {
            ++*pulls_;
            return c_.next();
        }

    private:
        C c_;
        std::shared_ptr<int> pulls_;
    };

    template <class Self>
    static auto start(Self&& self) {
        using C = decltype(self.s_.open());
        return cursor<C>(self.s_.open(), self.pulls_);
    }

private:
    S s_;
    std::shared_ptr<int> pulls_;
};

template <class S>
pull_counted<std::remove_cvref_t<S>> count_pulls(S&& s, std::shared_ptr<int> pulls) {
    return {std::forward<S>(s), std::move(pulls)};
}

/// Wraps a stream: its run's cursor logs "open NAME" when it is made (by
/// `open()`) and "close NAME" when it is destroyed, so the run holds a resource
/// for the whole life of its cursor, even after its last item (unlike
/// `using_resource`, which releases at the end by itself).
template <class S>
class held_stream : public rill::stream_base<held_stream<S>> {
public:
    using value_type = rill::value_t<S>;

    held_stream(S s, std::shared_ptr<event_log> log, std::string name)
        : s_(std::move(s)), log_(std::move(log)), name_(std::move(name)) {}

    template <class C>
    class cursor {
    public:
        using value_type = typename C::value_type;
        cursor(C c, std::shared_ptr<event_log> log, std::string name) : c_(std::move(c)), res_(std::move(log), std::move(name)) {}
        std::optional<rill::result<value_type>> next() { return c_.next(); }

    private:
        C c_;
        logged_resource res_;
    };

    template <class Self>
    static auto start(Self&& self) {
        using C = decltype(self.s_.open());
        return cursor<C>(self.s_.open(), self.log_, self.name_);
    }

private:
    S s_;
    std::shared_ptr<event_log> log_;
    std::string name_;
};

template <class S>
held_stream<std::remove_cvref_t<S>> held(S&& s, std::shared_ptr<event_log> log, std::string name) {
    return {std::forward<S>(s), std::move(log), std::move(name)};
}

/// A fresh shared counter / log.
inline std::shared_ptr<int> counter() { return std::make_shared<int>(0); }
inline std::shared_ptr<event_log> new_log() { return std::make_shared<event_log>(); }

/// `log->events` as one string, "open a | close a completed", for short checks.
inline std::string events_of(const std::shared_ptr<event_log>& log) {
    std::string out;
    for (const auto& e : log->events) {
        if (!out.empty()) out += " | ";
        out += e;
    }
    return out;
}

/// An error as `operator<<` prints it, provenance included: "E1: error 1 [at from #0]".
inline std::string text(const rill::err_info& e) {
    std::ostringstream os;
    os << e;
    return os.str();
}

/// The stream `s` inside a logged resource NAME: "open NAME" at the first pull,
/// "close NAME <exit_case>" when released.
template <class S>
auto resource_over(std::shared_ptr<event_log> log, std::string name, S s) {
    return rill::using_resource(acquire_logged(log, name), release_logged(log),
                                [s](logging_handle&) { return s; });
}

} // namespace rill_test
