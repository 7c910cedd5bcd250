/// \file
/// The plain data that configures `rill::redis`: where the server is, which
/// consumer group to read, where to write. See docs/12-scaling-out.md.
#pragma once

#include <rill/time/backoff.hpp>
#include <rill/time/retry_policy.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rill::redis {

/// The fields of a stream entry, in their order: `(name, value)` pairs.
using fields = std::vector<std::pair<std::string, std::string>>;

/// Where a Redis server listens, and how long one command may take.
struct endpoint {
    std::string host = "127.0.0.1";                ///< host name or address
    int port = 6379;                               ///< TCP port
    std::chrono::milliseconds timeout{5000};       ///< connect timeout and socket timeout of each command

    /// Throws `std::invalid_argument` naming `who` and the field when a field is out of range.
    void validate(const char* who) const {
        if (host.empty()) throw std::invalid_argument(std::string(who) + ": endpoint.host must not be empty");
        if (port <= 0 || port > 65535)
            throw std::invalid_argument(std::string(who) + ": endpoint.port must be in 1..65535");
        if (timeout <= std::chrono::milliseconds::zero())
            throw std::invalid_argument(std::string(who) + ": endpoint.timeout must be positive");
    }
};

/// The reconnect policy the connectors use by default: 10 attempts, 50 ms
/// doubling up to 2 s between them (about 10 s of outage in all).
inline retry_policy default_reconnect() {
    return retry_policy{.max_attempts = 10,
                        .backoff = backoff::exponential(std::chrono::milliseconds(50), std::chrono::seconds(2))};
}

/// One consumer of a consumer group (XREADGROUP), as `consume` and `forward` read it.
struct group_config {
    endpoint server{};                              ///< the Redis server
    std::string stream{};                           ///< the stream key
    std::string group{};                            ///< the consumer group
    /// This worker's name in the group. Keep it stable across restarts of the
    /// same worker: a restarted consumer re-reads its own pending entries first.
    std::string consumer{};
    /// XREADGROUP COUNT: the most new entries in one batch. Entries delivered
    /// before (after a crash or an exception) come one per batch, so that a
    /// poison entry counts deliveries against itself alone.
    std::size_t count = 100;
    /// XREADGROUP BLOCK: how long one read waits for new entries (0: it does not
    /// wait). Also how late a run stopped from outside (`rill::stop_on`) notices.
    std::chrono::milliseconds block{1000};
    /// XAUTOCLAIM min-idle-time: a pending entry of another consumer idle this
    /// long is taken over. Longer than the slowest batch, or live consumers are robbed.
    std::chrono::milliseconds claim_timeout{30000};
    std::chrono::milliseconds claim_every{1000};    ///< how often to look for entries to claim (also after an empty read)
    /// An entry delivered more often than this is dead-lettered without calling
    /// the function (code `redis.max_deliveries`): the cap on poison entries.
    std::uint32_t max_deliveries = 5;
    std::string dead_letter{};                      ///< the dead-letter stream; empty = `stream + ":dlq"`
    bool create_group = true;                       ///< XGROUP CREATE ... MKSTREAM when the group does not exist
    std::string group_start = "0";                  ///< where a group created here starts ("0": the whole stream, "$": new entries)
    retry_policy reconnect = default_reconnect();   ///< reconnects inside the source after a connection loss
    /// End the run when a read finds nothing new, nothing is left to claim and
    /// the group has no pending entry at all (batch jobs, tests). Otherwise the
    /// stream is endless: stop it with `take`, `stop_on` or by ending the process.
    bool stop_when_drained = false;

    /// The dead-letter stream's key.
    std::string dead_letter_stream() const { return dead_letter.empty() ? stream + ":dlq" : dead_letter; }

