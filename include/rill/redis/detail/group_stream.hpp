/// \file
/// `group_stream`: the one-shot stream behind `consume` and `forward`. A run
/// is one consumer session; each batch is held by the run from its read until
/// the item after its last one is pulled, and acknowledged only then.
#pragma once

#include <rill/detail/stream_base.hpp>
#include <rill/redis/config.hpp>
#include <rill/redis/connection.hpp>
#include <rill/redis/detail/batch_pool.hpp>
#include <rill/redis/detail/group_session.hpp>
#include <rill/result.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace rill::redis::detail {

/// The value type of `f(entry)`: `U` for `result<U>` or `U`.
template <class F>
using entry_value_t = unwrap_result_t<std::invoke_result_t<const F&, const entry&>>;

/// `consume` writes nothing but dead letters.
struct no_output {};

/// `forward`'s outputs: each Ok value, as fields, to `out`.
template <class G>
struct to_stream {
    producer_config out;
    G to_fields;
};

template <class F, class Out>
class group_stream : public stream_base<group_stream<F, Out>> {
public:
    /// The type of the items' values.
    using value_type = entry_value_t<F>;
    /// A run is a consumer session: a second run reads other entries, so a
    /// retried or replayed run would skip (and acknowledge) entries it never processed.
    static constexpr bool one_shot = true;

    /// Holds the description; made by `consume` or `forward`.
    group_stream(group_config cfg, F f, Out out, consume_options opts)
        : cfg_(std::move(cfg)), f_(std::move(f)), out_(std::move(out)), opts_(opts) {}

    /// A run: one consumer session.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = group_stream::value_type;

        /// Starts the run's state (nothing is connected before the first pull).
        cursor(const group_config& cfg, const F& f, const Out& out, const consume_options& opts)
            : f_(f), out_(out), opts_(opts), session_(std::make_unique<group_session>(cfg, opts.stats, output_of(out))),
              max_deliveries_(cfg.max_deliveries) {}
        /// Moves the run to a new cursor.
        cursor(cursor&&) = default;
        /// Ends the run; a batch still held is left pending (redelivered later).
        ~cursor() {
            if (session_ && !batch_.empty()) session_->stats().abandoned += batch_.size();
        }

        /// The next item; acknowledges the previous batch when its last item has been handed on.
        std::optional<result<value_type>> next() {
            for (;;) {
                if (pos_ < batch_.size()) return item(pos_++);
                if (!batch_.empty()) {
                    try {
                        if constexpr (!std::is_same_v<Out, no_output>) writes_.out = &out_.out;
                        session_->finish(batch_, writes_);
                    } catch (const connection_error& e) {
                        return end_with("redis.io", e.what());
                    } catch (const server_error& e) {
                        return end_with("redis.server", e.what());
                    }
                    batch_.clear();
                    writes_.clear();
                }
                if (ended_) return std::nullopt;
                try {
                    if (!session_->next_batch(batch_)) {
                        ended_ = true;
                        return std::nullopt;
                    }
                } catch (const connection_error& e) {
                    return end_with("redis.io", e.what());
                } catch (const server_error& e) {
                    return end_with("redis.server", e.what());
                }
                pos_ = 0;
                if (opts_.workers > 1) apply_in_parallel();
            }
        }

    private:
        using slot = std::variant<std::monostate, result<value_type>, std::exception_ptr>;

        static std::string output_of(const Out& out) {
            if constexpr (std::is_same_v<Out, no_output>) return {};
            else return out.out.stream;
        }

        // The run ends with one Err; the batch held, if any, stays pending.
        std::optional<result<value_type>> end_with(const char* code, const char* message) {
            if (!batch_.empty()) session_->stats().abandoned += batch_.size();
            batch_.clear();
            writes_.clear();
            ended_ = true;
            pos_ = 0;
            err_info e{code, message};
            e.at("redis.consume", index_++);
            return std::optional<result<value_type>>(std::in_place, tl::unexpect, std::move(e));
        }

        result<value_type> over_limit_err(const entry& e) const {
            return rill::err("redis.max_deliveries", "entry " + e.id + " was delivered " + std::to_string(e.deliveries) +
                                                         " times (max_deliveries " + std::to_string(max_deliveries_) + ")");
        }

        result<value_type> call(const entry& e) const {
            if (e.deliveries > max_deliveries_) return over_limit_err(e);
            if constexpr (is_result_v<std::invoke_result_t<const F&, const entry&>>) return std::invoke(f_, e);
            else return result<value_type>(tl::in_place, std::invoke(f_, e));
        }

        // The i-th item of the batch: f's result, kept for the dead-letter
        // stream (an Err) or for the output stream (forward's Ok values). An
        // exception leaves the batch unacknowledged and propagates.
        std::optional<result<value_type>> item(std::size_t i) {
            try {
                result<value_type> r = opts_.workers > 1 ? take_slot(i) : call(batch_[i]);
                if (r.has_value()) {
                    if constexpr (!std::is_same_v<Out, no_output>)
                        writes_.outputs.push_back(std::invoke(out_.to_fields, std::as_const(*r)));
                } else {
                    writes_.dead.push_back(dead_letter{i, r.error().code, r.error().message});
                    r.error().at("redis.consume", index_);
                    r.error().trace.set_stage(r.error().trace.size() - 1, batch_[i].id);
                }
                ++index_;
                return std::optional<result<value_type>>(std::in_place, std::move(r));
            } catch (...) {
                session_->stats().abandoned += batch_.size();
                batch_.clear();
                writes_.clear();
                ended_ = true;
                throw;
            }
        }

        result<value_type> take_slot(std::size_t i) {
            slot& s = slots_[i];
            if (auto* ex = std::get_if<std::exception_ptr>(&s)) std::rethrow_exception(*ex);
            return std::move(std::get<result<value_type>>(s));
        }

        void apply_in_parallel() {
            if (!pool_) pool_ = std::make_unique<batch_pool>(opts_.workers - 1);
            slots_.assign(batch_.size(), slot{});
            const std::function<void(std::size_t)> job = [this](std::size_t i) {
                try {
                    slots_[i].template emplace<1>(call(batch_[i]));
                } catch (...) {
                    slots_[i].template emplace<2>(std::current_exception());
                }
            };
            pool_->run(batch_.size(), job);
        }

        F f_;
        Out out_;
        consume_options opts_;
        std::unique_ptr<group_session> session_;
        std::uint32_t max_deliveries_;
        std::vector<entry> batch_{};
        batch_writes writes_{};
        std::vector<slot> slots_{};
        std::unique_ptr<batch_pool> pool_{};
        std::size_t pos_ = 0;
        std::size_t index_ = 0; // items handed out by the run
        bool ended_ = false;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static cursor start(Self&& self) {
        return cursor(self.cfg_, self.f_, self.out_, self.opts_);
    }

private:
    group_config cfg_;
    F f_;
    Out out_;
    consume_options opts_;
};

} // namespace rill::redis::detail
