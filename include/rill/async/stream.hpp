/// \file
/// `async::stream<T>`: the type-erased async stream. Any replayable async
/// stream of `result<T>` converts to it; it costs one allocation per run and,
/// per item, one virtual call that hands out the erased cursor's own `next()`.
#pragma once

#include <rill/async/core.hpp>
#include <rill/concepts.hpp> // rill::detail::declares_one_shot

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace rill::async {

/// An async stream of `result<T>` whose pipeline type is hidden, as the sync
/// `rill::stream<T>` is: for function signatures, containers of streams, and
/// `and_then` functions that return different pipelines. A regular type:
/// copies share the (immutable) description, and each `open()` starts a fresh
/// run of it; a default-constructed `stream<T>` has no items. A run's
/// `next()` and `close(exit_case)` go through one virtual call each to the
/// erased cursor's own (the exit case is passed on), so `take(k)` over a
/// `stream<T>` still pulls at most `k` items from the erased pipeline.
template <class T>
class stream {
    struct run_base {
        virtual ~run_base() = default;
        virtual asio::awaitable<item<T>> next() = 0;
        virtual asio::awaitable<void> close(exit_case how) = 0;
    };
    struct description_base {
        virtual ~description_base() = default;
        virtual std::unique_ptr<run_base> open() const = 0;
    };

    template <class C>
    struct run final : run_base {
        explicit run(C c) : cursor(std::move(c)) {}
        // The erased cursor's own awaitables: no coroutine frame of their own.
        asio::awaitable<item<T>> next() override { return cursor.next(); }
        asio::awaitable<void> close(exit_case how) override { return detail::close_with(cursor, how); }
        C cursor;
    };

    template <class S>
    struct description final : description_base {
        explicit description(S s) : stream(std::move(s)) {}
        std::unique_ptr<run_base> open() const override { return std::make_unique<run<cursor_t<const S&>>>(stream.open()); }
        S stream;
    };

public:
    /// The type of the items' values.
    using value_type = T;

    /// A run of an erased stream: owns the erased run (on the heap).
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = T;

        /// The run of a stream with no items.
        cursor() = default;
        /// Takes an erased run; made by `stream::open`.
        explicit cursor(std::unique_ptr<run_base> r) noexcept : run_(std::move(r)) {}

        /// The next item of the erased run.
        asio::awaitable<item<T>> next() {
            if (run_) return run_->next();
            return no_item();
        }

        /// Closes the erased run (passing `how` on) and frees it; idempotent.
        asio::awaitable<void> close(exit_case how = exit_case::stopped_early) {
            if (!run_) co_return;
            co_await run_->close(how);
            run_.reset();
        }

    private:
        static asio::awaitable<item<T>> no_item() { co_return std::nullopt; }

        std::unique_ptr<run_base> run_;
    };

    /// The stream with no items.
    stream() = default;

    /// Erases any replayable async stream of `result<T>` (implicit, like `std::function`).
    template <class S>
        requires(!std::is_same_v<std::remove_cvref_t<S>, stream> && any_stream<S> &&
                 std::is_same_v<value_t<S>, T>)
    stream(S&& s) // NOLINT: implicit
        : description_(make(std::forward<S>(s))) {}

    /// Opens a run: one allocation (the erased run); nothing else happens.
    cursor open() const { return description_ ? cursor(description_->open()) : cursor(); }

private:
    template <class S>
    static std::shared_ptr<const description_base> make(S&& s) {
        using D = std::remove_cvref_t<S>;
        static_assert(std::is_copy_constructible_v<D> && detail::opens<const D&>,
                      "rill::async::stream<T>: only a replayable stream can be erased (copyable, and opened "
                      "through a const reference): a stream<T> may be run many times.");
        static_assert(!rill::detail::declares_one_shot<D>,
                      "rill::async::stream<T>: this stream is one-shot (a channel's stream, say): a stream<T> "
                      "may be run many times.");
        return std::make_shared<const description<D>>(std::forward<S>(s));
    }

    std::shared_ptr<const description_base> description_;
};

} // namespace rill::async
