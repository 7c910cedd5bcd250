/// \file
/// `group_session`: one consumer's conversation with its group, behind
/// `consume` and `forward`: which batch to read next (own pending entries
/// first, then entries of dead consumers, then new ones) and how a batch is
/// finished (dead letters, outputs and XACK in one MULTI/EXEC).
#pragma once

#include <rill/redis/config.hpp>
#include <rill/redis/connection.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <thread>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace rill::redis::detail {

/// An entry of a batch that goes to the dead-letter stream, and why.
struct dead_letter {
    std::size_t index;   ///< its position in the batch
    std::string code;    ///< the Err's code
    std::string message; ///< the Err's message
};

/// What a batch writes besides its XACK: dead letters, and `forward`'s outputs.
struct batch_writes {
    std::vector<dead_letter> dead;
    std::vector<fields> outputs;
    const producer_config* out = nullptr; ///< where `outputs` go (forward only)
    void clear() {
        dead.clear();
        outputs.clear();
    }
};

/// One consumer session of a group. Not thread-safe: one run owns it.
///
/// Entries delivered before (this consumer's own pending entries, and those
/// claimed from others, claimed without counting a delivery) are read one at
/// a time: reading an entry counts a
/// delivery, so a batch of them would count a delivery against every entry
/// behind a poison entry that made the last session fail, and the
/// `max_deliveries` cap would dead-letter entries never given to `f`.
class group_session {
    // Runs `op` on the connection, reconnecting by the policy (see with_reconnect).
    template <class Op>
    auto run(Op&& op) {
        return with_reconnect(conn_, cfg_.server, cfg_.reconnect, [&](connection& c) {
            if (!ready_) setup(c);
            return op(c);
        }, [this] {
            ready_ = false;
            ++stats_->reconnects;
        });
    }

public:
    /// A session of `cfg`; `output` is the stream `forward` writes to (empty for `consume`).
    group_session(const group_config& cfg, consume_stats* stats, std::string output = {})
        : cfg_(cfg), stats_(stats ? stats : &own_stats_), output_(std::move(output)) {}

