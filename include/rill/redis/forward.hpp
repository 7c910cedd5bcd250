/// \file
/// `rill::redis::forward(in, f, out, to_fields)`: consume, transform and
/// produce on one Redis server: the outputs of a batch are written in the same
/// MULTI/EXEC as the acknowledgement of its inputs.
#pragma once

#include <rill/redis/config.hpp>
#include <rill/redis/consume.hpp>
#include <rill/redis/detail/group_stream.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace rill::redis {
namespace detail {

struct forward_fn {
    template <class F, class G>
    auto operator()(group_config in, F f, producer_config out, G to_fields, consume_options opts = {}) const {
        check_entry_function<F>("rill::redis::forward");
        static_assert(std::is_invocable_r_v<fields, const G&, const entry_value_t<F>&>,
                      "rill::redis::forward: to_fields must be callable as to_fields(const U&) -> rill::redis::fields, "
                      "where U is the value type of f's result.");
        in.validate("rill::redis::forward");
        out.validate("rill::redis::forward");
        opts.validate("rill::redis::forward");
        if (out.server.host != in.server.host || out.server.port != in.server.port)
            throw std::invalid_argument("rill::redis::forward: producer_config.server must be the server of the group "
                                        "(one MULTI/EXEC writes the outputs and acknowledges the inputs)");
        if (out.stream == in.stream)
            throw std::invalid_argument("rill::redis::forward: producer_config.stream must differ from the input stream");
        return group_stream<F, to_stream<G>>(std::move(in), std::move(f), to_stream<G>{std::move(out), std::move(to_fields)},
                                             opts);
    }
};

} // namespace detail

/// As `consume(in, f, opts)`, and each Ok value `u` is also written to
/// `out.stream` as `to_fields(u)`, in the MULTI/EXEC that acknowledges its
/// batch: the outputs and the acknowledgement happen together or not at all
/// (a batch redelivered after a crash writes its outputs again: at least once).
/// `out.server` must be `in.server`. One-shot, as `consume`.
inline constexpr detail::forward_fn forward{};

} // namespace rill::redis
