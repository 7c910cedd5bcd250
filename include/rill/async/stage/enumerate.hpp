/// \file
/// `async::enumerate()`: pairs each Ok item with its position in the stream.
#pragma once

#include <rill/async/core.hpp>

#include <cstddef>
#include <utility>

namespace rill::async {
namespace detail {

struct enumerate_stage : no_checks {
    template <class T>
    using value = std::pair<std::size_t, T>;

    template <class C>
    class cursor
        : public sync_stage<cursor<C>, typename C::value_type, value<typename C::value_type>> {
        using in = typename C::value_type;

    public:
        using value_type = value<in>;

        explicit cursor(C up) : up_{std::move(up)} {}


        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        friend sync_stage<cursor, in, value_type>;
        static constexpr bool plain = true;

        template <class K>
        struct pusher {
            cursor& self;
            K& down;
            bool ok(in&& x) { return down.ok(value_type(self.index_++, std::move(x))); }
            bool err(err_info&& e) {
                ++self.index_;
                return down.err(std::move(e));
            }
        };

        upstream<C> up_;
        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Each Ok item `x` at position `i` becomes `std::pair{i, x}`. Positions count
/// Err items too (as the sync `rill::enumerate` does); Err items pass unchanged.
inline constexpr detail::stage_fn<detail::enumerate_stage> enumerate{};

} // namespace rill::async