    /// Throws `std::invalid_argument` naming `who` and the field when a field is out of range.
    void validate(const char* who) const {
        server.validate(who);
        auto bad = [who](const char* what) { throw std::invalid_argument(std::string(who) + ": " + what); };
        if (stream.empty()) bad("group_config.stream must not be empty");
        if (group.empty()) bad("group_config.group must not be empty");
        if (consumer.empty()) bad("group_config.consumer must not be empty");
        if (count == 0) bad("group_config.count must be at least 1");
        if (block < std::chrono::milliseconds::zero()) bad("group_config.block must not be negative");
        // a blocking read longer than the socket timeout would time out and reconnect forever
        if (block >= server.timeout) bad("group_config.block must be shorter than endpoint.timeout");
        if (claim_timeout <= std::chrono::milliseconds::zero()) bad("group_config.claim_timeout must be positive");
        if (claim_every < std::chrono::milliseconds::zero()) bad("group_config.claim_every must not be negative");
        if (max_deliveries == 0) bad("group_config.max_deliveries must be at least 1");
        if (dead_letter_stream() == stream) bad("group_config.dead_letter must differ from the stream");
        reconnect.validate(who);
    }
};

/// Where `xadd` and `forward` write.
struct producer_config {
    endpoint server{};                              ///< the Redis server
    std::string stream{};                           ///< the stream key written to
    std::size_t pipeline = 1000;                    ///< XADDs sent before their replies are read
    std::optional<std::size_t> maxlen{};            ///< `MAXLEN ~ n` on each XADD, when set
    retry_policy reconnect = default_reconnect();   ///< reconnects after a connection loss (the unconfirmed XADDs are sent again)

    /// Throws `std::invalid_argument` naming `who` and the field when a field is out of range.
    void validate(const char* who) const {
        server.validate(who);
        if (stream.empty()) throw std::invalid_argument(std::string(who) + ": producer_config.stream must not be empty");
        if (pipeline == 0) throw std::invalid_argument(std::string(who) + ": producer_config.pipeline must be at least 1");
        if (maxlen && *maxlen == 0)
            throw std::invalid_argument(std::string(who) + ": producer_config.maxlen must be at least 1 when set");
        reconnect.validate(who);
    }
};

/// Counters of a consumer run, updated as it goes (read them after the run).
struct consume_stats {
    std::size_t batches = 0;          ///< batches completed and acknowledged
    std::size_t acked = 0;            ///< entries acknowledged (dead-lettered ones included)
    std::size_t dead_lettered = 0;    ///< entries written to the dead-letter stream
    std::size_t redelivered = 0;      ///< entries seen with deliveries > 1 (possible duplicates)
    std::size_t claimed = 0;          ///< entries taken over from other consumers (XAUTOCLAIM)
    std::size_t deleted = 0;          ///< pending entries whose payload was gone (trimmed): acknowledged, not processed
    std::size_t reconnects = 0;       ///< successful reconnections
    std::size_t abandoned = 0;        ///< entries of batches left unacknowledged (early stop, exception)
};

/// Options of `consume` and `forward`.
struct consume_options {
    /// Threads that apply the function to a batch's entries (the run's own
    /// thread among them). Items still come out in entry order, and a batch is
    /// acknowledged only after all of it has been handed on.
    std::size_t workers = 1;
    consume_stats* stats = nullptr;   ///< when set, the run adds its counts here (one run at a time)

    /// Throws `std::invalid_argument` naming `who` when a field is out of range.
    void validate(const char* who) const {
        if (workers == 0) throw std::invalid_argument(std::string(who) + ": consume_options.workers must be at least 1");
    }
};

/// One entry of a stream: its ID, its fields and how often the group delivered it.
struct entry {
    std::string id{};               ///< e.g. "1796202226979-702"
    redis::fields fields{};         ///< the entry's fields, in order
    std::uint32_t deliveries = 1;   ///< > 1: delivered before, so it may have been processed before

    /// The value of `name`, or nullptr.
    const std::string* find(std::string_view name) const noexcept {
        for (const auto& [k, v] : fields)
            if (k == name) return &v;
        return nullptr;
    }
    /// The value of `name`; throws `std::out_of_range` when the entry has no such field.
    const std::string& at(std::string_view name) const {
        if (const std::string* v = find(name)) return *v;
        throw std::out_of_range("rill::redis::entry " + id + " has no field '" + std::string(name) + "'");
    }
    /// Entries are equal when their IDs and fields are (the delivery count is not compared).
    friend bool operator==(const entry& a, const entry& b) { return a.id == b.id && a.fields == b.fields; }
};

} // namespace rill::redis
