/// \file
/// `erased_stream<T>`: the testing kit's type-erased async stream, so that
/// generated shapes, generated functions and stacked stages of varying types
/// have one type. A run costs one allocation and a virtual call per `next()`.
/// (The async layer has no public type-erased stream yet; this one is for the
/// kit and for tests.)
#pragma once

#include <rill/async/core.hpp>

#include <concepts>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill::async::testing {

/// An async stream of `result<T>` of any pipeline type: copies share the
/// description (immutable); every `open()` starts a run of it. A
/// default-constructed one has no items.
template <class T>
class erased_stream {
    struct cursor_base {
        virtual ~cursor_base() = default;
        virtual asio::awaitable<item<T>> next() = 0;
        virtual asio::awaitable<void> close(exit_case how) = 0;
    };

    template <class C>
    struct cursor_model final : cursor_base {
        explicit cursor_model(C c) : c_(std::move(c)) {}
        asio::awaitable<item<T>> next() override { return c_.next(); }
        asio::awaitable<void> close(exit_case how) override { return async::detail::close_with(c_, how); }
        C c_;
    };

    struct model_base {
        virtual ~model_base() = default;
        virtual std::unique_ptr<cursor_base> open() const = 0;
    };

    template <class S>
    struct model final : model_base {
        explicit model(S s) : s_(std::move(s)) {}
        std::unique_ptr<cursor_base> open() const override {
            return std::make_unique<cursor_model<cursor_t<const S&>>>(s_.open());
        }
        S s_;
    };

public:
    /// The type of the items' values.
    using value_type = T;

    /// The stream with no items.
    erased_stream() = default;

    /// Erases any async stream of `result<T>` (copied or moved in).
    template <class S>
        requires(!std::same_as<std::remove_cvref_t<S>, erased_stream> && async::any_stream<S> &&
                 std::same_as<value_t<S>, T>)
    erased_stream(S&& s) // NOLINT: implicit, as rill::stream<T> is
        : m_(std::make_shared<const model<std::remove_cvref_t<S>>>(std::forward<S>(s))) {}

    /// A run of the erased stream.
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = T;

        /// Wraps a run (none: a run without items).
        explicit cursor(std::unique_ptr<cursor_base> c) : c_(std::move(c)) {}

        /// The next item of the run.
        asio::awaitable<item<T>> next() { return c_ ? c_->next() : nothing(); }

        /// Closes the run, passing on how it ended.
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            return c_ ? c_->close(how) : nothing_to_close();
        }

    private:
        static asio::awaitable<item<T>> nothing() { co_return std::nullopt; }
        static asio::awaitable<void> nothing_to_close() { co_return; }

        std::unique_ptr<cursor_base> c_;
    };

    /// Starts a run.
    cursor open() const { return cursor(m_ ? m_->open() : nullptr); }

private:
    std::shared_ptr<const model_base> m_{};
};

/// `erased_stream<value_t<S>>` of `s`.
template <class S>
    requires async::any_stream<S>
erased_stream<value_t<S>> erase(S&& s) {
    return erased_stream<value_t<S>>(std::forward<S>(s));
}

} // namespace rill::async::testing
