// Helpers for the async tests: running a sink on a fresh io_context, showing
// runs as strings, sources that count their pulls, async resources that log.
#pragma once

#include <rill/async.hpp>
#include <rill/rill.hpp>

#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rill_async_test {

namespace async = rill::async;
using namespace std::chrono_literals;

/// Every item of a run, collected on a fresh io_context.
template <class S>
auto items(const S& s) {
    return async::run(async::collect(s));
}

/// A run's items as text: "1 2 E:m 4" (Err items as CODE:message).
template <class T>
std::string show(const std::vector<rill::result<T>>& v) {
    std::ostringstream os;
    bool first = true;
    for (const auto& r : v) {
        if (!first) os << ' ';
        first = false;
        if (r) os << *r;
        else os << r.error().code << ':' << r.error().message;
    }
    return os.str();
}

template <class S>
std::string run_show(const S& s) {
    return show(items(s));
}

/// Ok(0) ... Ok(n-1), with an Err "E:i" at each position i where `i % err_every == err_every - 1`
/// (none when err_every is 0); `pulls` counts the items pulled from it.
inline auto counted(int n, std::shared_ptr<int> pulls, int err_every = 0) {
    return async::from(rill::iota(0, n) | rill::tap([pulls](int) { ++*pulls; }) |
                       rill::try_map([err_every](int i) -> rill::result<int> {
                           if (err_every > 0 && i % err_every == err_every - 1) return rill::err("E", std::to_string(i));
                           return i;
                       }));
}

/// Waits `d` on the current executor.
inline asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    t.expires_after(d);
    co_await t.async_wait(asio::use_awaitable);
}

/// An ordered log of events.
struct event_log {
    std::vector<std::string> events;
    void add(std::string e) { events.push_back(std::move(e)); }
    std::string str() const {
        std::string out;
        for (const auto& e : events) {
            if (!out.empty()) out += " | ";
            out += e;
        }
        return out;
    }
};

/// The exception user functions throw in tests.
struct boom : std::runtime_error {
    boom() : std::runtime_error("boom") {}
};

/// An awaitable acquire logging "open NAME" (after a short wait).
inline auto acquire_async(std::shared_ptr<event_log> l, std::string name) {
    return [l, name]() -> asio::awaitable<std::string> {
        co_await sleep_for(1ms);
        l->add("open " + name);
        co_return name;
    };
}

/// An awaitable release logging "close NAME <exit_case>" (after a short wait).
inline auto release_async(std::shared_ptr<event_log> l) {
    return [l](std::string& name, rill::exit_case how) -> asio::awaitable<void> {
        co_await sleep_for(1ms);
        std::ostringstream os;
        os << "close " << name << ' ' << how;
        l->add(os.str());
    };
}

} // namespace rill_async_test
