/// \file
/// `iota(a, b)`: Ok(a), Ok(a+1), ..., Ok(b-1); `iota(a)` never ends.
#pragma once

#include <rill/detail/stream_base.hpp>

#include <concepts>
#include <optional>
#include <type_traits>

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
        constexpr bool drain(K& sink) {
            if constexpr (std::is_nothrow_copy_constructible_v<I> && std::is_nothrow_copy_assignable_v<I>) {
                // The position and the bound in locals: the loop keeps them in
                // registers. Written back on each exit, by hand rather than by
                // a destructor: a pull of one item (pull_into) enters and
                // leaves this loop per item, and stays as cheap as before.
                I i = i_;
                const I last = last_;
                try {
                    for (;;) {
                        if constexpr (Bounded) {
                            if (!(i < last)) {
                                i_ = i;
                                return true;
                            }
                        }
                        if (!sink.ok(I(i++))) {
                            i_ = i;
                            return false;
                        }
                    }
                } catch (...) {
                    i_ = i;
                    throw;
                }
            } else {
                for (;;) {
                    if constexpr (Bounded) {
                        if (!(i_ < last_)) return true;
                    }
                    if (!sink.ok(I(i_++))) return false;
                }
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
