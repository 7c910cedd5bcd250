/// \file
/// `enumerate()`: pairs each Ok item with its position in the stream.
#pragma once

#include <rill/detail/stage.hpp>

#include <cstddef>
#include <optional>
#include <utility>

namespace rill {
namespace detail {

struct enumerate_stage : no_checks {
    template <class T>
    using value = std::pair<std::size_t, T>;

    template <class C>
    class cursor {
    public:
        using value_type = value<typename C::value_type>;

        constexpr explicit cursor(C up) : up_(std::move(up)) {}

        [[gnu::always_inline]] std::optional<result<value_type>> next() { return detail::pull(*this); }

        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            struct adapter {
                K& down;
                std::size_t& index;
                [[gnu::always_inline]] constexpr bool ok(typename C::value_type&& x) { return down.ok(value_type(index++, std::move(x))); }
                constexpr bool err(err_info&& e) {
                    ++index;
                    return down.err(std::move(e));
                }
            } a{sink, index_};
            return detail::drain(up_, a);
        }

    private:
        C up_;
        std::size_t index_ = 0;
    };
};

} // namespace detail

/// Each Ok item `x` at position `i` becomes `std::pair{i, x}`. Positions count
/// Err items too (as `take`, `drop` and error provenance do), so after an Err
/// item the indices skip its position; Err items pass unchanged.
inline constexpr detail::stage_fn<detail::enumerate_stage> enumerate{};

} // namespace rill
