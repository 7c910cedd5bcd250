/// \file
/// `chunk(n)`: groups consecutive Ok items into vectors of up to `n`.
#pragma once

#include <rill/detail/stage.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill {
namespace detail {

struct chunk_stage : no_checks {
    template <class T, class N>
    using value = std::vector<T>;

    template <class T, class N>
    static constexpr bool check() {
        static_assert(std::is_integral_v<N>, "rill::chunk: the size must be an integer.");
        return std::is_integral_v<N>;
    }

    template <class C, class N>
    class cursor {
    public:
        using value_type = std::vector<typename C::value_type>;

        constexpr cursor(C up, N n) : up_(std::move(up)), n_(std::size_t(n)) {}

        // One item at a time through drain: the partial chunk lives in the
        // cursor, so a stopped drain resumes where it was.
        std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        bool drain(K& sink) {
            if (pending_ && !sink.err(*std::exchange(pending_, std::nullopt))) return false;
            struct adapter {
                cursor& self;
                K& down;
                bool ok(typename C::value_type&& x) {
                    value_type& c = self.chunk_;
                    if (c.empty()) c.reserve(self.n_);
                    c.push_back(std::move(x));
                    return c.size() < self.n_ || down.ok(std::exchange(c, {}));
                }
                bool err(err_info&& e) {
                    // An Err ends the chunk before it, so that order is kept.
                    if (self.chunk_.empty()) return down.err(std::move(e));
                    if (down.ok(std::exchange(self.chunk_, {}))) return down.err(std::move(e));
                    self.pending_ = std::move(e);
                    return false;
                }
            } a{*this, sink};
            if (!detail::drain(up_, a)) return false;
            return chunk_.empty() || sink.ok(std::exchange(chunk_, {}));
        }

    private:
        C up_;
        std::size_t n_;
        value_type chunk_;                 // the chunk being filled
        std::optional<err_info> pending_; // an Err that closed a chunk the sink stopped at
    };
};

struct chunk_fn : stage_object {
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
        static_assert(std::is_integral_v<N>, "rill::chunk: the size must be an integer.");
        if (n < N(1)) throw std::invalid_argument("rill::chunk: the chunk size must be at least 1");
        return n;
    }
};

} // namespace detail

/// Groups consecutive Ok items into `std::vector`s of `n` (the last may be
/// shorter). An Err item closes the chunk in progress and then passes through
/// on its own, so items keep their order and no chunk spans an error.
/// `chunk(0)` throws `std::invalid_argument`.
inline constexpr detail::chunk_fn chunk{};

} // namespace rill
