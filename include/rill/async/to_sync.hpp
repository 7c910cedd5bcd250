/// \file
/// `async::to_sync(s)`: an async stream consumed from synchronous code, as a
/// sync rill stream whose every run drives a private io_context.
#pragma once

#include <rill/async/core.hpp>
#include <rill/async/run.hpp>
#include <rill/detail/stream_base.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <utility>

namespace rill::async {

/// The sync stream made by `to_sync(s)`: `collect`, `for`, every sync stage
/// work on it. Each run owns an `asio::io_context` (made when the run is
/// opened) and runs it inside each `next()` until the async cursor's item is
/// there: timers and other awaits of the async stream run then. The run is
/// closed (awaited, on that context) at its end, or by the sync cursor's
/// destructor on an early stop (`stopped_early`) or an exception (`failed`).
template <class S>
class to_sync_stream : public rill::stream_base<to_sync_stream<S>> {
public:
    /// The type of the items' values.
    using value_type = value_t<S>;

    /// Holds the async description.
    explicit to_sync_stream(S s) : s_(std::move(s)) {}

    /// A sync run of the async stream.
    template <class C>
    class cursor {
    public:
        /// The type of the items' values.
        using value_type = typename C::value_type;

        /// Takes the async run and makes its io_context.
        explicit cursor(C c)
            : ctx_(std::make_unique<asio::io_context>()), c_(std::make_unique<C>(std::move(c))),
              uncaught_(std::uncaught_exceptions()) {}
        /// Moves the run.
        cursor(cursor&&) noexcept = default;

        ~cursor() {
            if (c_) finish(std::uncaught_exceptions() > uncaught_ ? exit_case::failed : exit_case::stopped_early);
        }

        /// Awaits the async run's next item on the private io_context.
        item<value_type> next() {
            if (!c_) return std::nullopt;
            auto r = run(*ctx_, c_->next());
            if (!r) finish(exit_case::completed);
            return r;
        }

    private:
        void finish(exit_case how) noexcept {
            try {
                run(*ctx_, detail::close_with(*c_, how));
            } catch (...) { // close() does not throw; the io_context could
            }
            c_.reset(); // before the io_context: its channels and timers use it
        }

        std::unique_ptr<asio::io_context> ctx_;
        std::unique_ptr<C> c_;
        int uncaught_;
    };

    /// Opens a run over a copy of the description.
    template <class Self>
    static auto start(Self&& self) {
        if constexpr (std::is_lvalue_reference_v<Self>) return cursor<cursor_t<const S&>>(self.s_.open());
        else return cursor<cursor_t<S&&>>(std::move(self.s_).open());
    }

private:
    S s_;
};

/// An async stream as a sync rill stream: `rill::collect(async::to_sync(s))`.
template <any_stream S>
auto to_sync(S&& s) {
    return to_sync_stream<std::remove_cvref_t<S>>(std::forward<S>(s));
}

} // namespace rill::async
