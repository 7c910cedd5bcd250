/// \file
/// `rill::redis::range(server, stream, from, to)`: a replayable stream of the
/// entries of a Redis stream between two IDs (XRANGE), for backfills and tests.
#pragma once

#include <rill/detail/stream_base.hpp>
#include <rill/redis/config.hpp>
#include <rill/redis/connection.hpp>
#include <rill/redis/detail/group_session.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rill::redis {

/// The stream made by `range`: each run reads the entries anew, a page at a time.
class range_stream : public stream_base<range_stream> {
    struct spec {
        endpoint server;
        std::string stream, from, to;
        std::size_t page;
        retry_policy reconnect;
    };

public:
    /// The type of the items' values.
    using value_type = entry;

    /// Holds the description; made by `range`.
    range_stream(endpoint server, std::string stream, std::string from, std::string to, std::size_t page,
                 retry_policy reconnect)
        : spec_{std::move(server), std::move(stream), std::move(from), std::move(to), page, std::move(reconnect)} {}

    /// A run: XRANGE pages of `page` entries, the next page starting after the last ID seen.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = entry;

        /// Starts the run's state (nothing is connected before the first pull).
        explicit cursor(const range_stream& s) : s_(s.spec_), start_(s.spec_.from) {}

        /// The next entry; a connection that cannot be made or is lost (after
        /// the reconnect policy), or an error reply, ends the run with one Err
        /// (`redis.io` or `redis.server`).
        std::optional<result<entry>> next() {
            if (pos_ < page_.size()) {
                ++index_;
                return std::optional<result<entry>>(std::in_place, tl::in_place, std::move(page_[pos_++]));
            }
            if (done_) return std::nullopt;
            try {
                fetch();
            } catch (const connection_error& e) {
                return fail("redis.io", e.what());
            } catch (const server_error& e) {
                return fail("redis.server", e.what());
            }
            if (page_.empty()) return std::nullopt;
            return next();
        }

    private:
        std::optional<result<entry>> fail(const char* code, const char* message) {
            done_ = true;
            page_.clear();
            err_info e{code, message};
            e.at("redis.range", index_++);
            return std::optional<result<entry>>(std::in_place, tl::unexpect, std::move(e));
        }

        void fetch() {
            page_.clear();
            pos_ = 0;
            detail::with_reconnect(conn_, s_.server, s_.reconnect, [&](connection& c) {
                page_.clear();
                reply r = c.command({"XRANGE", s_.stream, start_, s_.to, "COUNT", std::to_string(s_.page)});
                std::vector<std::string> gone;
                std::string last;
                detail::group_session::parse_entries_of(r.get(), page_, gone, &last);
                if (!last.empty()) start_ = "(" + last;
            }, [] {});
            if (page_.size() < s_.page) done_ = true;
        }

        spec s_;
        std::optional<connection> conn_{};
        std::string start_;
        std::vector<entry> page_{};
        std::size_t pos_ = 0;
        std::size_t index_ = 0;
        bool done_ = false;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static cursor start(Self&& self) {
        return cursor(self);
    }

private:
    spec spec_;
};

namespace detail {
struct range_fn {
    range_stream operator()(endpoint server, std::string stream, std::string from = "-", std::string to = "+",
                            std::size_t page = 1000, retry_policy reconnect = default_reconnect()) const {
        server.validate("rill::redis::range");
        if (stream.empty()) throw std::invalid_argument("rill::redis::range: stream must not be empty");
        if (from.empty()) throw std::invalid_argument("rill::redis::range: from must not be empty");
        if (to.empty()) throw std::invalid_argument("rill::redis::range: to must not be empty");
        if (page == 0) throw std::invalid_argument("rill::redis::range: page must be at least 1");
        reconnect.validate("rill::redis::range");
        return range_stream(std::move(server), std::move(stream), std::move(from), std::move(to), page,
                            std::move(reconnect));
    }
};
} // namespace detail

/// A replayable stream of the entries of `stream` with IDs from `from` to `to`
/// (XRANGE syntax: "-" and "+" are the ends, "(" before an ID excludes it),
/// read `page` at a time; a lost connection is retried by `reconnect`. Entries carry `deliveries = 1`. Throws
/// `std::invalid_argument` naming the argument for an empty name or page 0.
inline constexpr detail::range_fn range{};

} // namespace rill::redis
