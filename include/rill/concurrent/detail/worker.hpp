/// \file
/// Internals shared by the concurrent operators: stopping and joining a run's
/// threads so that none outlives the cursor that started it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace rill::detail {

/// Asks `t` to stop and wakes it wherever it waits on `cvs` (each guarded by
/// `m`). Taking `m` between the request and the notification closes the window
/// in which a thread has checked its stop token but not yet started to wait.
template <class... Cv>
void request_stop(std::jthread& t, std::mutex& m, Cv&... cvs) noexcept {
    if (!t.joinable()) return;
    t.request_stop();
    { std::lock_guard g(m); }
    (cvs.notify_all(), ...);
}

/// Throws `std::invalid_argument` with `message` unless `ok`: the concurrent
/// operators validate their arguments when the description is built, never at
/// run time (a bad argument is an error, not a hang).
inline void require(bool ok, const char* message) {
    if (!ok) throw std::invalid_argument(message);
}

} // namespace rill::detail
