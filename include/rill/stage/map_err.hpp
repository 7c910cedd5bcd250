/// \file
/// `map_err(f)`: `err_info -> err_info` on Err items; Ok items pass unchanged.
#pragma once

#include <rill/detail/stage.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

struct map_err_stage : no_checks {
    template <class T, class F>
    using value = T;

    template <class T, class F>
    static constexpr bool check() {
        static_assert(std::is_invocable_r_v<err_info, F&, err_info&&>,
                      "rill::map_err: the function must take an err_info and return an err_info.");
        return std::is_invocable_r_v<err_info, F&, err_info&&>;
    }

    template <class C, class F>
    class cursor {
    public:
        using value_type = typename C::value_type;

        template <class G>
        constexpr cursor(C up, G&& f) : up_(std::move(up)), f_(std::forward<G>(f)) {}

        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            struct adapter {
                cursor& self;
                K& down;
                [[gnu::always_inline]] constexpr bool ok(value_type&& x) {
                    ++self.index_;
                    return down.ok(std::move(x));
                }
                constexpr bool err(err_info&& e) { return down.err(self.relabel(std::move(e))); }
            } a{*this, sink};
            return detail::drain(up_, a);
        }

    private:
        err_info relabel(err_info&& in) {
            const std::size_t index = index_++;
            // The trace is provenance: it follows the error through its relabelling.
            auto trace = std::move(in.trace);
            err_info e = std::invoke(f_, std::move(in));
            if (e.trace.empty()) e.trace = std::move(trace);
            e.at("map_err", index);
            return e;
        }

        C up_;
        F f_;
        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Rewrites each Err item's error with `f: err_info -> err_info`; the error's
/// provenance is kept and gains a `map_err` frame.
inline constexpr detail::stage_fn<detail::map_err_stage> map_err{};

} // namespace rill
