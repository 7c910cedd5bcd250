/// \file
/// The calling thread's run stop token as the core sees it: an opaque slot
/// that `rill/run_stop.hpp` fills, so that the core headers can ask whether
/// the run is stopping without including `<stop_token>`.
#pragma once

namespace rill::detail {

/// Where the calling thread's run stop token is (null: none) and how to ask it.
struct stop_slot {
    const void* token = nullptr;
    bool (*requested)(const void*) noexcept = nullptr;
};

/// One per thread; constant-initialised, so reading it costs one load.
inline thread_local stop_slot current_stop_slot{};

/// Whether the run the calling thread works for has been asked to stop.
inline bool run_stopping() noexcept {
    const stop_slot s = current_stop_slot;
    return s.requested != nullptr && s.requested(s.token);
}

} // namespace rill::detail
