/// \file
/// The testing kit for async streams (namespace `rill::async::testing`): the
/// async counterpart of `<rill/testing.hpp>`, whose item, error and function
/// generators, `check_result`, `check_options` and `probe` it reuses. It
/// gives generators of async stream shapes, async forms of the sync kit's
/// functions (`from_fn`, `awaited_fn`, `generated_fn`), law checkers
/// (functor, monad, `try_map == and_then . lift`, replayability) and a
/// resource-safety checker that also cancels the consuming coroutine.
///
/// It needs both standalone asio and RapidCheck, so neither
/// `<rill/testing.hpp>` nor `<rill/async.hpp>` includes it: link
/// `rill::async` and `rill::testing` together. See docs/13-async.md,
/// "Testing async pipelines".
///
///     #include <rill/async/testing.hpp>
///     namespace at = rill::async::testing;
///     auto r = at::check_monad_laws(at::gen_stream_shape<int>(),
///                                   at::gen_from(rill::testing::gen_int_stream_fn()),
///                                   at::gen_awaited(at::gen_from(rill::testing::gen_int_stream_fn())));
///     CHECK_MESSAGE(r, r.report);
#pragma once

#include <rill/async/testing/erased.hpp>
#include <rill/async/testing/functions.hpp>
#include <rill/async/testing/generators.hpp>
#include <rill/async/testing/laws.hpp>
#include <rill/async/testing/resources.hpp>
#include <rill/testing.hpp>
