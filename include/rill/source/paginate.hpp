/// \file
/// `paginate(fetch)`: a stream over pages fetched one at a time. (With a retry
/// policy, `paginate(fetch, policy)`: `<rill/time/paginate.hpp>`.)
#pragma once

#include <rill/detail/stream_base.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace rill {

/// Calls `fetch(0)`, `fetch(1)`, ... lazily, one page when the previous one is
/// used up, and yields the items of each page; stops at the first empty page.
/// A failed page yields its Err (with the page index in its provenance) and
/// ends the run.
template <class F>
class paginate_stream : public stream_base<paginate_stream<F>> {
    using page = unwrap_result_t<std::invoke_result_t<F&, std::size_t>>;

public:
    /// The type of the items' values (a run gives `result<value_type>` items).
    using value_type = typename page::value_type;

    /// Holds the description; made by the matching function object, not directly.
    explicit paginate_stream(F f) : f_(std::move(f)) {}

    /// A run of the stream: `next()` gives its items; destroying it ends the run and releases what it holds.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = paginate_stream::value_type;
        /// Starts the run's state; called by `start`.
        template <class G>
            requires std::is_constructible_v<F, G&&> // never a hijacked copy or conversion
        explicit cursor(G&& f) : f_(std::forward<G>(f)) {}

        /// The next item of the run, or `std::nullopt` at its end.
        std::optional<result<value_type>> next() {
            while (pos_ == items_.size()) {
                if (done_) return std::nullopt;
                auto fetched = std::invoke(f_, page_);
                if (!fetched.has_value()) [[unlikely]] {
                    done_ = true;
                    auto out = detail::fail<value_type>(std::move(fetched.error()));
                    detail::stamp(*out, "paginate", page_);
                    return out;
                }
                ++page_;
                items_ = std::move(*fetched);
                pos_ = 0;
                if (items_.empty()) done_ = true;
            }
            return detail::ok<value_type>(std::move(items_[pos_++]));
        }

    private:
        F f_;
        page items_;
        std::size_t pos_ = 0;
        std::size_t page_ = 0;
        bool done_ = false;
    };

    /// Opens a run: what `open()` and `begin()` call.
    template <class Self>
    static cursor start(Self&& self) { return cursor(detail::fwd_like<Self>(self.f_)); }

private:
    F f_;
};

namespace detail {
template <class F>
constexpr void check_fetch() {
    static_assert(std::is_invocable_v<F&, std::size_t>,
                  "rill::paginate: the fetch function must be callable with a page index (std::size_t).");
    using R = std::invoke_result_t<F&, std::size_t>;
    static_assert(is_result_v<R>, "rill::paginate: the fetch function must return result<std::vector<T>>.");
    static_assert(requires(unwrap_result_t<R>& v) { v.size(); v[0]; typename unwrap_result_t<R>::value_type; },
                  "rill::paginate: the fetch function must return result<std::vector<T>>.");
}
} // namespace detail

/// A stream over the pages `fetch(0)`, `fetch(1)`, ... where
/// `fetch(std::size_t page) -> result<std::vector<T>>`.
template <class F>
auto paginate(F fetch) {
    detail::check_fetch<F>();
    return paginate_stream<F>(std::move(fetch));
}

} // namespace rill
