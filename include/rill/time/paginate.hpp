/// \file
/// `paginate(fetch, policy[, clock])`: `paginate(fetch)` whose failed page is
/// retried in place. Apart from the core `source/paginate.hpp` so that the
/// core headers do not pay for the clock and its threading headers.
#pragma once

#include <rill/source/paginate.hpp>
#include <rill/time/clock.hpp>
#include <rill/time/retry_policy.hpp>
#include <rill/time/retrying.hpp>

#include <utility>

namespace rill {

/// `paginate(fetch)` whose failed page fetch is retried in place, as
/// `rill::retrying(policy, fetch, clk)` does: the run resumes at the page that
/// failed, not at page 0, and each page gets the policy's attempts and time
/// anew. When the policy gives up, the page's last Err ends the run as without
/// a policy (" (after N attempts)" appended to its message when N > 1).
/// Throws `std::invalid_argument` when the policy is out of range.
template <class F, clock Clock = real_clock>
auto paginate(F fetch, retry_policy policy, Clock clk = {}) {
    detail::check_fetch<F>();
    policy.validate("rill::paginate");
    using G = detail::retrying_function<F, Clock>;
    return paginate_stream<G>(G(std::move(policy), std::move(fetch), std::move(clk)));
}

} // namespace rill
