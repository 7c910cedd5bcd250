/// \file
/// `async::chunk(n)`: groups consecutive Ok items into vectors of up to `n`;
/// an Err item closes the chunk in progress and passes on its own, as the sync
/// `rill::chunk` does.
#pragma once

#include <rill/async/core.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill::async {
namespace detail {

struct chunk_stage {
    template <class T, class N>
    using value = std::vector<T>;

    template <class T, class N>
    static constexpr void check() {
        static_assert(std::is_integral_v<N>, "rill::async::chunk: the size must be an integer.");
    }

    template <class C, class N>
    class cursor {
        using in = typename C::value_type;

    public:
        using value_type = std::vector<in>;

        cursor(C up, N n) : up_{std::move(up)}, n_(std::size_t(n)) {}

        // Pulls up to n items for one chunk. An Err that ends a chunk is kept
        // for the next call, so the chunk before it goes out first.
        asio::awaitable<item<value_type>> next() {
            if (pending_) [[unlikely]] {
                err_info e = std::move(*pending_);
                pending_.reset();
                co_return fail<value_type>(std::move(e));
            }
            if (ended_) co_return std::nullopt;
            value_type chunk;
            for (;;) {
                auto r = co_await up_.c.next();
                if (!r) {
                    ended_ = true;
                    if (chunk.empty()) co_return std::nullopt;
                    co_return ok<value_type>(std::move(chunk));
                }
                if (!r->has_value()) [[unlikely]] {
                    if (chunk.empty()) co_return fail<value_type>(std::move(r->error()));
                    pending_.emplace(std::move(r->error()));
                    co_return ok<value_type>(std::move(chunk));
                }
                if (chunk.empty()) chunk.reserve(n_);
                chunk.push_back(std::move(**r));
                if (chunk.size() == n_) co_return ok<value_type>(std::move(chunk));
            }
        }

        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) { return up_.close(how); }

    private:
        upstream<C> up_;
        std::size_t n_;
        std::optional<err_info> pending_{}; // the Err that closed the chunk just given
        bool ended_ = false;                // upstream gave its end
    };
};

struct chunk_fn {
    template <class S, class N>
        requires any_stream<S>
    auto operator()(S&& s, N n) const {
        return stage_fn<chunk_stage>{}(std::forward<S>(s), validated(n));
    }
    template <class N>
        requires(!any_stream<N>)
    auto operator()(N n) const {
        return make_closure<chunk_fn>(validated(n));
    }

private:
    template <class N>
    static N validated(N n) {
        static_assert(std::is_integral_v<N>, "rill::async::chunk: the size must be an integer.");
        if (n < N(1)) throw std::invalid_argument("rill::async::chunk: the chunk size must be at least 1");
        return n;
    }
};

} // namespace detail

/// Groups consecutive Ok items into `std::vector`s of `n` (the last may be
/// shorter): `s | async::chunk(3)` or `async::chunk(s, 3)`. An Err item closes
/// the chunk in progress, which is given first, then passes through on its
/// own (unchanged): items keep their order and no chunk spans an error.
/// `chunk(0)` throws `std::invalid_argument` when the stage is built.
inline constexpr detail::chunk_fn chunk{};

} // namespace rill::async
