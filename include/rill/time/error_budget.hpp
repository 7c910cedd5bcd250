/// \file
/// `error_budget(limits)`: stops a run that fails too much, with one final Err
/// that summarises what was seen. (No clock: the window counts items.)
#pragma once

#include <rill/detail/stage.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill {

/// When `error_budget` stops a run. A plain aggregate:
/// `{.max_errors = 10}`, `{.max_rate = 0.5, .window = 20}`, or both.
struct error_budget_policy {
    /// Stop after this many Err items in the run (the last one is delivered first).
    std::size_t max_errors = std::numeric_limits<std::size_t>::max();
    /// Stop when more than this fraction of the last `window` items are Errs.
    double max_rate = 1.0;
    /// How many of the latest items the rate is taken over; 0 = no rate limit.
    /// The rate is checked only once `window` items have been seen.
    std::size_t window = 0;

    /// Throws `std::invalid_argument` when a field is out of range.
    void validate() const {
        if (max_errors == 0) throw std::invalid_argument("rill::error_budget: max_errors must be at least 1");
        if (!(max_rate >= 0.0 && max_rate <= 1.0))
            throw std::invalid_argument("rill::error_budget: max_rate must be in [0, 1]");
        if (window == 0 && max_rate < 1.0)
            throw std::invalid_argument("rill::error_budget: a max_rate needs a window (a number of items)");
    }
};

namespace detail {

struct error_budget_stage {
    template <class T, class P>
    using value = T;

    template <class C, class P>
    class cursor {
    public:
        using value_type = typename C::value_type;

        cursor(C up, error_budget_policy p) : up_(std::in_place, std::move(up)), policy_(std::move(p)) {}

        std::optional<result<value_type>> next() {
            if (!up_) {
                if (!summary_) return std::nullopt;
                auto out = fail<value_type>(std::move(*summary_));
                summary_.reset();
                return out;
            }
            auto r = up_->next();
            if (!r) {
                up_.reset();
                return r;
            }
            if (r->has_value()) see(false);
            else see_err(r->error());
            if (summary_) up_.reset(); // the budget is spent: release upstream now
            return r;
        }

        template <class K>
        bool drain(K& sink) {
            if (up_) {
                struct adapter {
                    cursor& self;
                    K& down;
                    bool down_stopped = false;
                    bool ok(value_type&& x) {
                        self.see(false);
                        down_stopped = !down.ok(std::move(x));
                        return !down_stopped && !self.summary_;
                    }
                    bool err(err_info&& e) {
                        self.see_err(e);
                        down_stopped = !down.err(std::move(e));
                        return !down_stopped && !self.summary_;
                    }
                } a{*this, sink};
                const bool ended = detail::drain(*up_, a);
                if (ended || summary_) up_.reset(); // never from inside the upstream's drain
                if (a.down_stopped) return false;
            }
            if (!summary_) return true;
            err_info e = std::move(*summary_);
            summary_.reset();
            return sink.err(std::move(e));
        }

    private:
        void see_err(const err_info& e) {
            ++by_code_[e.code];
            ++errors_;
            see(true);
        }

        // Counts the item; once the budget is spent, prepares the summary, the
        // run's next and last item (the caller then releases upstream).
        void see(bool failed) {
            const std::size_t index = seen_++;
            if (policy_.window > 0) {
                if (recent_.size() < policy_.window) {
                    recent_.push_back(failed);
                } else {
                    recent_errors_ -= recent_[index % policy_.window];
                    recent_[index % policy_.window] = failed;
                }
                recent_errors_ += failed;
            }
            const bool too_many = errors_ >= policy_.max_errors;
            const bool too_often = policy_.window > 0 && recent_.size() == policy_.window &&
                                   static_cast<double>(recent_errors_) > policy_.max_rate * static_cast<double>(policy_.window);
            if (!too_many && !too_often) return;
            std::string msg = "stopped after " + std::to_string(seen_) + " items, " + std::to_string(errors_) +
                              " of them Err";
            if (too_many) {
                msg += " (limit " + std::to_string(policy_.max_errors) + ")";
            } else {
                char rate[32];
                std::snprintf(rate, sizeof rate, "%g", policy_.max_rate);
                msg += "; " + std::to_string(recent_errors_) + " Err in the last " + std::to_string(policy_.window) +
                       " items (limit rate " + rate + ")";
            }
            msg += "; by code:";
            for (const auto& [code, n] : by_code_) msg += " " + code + " x" + std::to_string(n);
            summary_.emplace(err_info{"error_budget", std::move(msg)});
            summary_->at("error_budget", seen_);
        }

        std::optional<C> up_;
        error_budget_policy policy_;
        std::optional<err_info> summary_;
        std::map<std::string, std::size_t> by_code_;
        std::vector<unsigned char> recent_; // ring of the last `window` items: 1 = Err
        std::size_t recent_errors_ = 0;
        std::size_t seen_ = 0;
        std::size_t errors_ = 0;
    };
};

} // namespace detail

/// `error_budget(s, limits)` and `s | error_budget(limits)`.
struct error_budget_fn {
    /// The call form: `op(s, ...)`.
    template <class S>
        requires any_stream<S>
    auto operator()(S&& s, error_budget_policy p) const {
        p.validate();
        return detail::stage_stream<detail::error_budget_stage, std::remove_cvref_t<S>, error_budget_policy>(
            std::in_place, std::forward<S>(s), std::move(p));
    }
    /// The pipe form: `s | op(...)`.
    auto operator()(error_budget_policy p) const {
        p.validate();
        return detail::make_closure<error_budget_fn>(std::move(p));
    }
};

/// Stops a run that fails too much: once `max_errors` Err items have passed, or
/// once more than `max_rate` of the last `window` items were Errs, the run
/// releases upstream and ends with one more Err, code `"error_budget"`, whose
/// message gives the counts seen (items, Errs, Errs per code) and which limit
/// was reached, stamped with op "error_budget" and the number of items before
/// it. Items are passed unchanged until then. Memory: O(window + distinct codes).
/// Throws `std::invalid_argument` for limits out of range.
inline constexpr error_budget_fn error_budget{};

} // namespace rill
