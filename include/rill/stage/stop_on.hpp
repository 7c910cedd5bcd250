/// \file
/// `stop_on(token)`: a run that a caller can stop from outside, from any thread.
#pragma once

#include <rill/detail/stage.hpp>
#include <rill/run_stop.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <stop_token>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct stop_on_stage : no_checks {
    template <class T, class Token>
    using value = T;

    template <class T, class Token>
    static constexpr bool check() {
        static_assert(std::is_same_v<Token, std::stop_token>, "rill::stop_on: give it a std::stop_token.");
        return std::is_same_v<Token, std::stop_token>;
    }

    template <class C, class Token>
    class cursor {
    public:
        using value_type = typename C::value_type;

        cursor(C up, std::stop_token token) : up_(std::in_place, std::move(up)), token_(std::move(token)) {}

        std::optional<result<value_type>> next() {
            if (!up_) return std::nullopt;
            link_outer();
            if (!token_.stop_requested()) {
                std::optional<result<value_type>> r;
                {
                    stop_scope scope(token_);
                    r = up_->next();
                }
                if (r) {
                    ++index_;
                    if (ends_run(*r)) up_.reset();
                    return r;
                }
                if (!token_.stop_requested()) {
                    up_.reset();
                    return r;
                }
            }
            return fail<value_type>(stopped());
        }

        template <class K>
        bool drain(K& sink) {
            if (!up_) return true;
            link_outer();
            if (!token_.stop_requested()) {
                // The item in hand when the stop comes is delivered; the run ends after it.
                struct adapter {
                    K& down;
                    const std::stop_token& token;
                    std::size_t& index;
                    bool down_stopped = false;
                    bool said_stopped = false;
                    bool pass(bool more) {
                        ++index;
                        down_stopped = !more;
                        return more && !token.stop_requested();
                    }
                    bool ok(value_type&& x) { return pass(down.ok(std::move(x))); }
                    bool err(err_info&& e) {
                        said_stopped = is_stop(e);
                        return pass(down.err(std::move(e)));
                    }
                } a{sink, token_, index_};
                bool ended = false;
                {
                    stop_scope scope(token_);
                    ended = detail::drain(*up_, a);
                }
                if (a.down_stopped) return false;
                if ((ended && !token_.stop_requested()) || (a.said_stopped && token_.stop_requested())) {
                    up_.reset(); // the end, or a nested stop_on has said it already
                    return true;
                }
            }
            return sink.err(stopped());
        }

    private:
        struct requester {
            std::stop_source source;
            void operator()() noexcept { source.request_stop(); }
        };
        struct link {
            link(const std::stop_token& a, const std::stop_token& b)
                : on_outer(a, requester{source}), on_token(b, requester{source}) {}
            std::stop_source source;
            std::stop_callback<requester> on_outer;
            std::stop_callback<requester> on_token;
        };

        static bool is_stop(const err_info& e) { return e.code == "stopped"; }
        // A nested stop_on's own Err "stopped" while this run is stopping: the last item.
        bool ends_run(const result<value_type>& r) const {
            return !r.has_value() && is_stop(r.error()) && token_.stop_requested();
        }

        // Pulled under an outer stop_on, or on a thread a run started, either
        // token stops this run: both request a stop source of the run's own.
        // (Linked at the first pull: the outer token is the puller's.)
        void link_outer() {
            if (linked_) [[likely]]
                return;
            linked_ = true;
            const std::stop_token& outer = ambient_stop();
            if (!outer.stop_possible()) return;
            if (token_.stop_possible()) {
                link_ = std::make_unique<link>(outer, token_);
                token_ = link_->source.get_token();
            } else {
                token_ = outer;
            }
        }

        // The run's last item; upstream is released first (its threads joined).
        err_info stopped() {
            up_.reset();
            err_info e{"stopped", "the run was stopped through its stop token before its end"};
            e.at("stop_on", index_);
            return e;
        }

        std::optional<C> up_;
        std::stop_token token_;
        std::unique_ptr<link> link_;
        std::size_t index_ = 0;
        bool linked_ = false;
    };
};

} // namespace detail

/// Lets a caller stop a run from outside, from any thread:
/// `rill::collect(s | rill::stop_on(source.get_token()))`.
///
/// While a thread pulls through it, `token` is the run's stop token (see
/// `rill::run_stop_token`): every blocking wait of rill upstream (a channel's
/// receive, `buffer`, `merge`, `par_map`, `timeout`, the sleeps of `retry`,
/// `retrying` and `throttle`) wakes when it is requested. Once it is, the item
/// in hand is delivered, upstream is released (its threads stopped and
/// joined), and the run ends with one last item, `Err{"stopped", ...}`, so a
/// sink cannot mistake a stopped run for a complete one (`try_collect` and
/// `fold` return it; `collect` and `partition` keep it). A token requested
/// before the run starts gives that Err as the run's only item, without
/// pulling. Nested in another `stop_on`, or inside a thread a run started,
/// either token stops it.
inline constexpr detail::stage_fn<detail::stop_on_stage> stop_on{};

} // namespace rill
