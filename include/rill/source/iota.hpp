/// \file
/// `iota(a, b)`: Ok(a), Ok(a+1), ..., Ok(b-1); `iota(a)` never ends.
#pragma once

#include <rill/detail/stream_base.hpp>

#include <concepts>
#include <optional>

namespace rill {

/// Counts from `first` up to `last` (exclusive), or forever when `Bounded` is false.
template <class I, bool Bounded>
class iota_stream : public stream_base<iota_stream<I, Bounded>> {
public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = I;

    /// Holds the description; made by the matching function object, not directly.
    constexpr iota_stream(I first, I last) : first_(first), last_(last) {}

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = I;
        /// Starts the run's state; called by `start`.
        constexpr cursor(I i, I last) : i_(i), last_(last) {}
        /// The next item of the run, or `std::nullopt` at its end.
        constexpr std::optional<result<I>> next() {
            if constexpr (Bounded) {
                if (!(i_ < last_)) return std::nullopt;
            }
            return detail::ok<I>(i_++);
        }

        /// Pushes the rest of the run's items into `sink`: the push protocol beside `next()`.
        template <class K>
        [[gnu::always_inline]] constexpr bool drain(K& sink) {
            // The position and the bound in locals, which the loop keeps in
            // registers; the position is stored back to `i_` before each item
            // goes out (a store, never a load after a sink's call, which could
            // alias `i_`), so a run stopped by `false` or by an exception
            // resumes after the item it stopped on.
            I i = i_;
            const I last = last_;
            for (;;) {
                if constexpr (Bounded) {
                    if (!(i < last)) return true;
                }
                I item = i;
                ++i;
                i_ = i;
                if (!sink.ok(std::move(item))) return false;
            }
        }

    private:
        I i_;
        I last_;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static constexpr cursor start(Self&& self) { return cursor(self.first_, self.last_); }

private:
    I first_;
    I last_;
};

/// Ok(first) ... Ok(last - 1); nothing when `last <= first`.
template <std::weakly_incrementable I>
    requires std::totally_ordered<I>
constexpr iota_stream<I, true> iota(I first, std::type_identity_t<I> last) {
    return {first, last};
}

/// Ok(first), Ok(first + 1), ... without end: bound it with `take`.
template <std::weakly_incrementable I>
constexpr iota_stream<I, false> iota(I first) {
    return {first, first};
}

} // namespace rill
