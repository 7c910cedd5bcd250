/// \file
/// `rill::redis::consume(config, f, opts)`: a one-shot stream over a Redis
/// consumer group that applies `f` to each entry and acknowledges a batch only
/// once all of its items have been handed on. See docs/12-scaling-out.md.
#pragma once

#include <rill/redis/config.hpp>
#include <rill/redis/detail/group_stream.hpp>

#include <type_traits>
#include <utility>

namespace rill::redis {
namespace detail {

template <class F>
void check_entry_function(const char* who) {
    static_assert(std::is_invocable_v<const F&, const entry&>,
                  "rill::redis: the function must be callable as f(const rill::redis::entry&) (and const: with "
                  "consume_options::workers > 1 it runs on several threads at once).");
    if constexpr (std::is_invocable_v<const F&, const entry&>) {
        static_assert(!std::is_void_v<std::invoke_result_t<const F&, const entry&>>,
                      "rill::redis: the function must return a value U or a rill::result<U>, not void (return the "
                      "entry's ID, or rill::result<bool>, if there is nothing else to hand on).");
    }
    (void)who;
}

struct consume_fn {
    template <class F>
    auto operator()(group_config cfg, F f, consume_options opts = {}) const {
        check_entry_function<F>("rill::redis::consume");
        cfg.validate("rill::redis::consume");
        opts.validate("rill::redis::consume");
        return group_stream<F, no_output>(std::move(cfg), std::move(f), no_output{}, opts);
    }
};

} // namespace detail

/// A one-shot stream of `f(entry)` over the consumer group `cfg`: `f` returns
/// `result<U>` or `U`. Batches of up to `cfg.count` entries are read (own
/// pending entries first, then entries idle past `cfg.claim_timeout` in dead
/// consumers, then new ones); each batch is acknowledged (XACK) when the item
/// after its last one is pulled, in the same MULTI/EXEC as the dead-letter
/// writes of its Err items. An exception or an early stop leaves the batch
/// pending, to be delivered again. Throws `std::invalid_argument` naming the
/// field for a bad configuration.
inline constexpr detail::consume_fn consume{};

} // namespace rill::redis
