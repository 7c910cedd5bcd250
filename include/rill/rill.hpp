/// \file
/// The umbrella header: everything in rill except the range-v3 interop
/// (`<rill/ranges.hpp>`) and the testing kit (`<rill/testing.hpp>`).
#pragma once

#include <rill/fwd.hpp>
#include <rill/result.hpp>
#include <rill/concepts.hpp>
#include <rill/pipe.hpp>
#include <rill/run_stop.hpp>
#include <rill/stream.hpp>

#include <rill/source/empty.hpp>
#include <rill/source/from.hpp>
#include <rill/source/generate.hpp>
#include <rill/source/iota.hpp>
#include <rill/source/lines.hpp>
#include <rill/source/of.hpp>
#include <rill/source/paginate.hpp>
#include <rill/source/single.hpp>

#include <rill/stage/and_then.hpp>
#include <rill/stage/catching.hpp>
#include <rill/stage/chunk.hpp>
#include <rill/stage/concat.hpp>
#include <rill/stage/drop.hpp>
#include <rill/stage/enumerate.hpp>
#include <rill/stage/filter.hpp>
#include <rill/stage/lift.hpp>
#include <rill/stage/map.hpp>
#include <rill/stage/map_err.hpp>
#include <rill/stage/named.hpp>
#include <rill/stage/recover.hpp>
#include <rill/stage/scan.hpp>
#include <rill/stage/stop_on.hpp>
#include <rill/stage/take.hpp>
#include <rill/stage/take_while.hpp>
#include <rill/stage/tap.hpp>
#include <rill/stage/try_map.hpp>
#include <rill/stage/using_resource.hpp>
#include <rill/stage/zip.hpp>

#include <rill/sink/collect.hpp>
#include <rill/sink/count.hpp>
#include <rill/sink/error_summary.hpp>
#include <rill/sink/fold.hpp>
#include <rill/sink/for_each.hpp>
#include <rill/sink/partition.hpp>
#include <rill/sink/to.hpp>
#include <rill/sink/try_collect.hpp>

#include <rill/concurrent/buffer.hpp>
#include <rill/concurrent/channel.hpp>
#include <rill/concurrent/merge.hpp>
#include <rill/concurrent/par_map.hpp>
#include <rill/concurrent/timeout.hpp>

#include <rill/time/backoff.hpp>
#include <rill/time/clock.hpp>
#include <rill/time/error_budget.hpp>
#include <rill/time/paginate.hpp>
#include <rill/time/retry.hpp>
#include <rill/time/retry_policy.hpp>
#include <rill/time/retrying.hpp>
#include <rill/time/throttle.hpp>
