// Test helpers: an event log, resources that record their open/close, and
// functions that count their calls or throw on the k-th one.
#pragma once

#include <rill/result.hpp>
#include <rill/stage/using_resource.hpp>

#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rill_test {

/// An ordered log of what happened during a run ("open a", "close a completed").
struct event_log {
    std::vector<std::string> events;
    void add(std::string e) { events.push_back(std::move(e)); }
};

/// A resource that logs "open NAME" when made and "close NAME" when destroyed
/// (moves do not log). Use with the two-argument using_resource.
class logged_resource {
public:
    logged_resource(std::shared_ptr<event_log> log, std::string name) : log_(std::move(log)), name_(std::move(name)) {
        log_->add("open " + name_);
    }
    logged_resource(logged_resource&& o) noexcept : log_(std::move(o.log_)), name_(std::move(o.name_)) {}
    logged_resource& operator=(logged_resource&&) = delete;
    ~logged_resource() {
        if (log_) log_->add("close " + name_);
    }
    const std::string& name() const { return name_; }

private:
    std::shared_ptr<event_log> log_;
    std::string name_;
};

/// `acquire` and `release(R&, exit_case)` for the three-argument using_resource,
/// logging "open NAME" and "close NAME <exit_case>".
struct logging_handle {
    std::string name;
};
inline auto acquire_logged(std::shared_ptr<event_log> log, std::string name) {
    return [log, name] {
        log->add("open " + name);
        return logging_handle{name};
    };
}
inline auto release_logged(std::shared_ptr<event_log> log) {
    return [log](logging_handle& h, rill::exit_case how) {
        std::ostringstream os;
        os << "close " << h.name << " " << how;
        log->add(os.str());
    };
}

/// The exception user functions throw in tests.
struct boom : std::runtime_error {
    boom() : std::runtime_error("boom") {}
};

/// Wraps `f`: counts calls in `*calls`, and throws `boom` on call number
/// `throw_at` (1-based; 0 never throws).
template <class F>
auto counted(F f, std::shared_ptr<int> calls, int throw_at = 0) {
    return [f, calls, throw_at](auto&&... args) -> decltype(auto) {
        ++*calls;
        if (throw_at != 0 && *calls == throw_at) throw boom{};
        return f(std::forward<decltype(args)>(args)...);
    };
}

} // namespace rill_test
