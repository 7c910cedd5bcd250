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
    class cursor {
    public:
        using value_type = typename C::value_type;

        cursor(C up, std::string label) : up_{std::move(up)}, label_(std::move(label)) {}

        asio::awaitable<item<value_type>> next() {
            auto r = co_await up_.c.next();
            if (r && !r->has_value()) [[unlikely]] {
                // Frames recorded since the previous `named` have no stage name yet.
                for (auto& f : r->error().trace)
                    if (f.stage.empty()) f.stage = label_;
            }
            co_return r;
        }

        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
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