    /// Reads the next batch into `out` (cleared first). False when the run
    /// should end: the group is drained (`stop_when_drained`) or the run is
    /// stopping. Throws `connection_error` when the reconnect policy gives up,
    /// `server_error` on an error reply.
    bool next_batch(std::vector<entry>& out) {
        out.clear();
        for (;;) {
            if (rill::detail::run_stopping()) return false;
            if (pel_phase_) {
                read_own_pending(out);
                if (!out.empty()) return true;
                continue;
            }
            if (claim_due()) {
                claim();
                continue;
            }
            if (read_new(out)) return true;
            claim_now_ = true; // nothing new: look for abandoned work
            if (cfg_.stop_when_drained && claim_round_empty_ && group_pending() == 0) return false;
            // Nothing to read and no BLOCK to wait in (also while a drained run waits
            // for other consumers' pending entries): do not spin on the server.
            if (cfg_.block.count() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    /// Acknowledges `batch`: the dead letters and outputs of `w` and the XACK
    /// of every entry go in one MULTI/EXEC (a plain XACK when there is nothing
    /// else to write). Retried after a reconnection (which may duplicate the
    /// writes, never lose them). Throws as `next_batch` does.
    void finish(const std::vector<entry>& batch, const batch_writes& w) {
        if (batch.empty()) return;
        std::vector<std::vector<std::string>> cmds;
        for (const auto& d : w.dead) {
            const entry& e = batch[d.index];
            std::vector<std::string> c{"XADD", dead_letter_, "*",
                                       "dlq:id", e.id,
                                       "dlq:stream", cfg_.stream,
                                       "dlq:group", cfg_.group,
                                       "dlq:consumer", cfg_.consumer,
                                       "dlq:deliveries", std::to_string(e.deliveries),
                                       "dlq:code", d.code,
                                       "dlq:message", d.message};
            for (const auto& [k, v] : e.fields) {
                c.push_back(k);
                c.push_back(v);
            }
            cmds.push_back(std::move(c));
        }
        for (const auto& o : w.outputs) cmds.push_back(xadd_command(*w.out, o));
        std::vector<std::string> ack{"XACK", cfg_.stream, cfg_.group};
        for (const auto& e : batch) ack.push_back(e.id);
        const bool multi = !cmds.empty();
        cmds.push_back(std::move(ack));
        run([&](connection& c) {
            if (multi) c.append({"MULTI"});
            for (const auto& cmd : cmds) c.append(cmd);
            if (multi) c.append({"EXEC"});
            std::optional<std::string> error;
            const std::size_t replies = cmds.size() + (multi ? 2 : 0);
            reply last;
            for (std::size_t i = 0; i < replies; ++i) {
                reply r = c.get_reply();
                if (r->type == REDIS_REPLY_ERROR && !error) error = reply_text(r.get());
                last = std::move(r);
            }
            if (multi) {
                // EXEC's reply: one reply per command; an error there means a write did not happen.
                if (last->type != REDIS_REPLY_ARRAY)
                    throw server_error("rill::redis: MULTI/EXEC of a batch failed: " + error.value_or(reply_text(last.get())));
                for (std::size_t i = 0; i < last->elements; ++i)
                    if (last->element[i]->type == REDIS_REPLY_ERROR)
                        throw server_error("rill::redis: a write of a batch's MULTI/EXEC failed: " +
                                           reply_text(last->element[i]));
            } else if (error) {
                throw server_error("rill::redis: XACK failed: " + *error);
            }
        });
        ++stats_->batches;
        stats_->acked += batch.size();
        stats_->dead_lettered += w.dead.size();
    }

    /// `parse_entries` for other readers of entry lists (XRANGE).
    static void parse_entries_of(const redisReply* list, std::vector<entry>& out, std::vector<std::string>& gone,
                                 std::string* last) {
        parse_entries(list, out, gone, last);
    }

    /// The counters of this session.
    consume_stats& stats() noexcept { return *stats_; }

    /// The XADD command that writes `f` to `out`'s stream.
    static std::vector<std::string> xadd_command(const producer_config& out, const fields& f) {
        std::vector<std::string> c{"XADD", out.stream};
        if (out.maxlen) {
            c.push_back("MAXLEN");
            c.push_back("~");
            c.push_back(std::to_string(*out.maxlen));
        }
        c.push_back("*");
        for (const auto& [k, v] : f) {
            c.push_back(k);
            c.push_back(v);
        }
        return c;
    }

private:
    using clock = std::chrono::steady_clock;

    // After every (re)connection: the group exists, the keys a batch writes
    // are streams (or do not exist yet), and this consumer's own pending
    // entries are read again from the start (a restarted server, or a
    // restarted worker, may hold entries it was given before). A key of
    // another type would fail its XADD inside the MULTI/EXEC, where Redis
    // still runs the XACK: the batch would be acknowledged without its dead
    // letters or outputs, so the session refuses to start instead.
    void setup(connection& c) {
        for (const std::string* key : {&dead_letter_, &output_}) {
            if (key->empty()) continue;
            const std::string type = reply_text(c.command({"TYPE", *key}).get());
            if (type != "stream" && type != "none")
                throw server_error("rill::redis: the key " + *key + " holds a " + type + ", not a stream");
        }
        if (cfg_.create_group) {
            try {
                c.command({"XGROUP", "CREATE", cfg_.stream, cfg_.group, cfg_.group_start, "MKSTREAM"});
            } catch (const server_error& e) {
                if (std::string_view(e.what()).substr(0, 9) != "BUSYGROUP") throw;
            }
        }
        pel_phase_ = true;
        pel_cursor_ = "0";
        ready_ = true;
    }

    // XREADGROUP ... STREAMS s <id>: this consumer's own pending entries after <id>.
    void read_own_pending(std::vector<entry>& out) {
        std::vector<std::string> deleted;
        run([&](connection& c) {
            out.clear();
            deleted.clear();
            reply r = c.command({"XREADGROUP", "GROUP", cfg_.group, cfg_.consumer, "COUNT", "1", "STREAMS", cfg_.stream,
                                 pel_cursor_});
            std::string last;
            parse_read(r.get(), out, deleted, &last);
            if (last.empty()) {
                pel_phase_ = false;
                return;
            }
            pel_cursor_ = std::move(last);
            if (!deleted.empty()) ack_ids(c, deleted);
            if (!out.empty()) fill_deliveries(c, out);
        });
        stats_->deleted += deleted.size();
    }

    bool claim_due() const {
        return claim_cursor_ != "0-0" || claim_now_ || clock::now() - last_claim_ >= cfg_.claim_every;
    }

    // One XAUTOCLAIM step, JUSTID: up to `count` entries idle past
    // claim_timeout become this consumer's without counting a delivery; they
    // are then read from its own pending list, one at a time, which counts
    // one each. A round of steps ends when the cursor is back to 0-0.
    void claim() {
        if (claim_cursor_ == "0-0") round_found_ = false;
        std::size_t claimed = 0, deleted = 0;
        run([&](connection& c) {
            reply r = c.command({"XAUTOCLAIM", cfg_.stream, cfg_.group, cfg_.consumer,
                                 std::to_string(cfg_.claim_timeout.count()), claim_cursor_, "COUNT",
                                 std::to_string(cfg_.count), "JUSTID"});
            if (r->type != REDIS_REPLY_ARRAY || r->elements < 2 || r->element[1]->type != REDIS_REPLY_ARRAY)
                throw server_error("rill::redis: unexpected XAUTOCLAIM reply");
            claim_cursor_ = reply_text(r->element[0]);
            claimed = r->element[1]->elements;
            // Redis 7: the IDs of pending entries deleted from the stream, removed from the pending list
            if (r->elements >= 3 && r->element[2]->type == REDIS_REPLY_ARRAY) deleted = r->element[2]->elements;
        });
        stats_->claimed += claimed;
        stats_->deleted += deleted;
        if (claimed > 0) {
            round_found_ = true;
            pel_phase_ = true; // read them
            pel_cursor_ = "0";
        }
        if (claim_cursor_ == "0-0") { // the round is over
            last_claim_ = clock::now();
            claim_now_ = false;
            claim_round_empty_ = !round_found_;
        }
    }

    // XREADGROUP ... BLOCK ... STREAMS s >: true when it returned entries.
    bool read_new(std::vector<entry>& out) {
        run([&](connection& c) {
            out.clear();
            std::vector<std::string> args{"XREADGROUP", "GROUP", cfg_.group, cfg_.consumer, "COUNT",
                                          std::to_string(cfg_.count)};
            if (cfg_.block.count() > 0) {
                args.push_back("BLOCK");
                args.push_back(std::to_string(cfg_.block.count()));
            }
            args.push_back("STREAMS");
            args.push_back(cfg_.stream);
            args.push_back(">");
            reply r = c.command(args);
            std::vector<std::string> gone;
            parse_read(r.get(), out, gone);
        });
        return !out.empty();
    }

    std::size_t group_pending() {
        return run([&](connection& c) -> std::size_t {
            reply r = c.command({"XPENDING", cfg_.stream, cfg_.group});
            if (r->type != REDIS_REPLY_ARRAY || r->elements < 1 || r->element[0]->type != REDIS_REPLY_INTEGER)
                throw server_error("rill::redis: unexpected XPENDING reply");
            return static_cast<std::size_t>(r->element[0]->integer);
        });
    }

    void ack_ids(connection& c, const std::vector<std::string>& ids) {
        std::vector<std::string> ack{"XACK", cfg_.stream, cfg_.group};
        ack.insert(ack.end(), ids.begin(), ids.end());
        c.command(ack);
    }

    // XPENDING s g first last n consumer: the delivery counts of entries read
    // from a pending list (own or claimed); new entries are on delivery 1.
    void fill_deliveries(connection& c, std::vector<entry>& batch) {
        reply r = c.command({"XPENDING", cfg_.stream, cfg_.group, batch.front().id, batch.back().id,
                             std::to_string(batch.size()), cfg_.consumer});
        std::unordered_map<std::string, std::uint32_t> counts;
        if (r->type == REDIS_REPLY_ARRAY) {
            for (std::size_t i = 0; i < r->elements; ++i) {
                const redisReply* p = r->element[i];
                if (p->type == REDIS_REPLY_ARRAY && p->elements >= 4)
                    counts[reply_text(p->element[0])] = static_cast<std::uint32_t>(p->element[3]->integer);
            }
        }
        for (auto& e : batch) {
            auto it = counts.find(e.id);
            e.deliveries = it == counts.end() ? 1 : it->second;
            if (e.deliveries > 1) ++stats_->redelivered;
        }
    }

    // [[stream, [[id, fields], ...]]] (or nil: nothing).
    static void parse_read(const redisReply* r, std::vector<entry>& out, std::vector<std::string>& gone,
                           std::string* last = nullptr) {
        if (!r || r->type != REDIS_REPLY_ARRAY) return;
        for (std::size_t s = 0; s < r->elements; ++s) {
            const redisReply* kv = r->element[s];
            if (kv->type == REDIS_REPLY_ARRAY && kv->elements == 2) parse_entries(kv->element[1], out, gone, last);
        }
    }

    // [[id, fields], ...]; an entry whose fields are nil was deleted: its ID
    // goes to `gone`. `last` (when given) receives the last ID of the list.
    static void parse_entries(const redisReply* list, std::vector<entry>& out, std::vector<std::string>& gone,
                              std::string* last = nullptr) {
        if (!list || list->type != REDIS_REPLY_ARRAY) return;
        for (std::size_t i = 0; i < list->elements; ++i) {
            const redisReply* e = list->element[i];
            if (e->type != REDIS_REPLY_ARRAY || e->elements < 2) continue;
            if (last) *last = reply_text(e->element[0]);
            if (e->element[1]->type != REDIS_REPLY_ARRAY) {
                gone.push_back(reply_text(e->element[0]));
                continue;
            }
            out.push_back(entry{reply_text(e->element[0]), read_fields(e->element[1]), 1});
        }
    }

    group_config cfg_;
    std::string dead_letter_ = cfg_.dead_letter_stream();
    consume_stats own_stats_{};
    consume_stats* stats_;
    std::string output_;
    std::optional<connection> conn_{};
    bool ready_ = false;
    bool pel_phase_ = true;
    std::string pel_cursor_ = "0";
    std::string claim_cursor_ = "0-0";
    bool claim_now_ = true;          // claim before the first read of new entries
    bool round_found_ = false;
    bool claim_round_empty_ = false; // the last full claim round found nothing
    clock::time_point last_claim_{};
};

} // namespace rill::redis::detail
