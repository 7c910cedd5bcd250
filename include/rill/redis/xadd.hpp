/// \file
/// `rill::redis::xadd(s, config, to_fields)`: a sink that appends the Ok
/// values of a stream to a Redis stream, pipelined.
#pragma once

#include <rill/concepts.hpp>
#include <rill/redis/config.hpp>
#include <rill/redis/connection.hpp>
#include <rill/redis/detail/group_session.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill::redis {
namespace detail {

/// XADDs sent but not yet confirmed: sent again after a reconnection.
class xadd_pipeline {
public:
    explicit xadd_pipeline(const producer_config& cfg) : cfg_(cfg) {}

    void push(const fields& f) {
        pending_.push_back(group_session::xadd_command(cfg_, f));
        if (pending_.size() >= cfg_.pipeline) flush();
    }

    // Sends the queued XADDs and reads their replies; after a connection loss
    // the whole group is sent again (an XADD whose reply was lost may be
    // written twice: at least once). An error reply throws `server_error`.
    void flush() {
        if (pending_.empty()) return;
        with_reconnect(conn_, cfg_.server, cfg_.reconnect, [&](connection& c) {
            for (const auto& cmd : pending_) c.append(cmd);
            std::optional<std::string> error;
            for (std::size_t i = 0; i < pending_.size(); ++i) {
                reply r = c.get_reply();
                if (r->type == REDIS_REPLY_ERROR && !error) error = reply_text(r.get());
            }
            if (error) throw server_error("rill::redis::xadd: XADD to " + cfg_.stream + " failed: " + *error);
        }, [] {});
        written_ += pending_.size();
        pending_.clear();
    }

    std::size_t written() const noexcept { return written_; }

private:
    const producer_config& cfg_;
    std::optional<connection> conn_{};
    std::vector<std::vector<std::string>> pending_{};
    std::size_t written_ = 0;
};

struct xadd_fn {
    template <class S, class G>
        requires any_stream<S>
    std::vector<err_info> operator()(S&& s, producer_config cfg, G to_fields) const {
        std::vector<err_info> errors;
        (*this)(std::forward<S>(s), std::move(cfg), std::move(to_fields),
                [&](err_info&& e) { errors.push_back(std::move(e)); });
        return errors;
    }

    template <class S, class G, class E>
        requires any_stream<S>
    E operator()(S&& s, producer_config cfg, G to_fields, E on_err) const {
        static_assert(std::is_invocable_r_v<fields, G&, const value_t<S>&>,
                      "rill::redis::xadd: to_fields must be callable as to_fields(const T&) -> rill::redis::fields.");
        static_assert(std::is_invocable_v<E&, err_info&&>,
                      "rill::redis::xadd: the error handler must be callable with each Err item's err_info&&.");
        cfg.validate("rill::redis::xadd");
        xadd_pipeline out(cfg);
        for (auto&& r : s) {
            if (r.has_value()) out.push(std::invoke(to_fields, std::as_const(*r)));
            else on_err(std::move(r.error()));
        }
        out.flush();
        return on_err;
    }
};

} // namespace detail

/// Appends `to_fields(x)` for each Ok value `x` of `s` to `cfg.stream` (XADD
/// with an auto ID, `cfg.pipeline` commands per round trip), and returns the
/// Err items, as `for_each` does; `xadd(s, cfg, to_fields, on_err)` hands each
/// Err to `on_err` instead and returns it. Every XADD is confirmed before it
/// returns. A connection loss reconnects by `cfg.reconnect` and sends the
/// unconfirmed XADDs again (at least once); when the policy gives up it throws
/// `connection_error`, and an error reply throws `server_error`.
inline constexpr detail::xadd_fn xadd{};

} // namespace rill::redis
