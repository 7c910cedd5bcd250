/// \file
/// `async::paginate(fetch)`: items of pages fetched one at a time with an
/// awaitable (or plain) `fetch(page) -> result<std::vector<T>>`.
#pragma once

#include <rill/async/core.hpp>

#include <cstddef>
#include <functional>
#include <type_traits>
#include <utility>

namespace rill::async {

/// Calls `fetch(0)`, `fetch(1)`, ... lazily, one page when the previous one is
/// used up, and yields the items of each page; stops at the first empty page.
/// A failed page yields its Err (with the page index in its provenance) and ends the run.
template <class F>
class paginate_stream {
    using page = unwrap_result_t<detail::call_t<F, std::size_t>>;

public:
    /// The type of the items' values.
    using value_type = typename page::value_type;

    /// Holds the description.
    explicit paginate_stream(F f) : f_(std::move(f)) {}

    /// A run: the page in hand and the index of the next one.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = paginate_stream::value_type;

        /// Takes a copy of `fetch` for the run.
        explicit cursor(F f) : f_(std::move(f)) {}

        /// The next item, fetching the next page when the one in hand is used up.
        asio::awaitable<item<value_type>> next() {
            while (pos_ == items_.size()) {
                if (done_) co_return std::nullopt;
                result<page> fetched = co_await fetch();
                if (!fetched.has_value()) [[unlikely]] {
                    done_ = true;
                    co_return detail::fail_at<value_type>(std::move(fetched.error()), "paginate", page_);
                }
                ++page_;
                items_ = std::move(*fetched);
                pos_ = 0;
                if (items_.empty()) done_ = true;
            }
            co_return detail::ok<value_type>(std::move(items_[pos_++]));
        }

        /// Drops the page in hand.
        asio::awaitable<void> close(exit_case = exit_case::stopped_early) {
            done_ = true;
            items_ = page();
            pos_ = 0;
            co_return;
        }

    private:
        asio::awaitable<result<page>> fetch() {
            if constexpr (detail::returns_awaitable<F, std::size_t>) co_return co_await std::invoke(f_, page_);
            else co_return std::invoke(f_, page_);
        }

        F f_;
        page items_{};
        std::size_t pos_ = 0;
        std::size_t page_ = 0;
        bool done_ = false;
    };

    /// Opens a run over a copy of `fetch`.
    cursor open() const& { return cursor(f_); }
    /// Opens a run that takes `fetch`.
    cursor open() && { return cursor(std::move(f_)); }

private:
    F f_;
};

/// A stream over the pages `fetch(0)`, `fetch(1)`, ... where
/// `fetch(std::size_t page) -> asio::awaitable<result<std::vector<T>>>` (or a plain `result<std::vector<T>>`).
template <class F>
auto paginate(F fetch) {
    static_assert(std::is_invocable_v<F&, std::size_t>,
                  "rill::async::paginate: fetch must be callable with a page index (std::size_t).");
    static_assert(is_result_v<detail::call_t<F, std::size_t>>,
                  "rill::async::paginate: fetch must return result<std::vector<T>> or an awaitable of one.");
    return paginate_stream<F>(std::move(fetch));
}

} // namespace rill::async
