/// \file
/// `from(range)`: a stream over a std or range-v3 range.
#pragma once

#include <rill/detail/stream_base.hpp>

#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill {
namespace detail {

/// How `from` holds its range: a pointer for an lvalue (as `views::all` refers),
/// a shared pointer for an rvalue (copies of the stream share it).
template <class R, bool Owned>
struct range_holder;

template <class R>
struct range_holder<R, false> {
    R* range;
    R& get() const noexcept { return *range; }
};

// The few range concepts `from` needs, from <iterator> alone (std::ranges::begin
// and end are available there): <ranges> would double the cost of including rill.
template <class R>
concept range = requires(R& r) {
    std::ranges::begin(r);
    std::ranges::end(r);
};
template <class R>
using iterator_of = decltype(std::ranges::begin(std::declval<R&>()));
template <class R>
using sentinel_of = decltype(std::ranges::end(std::declval<R&>()));
template <class R>
concept input_range = range<R> && std::input_iterator<iterator_of<R>>;
template <class R>
concept forward_range = input_range<R> && std::forward_iterator<iterator_of<R>>;

template <class R>
struct range_holder<R, true> {
    // Ranges that can be iterated through const are shared immutably; the few
    // that cannot (a caching filter view, an istream view) are shared mutably.
    using stored = std::conditional_t<range<const R>, const R, R>;
    std::shared_ptr<stored> range;
    stored& get() const noexcept { return *range; }
};

} // namespace detail

/// A stream over the elements of a range: `T` elements become Ok items,
/// `result<T>` elements are taken as they are.
template <class R, bool Owned>
class from_stream : public stream_base<from_stream<R, Owned>> {
    using holder = detail::range_holder<R, Owned>;
    using range_ref = decltype(std::declval<const holder&>().get());
    using iterator = detail::iterator_of<std::remove_reference_t<range_ref>>;
    using sentinel = detail::sentinel_of<std::remove_reference_t<range_ref>>;
    using element = std::remove_cvref_t<std::iter_reference_t<iterator>>;

public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = unwrap_result_t<element>;
    /// An input-only range cannot be restarted: the stream runs once.
    static constexpr bool one_shot = !detail::forward_range<std::remove_reference_t<range_ref>>;

    /// Holds the description; made by the matching function object, not directly.
    explicit from_stream(holder h) : holder_(std::move(h)) {}

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = from_stream::value_type;

        /// Starts the run's state; called by `start`.
        explicit cursor(holder h)
            : holder_(std::move(h)), it_(std::ranges::begin(holder_.get())), end_(std::ranges::end(holder_.get())) {}

        /// The next item of the run, or `std::nullopt` at its end.
        std::optional<result<value_type>> next() {
            if (it_ == end_) return std::nullopt;
            auto out = make(*it_); // before ++: an input iterator may reuse its element
            ++it_;
            ++index_;
            return out;
        }

        /// Pushes the rest of the run's items into `sink`: the push protocol beside `next()`.
        template <class K>
        [[gnu::always_inline]] bool drain(K& sink) {
            for (; it_ != end_; ++index_) {
                decltype(auto) e = *it_;
                bool more;
                if constexpr (is_result_v<element>) {
                    if (e.has_value()) {
                        more = sink.ok(value_type(*std::forward<decltype(e)>(e)));
                    } else {
                        err_info copy(std::forward<decltype(e)>(e).error());
                        copy.at("from", index_);
                        more = sink.err(std::move(copy));
                    }
                } else {
                    more = sink.ok(value_type(std::forward<decltype(e)>(e)));
                }
                ++it_;
                if (!more) {
                    ++index_;
                    return false;
                }
            }
            return true;
        }

    private:
        template <class E>
        std::optional<result<value_type>> make(E&& e) {
            if constexpr (is_result_v<element>) {
                if (!e.has_value()) {
                    auto out = detail::fail<value_type>(err_info(std::forward<E>(e).error()));
                    detail::stamp(*out, "from", index_);
                    return out;
                }
                return detail::ok<value_type>(*std::forward<E>(e));
            } else {
                return detail::ok<value_type>(std::forward<E>(e));
            }
        }

        holder holder_;
        iterator it_;
        sentinel end_;
        std::size_t index_ = 0;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static cursor start(Self&& self) { return cursor(self.holder_); }

private:
    holder holder_;
};

/// A stream over `range`: an lvalue range is referred to (it must outlive every
/// run), an rvalue range is moved into storage that copies of the stream share.
template <detail::input_range R>
auto from(R&& range) {
    using Rd = std::remove_cvref_t<R>;
    if constexpr (std::is_lvalue_reference_v<R>) {
        using Rr = std::remove_reference_t<R>;
        return from_stream<Rr, false>(detail::range_holder<Rr, false>{std::addressof(range)});
    } else {
        using holder = detail::range_holder<Rd, true>;
        return from_stream<Rd, true>(holder{std::make_shared<typename holder::stored>(std::move(range))});
    }
}

} // namespace rill
