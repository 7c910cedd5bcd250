/// \file
/// `async::named(label)`: names the stages before it in error provenance.
#pragma once

#include <rill/async/core.hpp>

#include <string>
#include <utility>

namespace rill::async {
namespace detail {

struct named_stage {
    template <class T, class L>
    using value = T;

    template <class T, class L>
    static constexpr void check() {}

    template <class C, class L>
    class cursor
        : public sync_stage<cursor<C, L>, typename C::value_type, typename C::value_type> {
    public:
        using value_type = typename C::value_type;

        cursor(C up, std::string label) : up_{std::move(up)}, label_(std::move(label)) {}


        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        friend sync_stage<cursor, value_type, value_type>;
        static constexpr bool plain = true;

        template <class K>
        struct pusher {
            cursor& self;
            K& down;
            bool ok(value_type&& x) { return down.ok(std::move(x)); }
            bool err(err_info&& e) {
                // Frames recorded since the previous `named` have no stage name yet.
                e.trace.label(self.label_);
                return down.err(std::move(e));
            }
        };

        upstream<C> up_;
        std::string label_;
    };
};

struct named_fn {
    template <class S>
        requires any_stream<S>
    auto operator()(S&& s, std::string label) const {
        return stage_fn<named_stage>{}(std::forward<S>(s), std::move(label));
    }
    auto operator()(std::string label) const { return make_closure<named_fn>(std::move(label)); }
};

} // namespace detail

/// Names the stages since the previous `named` (or the source):
/// `s | async::try_map(parse) | async::named("parse")`. Ok items pass untouched.
inline constexpr detail::named_fn named{};

} // namespace rill::async
