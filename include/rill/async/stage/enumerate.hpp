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
    class cursor {
    public:
        using value_type = value<typename C::value_type>;

        explicit cursor(C up) : up_{std::move(up)} {}

        asio::awaitable<item<value_type>> next() {
            auto r = co_await up_.c.next();
            if (!r) co_return std::nullopt;
            const std::size_t index = index_++;
            if (!r->has_value()) [[unlikely]]
                co_return fail<value_type>(std::move(r->error()));
            co_return ok<value_type>(index, std::move(**r));
        }

        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        upstream<C> up_;
        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Each Ok item `x` at position `i` becomes `std::pair{i, x}`. Positions count
/// Err items too (as the sync `rill::enumerate` does); Err items pass unchanged.
inline constexpr detail::stage_fn<detail::enumerate_stage> enumerate{};

} // namespace rill::async
