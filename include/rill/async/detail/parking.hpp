/// \file
/// A place where one coroutine waits until another one on the same executor
/// wakes it: the hand-off between a `generate` body and its consumer, without
/// a channel (a channel completes every operation through the event loop's
/// queue; waking a parked coroutine inline costs a function call).
#pragma once

#include <rill/async/asio.hpp>

#include <optional>
#include <system_error>
#include <utility>

namespace rill::async::detail {

/// One parked coroutine at a time. `wait()` parks the awaiting coroutine;
/// `wake_now()` resumes it inside the call, on the caller's thread, until it
/// next suspends; `wake_later()` posts its resumption to its executor. A
/// cancellation of the parked coroutine (its cancellation slot) ends the wait
/// with `operation_aborted`.
///
/// `wake_now()` must be called from a coroutine of the same executor, and
/// never from the coroutine that `wake_now()` itself resumed (that would nest
/// resumptions without bound): use `wake_later()` there.
class parking {
public:
    parking() = default;
    parking(const parking&) = delete;
    parking& operator=(const parking&) = delete;

    /// Parks the awaiting coroutine until it is woken or cancelled.
    asio::awaitable<void> wait() {
        return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::error_code)>(
            [this](handler h) { park(std::move(h)); }, asio::use_awaitable);
    }

    /// True while a coroutine is parked here.
    bool parked() const noexcept { return parked_.has_value(); }

    /// Resumes the parked coroutine now, inside this call.
    void wake_now() {
        handler h = take();
        std::move(h)(std::error_code());
    }

    /// Resumes the parked coroutine from its executor's queue.
    void wake_later() { complete_later(std::error_code()); }

private:
    using handler = asio::async_result<asio::use_awaitable_t<>, void(std::error_code)>::handler_type;

    void park(handler h) {
        auto slot = asio::get_associated_cancellation_slot(h);
        parked_.emplace(std::move(h));
        // Cleared by the handler when it completes, however it completes.
        if (slot.is_connected())
            slot.assign([this](asio::cancellation_type type) {
                if (type != asio::cancellation_type::none && parked_)
                    complete_later(std::error_code(asio::error::operation_aborted));
            });
    }

    handler take() {
        handler h = std::move(*parked_);
        parked_.reset();
        return h;
    }

    void complete_later(std::error_code ec) {
        handler h = take();
        auto ex = asio::get_associated_executor(h);
        asio::post(ex, [h = std::move(h), ec]() mutable { std::move(h)(ec); });
    }

    std::optional<handler> parked_;
};

} // namespace rill::async::detail
