/// \file
/// The generators of the laws are the public kit's (rill/testing.hpp); this
/// header adds the shorthands the property files share.
#pragma once

#include <rill/testing.hpp>

#include <rill/source/iota.hpp>
#include <rill/source/of.hpp>
#include <rill/stage/scan.hpp>

#include <rapidcheck.h>

#include <vector>

namespace rill_properties {

namespace rt = rill::testing;

/// The items of a stream: Ok ints with Err items interleaved anywhere.
inline rc::Gen<std::vector<rill::result<int>>> result_ints() { return rt::gen_items<int>(); }

/// Stream shapes over ints (a counterexample shows the shape and its items).
inline rc::Gen<rt::stream_shape<int>> shapes() { return rt::gen_stream_shape<int>(); }

/// Templated streams: `from(items)` without erasure.
inline auto templated_streams() {
    return rc::gen::map(result_ints(), [](std::vector<rill::result<int>> xs) { return rill::from(std::move(xs)); });
}

} // namespace rill_properties
