/// \file
/// Umbrella header of rill's async layer (CMake target `rill::async`, standalone
/// asio): async streams whose cursors `co_await` their items. See docs/13-async.md.
/// `<rill/rill.hpp>` does not include it (nor asio).
#pragma once

#include <rill/async/channel.hpp>
#include <rill/async/core.hpp>
#include <rill/async/run.hpp>
#include <rill/async/sink/collect.hpp>
#include <rill/async/sink/count.hpp>
#include <rill/async/sink/fold.hpp>
#include <rill/async/sink/for_each.hpp>
#include <rill/async/sink/partition.hpp>
#include <rill/async/sink/to.hpp>
#include <rill/async/sink/try_collect.hpp>
#include <rill/async/source/from.hpp>
#include <rill/async/source/generate.hpp>
#include <rill/async/source/paginate.hpp>
#include <rill/async/stage/and_then.hpp>
#include <rill/async/stage/buffer.hpp>
#include <rill/async/stage/chunk.hpp>
#include <rill/async/stage/concat.hpp>
#include <rill/async/stage/drop.hpp>
#include <rill/async/stage/enumerate.hpp>
#include <rill/async/stage/filter.hpp>
#include <rill/async/stage/map.hpp>
#include <rill/async/stage/map_err.hpp>
#include <rill/async/stage/merge.hpp>
#include <rill/async/stage/named.hpp>
#include <rill/async/stage/offload.hpp>
#include <rill/async/stage/par_map.hpp>
#include <rill/async/stage/recover.hpp>
#include <rill/async/stage/scan.hpp>
#include <rill/async/stage/take.hpp>
#include <rill/async/stage/take_while.hpp>
#include <rill/async/stage/tap.hpp>
#include <rill/async/stage/try_map.hpp>
#include <rill/async/stage/using_resource.hpp>
#include <rill/async/stage/zip.hpp>
#include <rill/async/stream.hpp>
#include <rill/async/time/retry.hpp>
#include <rill/async/time/retrying.hpp>
#include <rill/async/time/sleep.hpp>
#include <rill/async/time/throttle.hpp>
#include <rill/async/time/timeout.hpp>
#include <rill/async/time/with_timeout.hpp>
#include <rill/async/to_sync.hpp>
