/// \file
/// The parts of standalone asio (>= 1.22, Debian `libasio-dev`) that rill's
/// async layer uses, included in one place.
///
/// clang 14 with libstdc++ needs `ASIO_HAS_CO_AWAIT=1` defined before asio is
/// first included (asio looks for `<experimental/coroutine>` there): the CMake
/// target `rill::async` defines it. A `#define` here would come too late for a
/// program that included asio first, so this header only checks.
#pragma once

#include <asio/awaitable.hpp>

#if !defined(ASIO_HAS_CO_AWAIT)
#error "rill/async: asio was configured without co_await. Link the CMake target rill::async, or define ASIO_HAS_CO_AWAIT=1 (clang with libstdc++) before including asio."
#endif

#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/channel.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
