/// \file
/// `rill::redis::connection`: one hiredis connection (RAII), commands as
/// argument vectors, pipelining, and reconnection by a `retry_policy`. The
/// only header of rill that includes hiredis.
#pragma once

#include <rill/redis/config.hpp>
#include <rill/result.hpp>
#include <rill/run_stop.hpp>
#include <rill/time/clock.hpp>

#include <hiredis/hiredis.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <sys/time.h>
#include <utility>
#include <vector>

namespace rill::redis {

/// The connection to the server is lost or could not be made (I/O error, EOF, timeout).
class connection_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The server answered a command with an error reply (`-ERR ...`, `-WRONGTYPE ...`).
class server_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Frees a hiredis reply.
struct reply_deleter {
    /// `freeReplyObject(r)`.
    void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};

/// A reply owned by the caller.
using reply = std::unique_ptr<redisReply, reply_deleter>;

/// The text of a string, status or error reply.
inline std::string reply_text(const redisReply* r) { return r && r->str ? std::string(r->str, r->len) : std::string(); }

/// One connection to a Redis server. Commands are argument vectors (binary
/// safe, never formatted). Throws `connection_error` when the connection is
/// lost (the object is then broken until `reconnect()`), and `server_error` for
/// an error reply of `command`.
class connection {
public:
    /// Connects to `ep`; throws `connection_error` when it cannot.
    explicit connection(endpoint ep) : ep_(std::move(ep)) { connect(); }

    /// The endpoint this connection goes to.
    const endpoint& where() const noexcept { return ep_; }
    /// False after an I/O error, until `reconnect()` succeeds.
    bool usable() const noexcept { return ctx_ != nullptr; }

    /// Sends one command and waits for its reply; an error reply throws `server_error`.
    reply command(const std::vector<std::string>& args) {
        append(args);
        reply r = get_reply();
        if (r->type == REDIS_REPLY_ERROR) throw server_error(reply_text(r.get()));
        return r;
    }
    /// The same, for a list of string views.
    reply command(std::initializer_list<std::string_view> args) { return command(std::vector<std::string>(args.begin(), args.end())); }

    /// Queues a command without waiting (pipelining): read its reply with `get_reply()`.
    void append(const std::vector<std::string>& args) {
        ensure();
        argv_.clear();
        lens_.clear();
        for (const auto& a : args) {
            argv_.push_back(a.data());
            lens_.push_back(a.size());
        }
        if (redisAppendCommandArgv(ctx_.get(), static_cast<int>(args.size()), argv_.data(), lens_.data()) != REDIS_OK)
            fail("append");
    }

    /// The reply to the oldest queued command (sends the queue first); error
    /// replies are returned, not thrown, except `LOADING` (a restarted server
    /// still reading its data): that one drops the connection and throws
    /// `connection_error`, so that the reconnect policy waits for the server.
    reply get_reply() {
        ensure();
        void* out = nullptr;
        if (redisGetReply(ctx_.get(), &out) != REDIS_OK || out == nullptr) fail("read");
        reply r(static_cast<redisReply*>(out));
        if (r->type == REDIS_REPLY_ERROR && reply_text(r.get()).rfind("LOADING", 0) == 0) {
            ctx_.reset();
            throw connection_error("rill::redis: " + ep_.host + ":" + std::to_string(ep_.port) + " is loading its data");
        }
        return r;
    }

    /// Drops the connection (if any) and connects again; throws `connection_error` when it cannot.
    void reconnect() {
        ctx_.reset();
        connect();
    }

private:
    struct free_context {
        void operator()(redisContext* c) const noexcept { redisFree(c); }
    };

    static timeval to_timeval(std::chrono::milliseconds d) {
        timeval tv{};
        tv.tv_sec = static_cast<decltype(tv.tv_sec)>(d.count() / 1000);
        tv.tv_usec = static_cast<decltype(tv.tv_usec)>((d.count() % 1000) * 1000);
        return tv;
    }

    void connect() {
        const timeval tv = to_timeval(ep_.timeout);
        std::unique_ptr<redisContext, free_context> c(redisConnectWithTimeout(ep_.host.c_str(), ep_.port, tv));
        if (!c) throw connection_error("rill::redis: cannot allocate a connection context");
        if (c->err)
            throw connection_error("rill::redis: cannot connect to " + ep_.host + ":" + std::to_string(ep_.port) + ": " +
                                   c->errstr);
        if (redisSetTimeout(c.get(), tv) != REDIS_OK)
            throw connection_error("rill::redis: cannot set the socket timeout: " + std::string(c->errstr));
        ctx_ = std::move(c);
    }

    void ensure() const {
        if (!ctx_) throw connection_error("rill::redis: the connection to " + ep_.host + ":" + std::to_string(ep_.port) +
                                          " is broken (reconnect first)");
    }

    [[noreturn]] void fail(const char* what) {
        std::string msg = "rill::redis: " + std::string(what) + " on " + ep_.host + ":" + std::to_string(ep_.port) +
                          " failed: " + (ctx_->errstr[0] ? std::string(ctx_->errstr) : std::string("connection closed"));
        ctx_.reset(); // a hiredis context is unusable after an I/O error
        throw connection_error(msg);
    }

    endpoint ep_;
    std::unique_ptr<redisContext, free_context> ctx_;
    std::vector<const char*> argv_;
    std::vector<std::size_t> lens_;
};

namespace detail {

/// Runs `op(conn)`; after a `connection_error` reconnects by `policy` (sleeping
/// its backoff, waking early when the run stops) and runs `op` again. Throws
/// the last `connection_error` when the policy gives up. `on_reconnect()` is
/// called after each successful reconnection, before `op` runs again.
template <class Op, class OnReconnect>
auto with_reconnect(std::optional<connection>& conn, const endpoint& ep, const retry_policy& policy, Op&& op,
                    OnReconnect&& on_reconnect) {
    real_clock clock;
    std::optional<rill::detail::retry_state<real_clock>> state;
    for (;;) {
        std::optional<connection_error> failure;
        try {
            if (!conn) conn.emplace(ep);
            else if (!conn->usable()) {
                conn->reconnect();
                on_reconnect();
            }
            return op(*conn);
        } catch (const connection_error& e) {
            failure = e;
        }
        err_info why{"redis.io", failure->what()};
        if (!state) state.emplace(clock, 0);
        auto when = state->next_attempt(policy, clock);
        if (!when || !policy.retryable(why) || rill::detail::run_stopping()) throw *failure;
        if (!clock.sleep_until(*when, rill::detail::ambient_stop())) throw *failure;
        state->count_attempt();
    }
}

/// Reads the fields array of an entry reply (`[k1, v1, k2, v2, ...]`).
inline fields read_fields(const redisReply* r) {
    fields out;
    if (!r || r->type != REDIS_REPLY_ARRAY) return out;
    out.reserve(r->elements / 2);
    for (std::size_t i = 0; i + 1 < r->elements; i += 2)
        out.emplace_back(reply_text(r->element[i]), reply_text(r->element[i + 1]));
    return out;
}

} // namespace detail
} // namespace rill::redis
