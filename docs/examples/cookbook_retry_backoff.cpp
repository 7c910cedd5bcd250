// Cookbook: retry with exponential backoff around a flaky call
// (docs/cookbook/retry_backoff.md).
#include <rill/rill.hpp>
#include <rill/testing/manual_clock.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

// [snippet:service]
// A stand-in for a remote price service: "unavailable" is a transient
// failure, "not_found" a permanent one. It logs every call with the time.
template <class Clock>
struct price_service {
    Clock clock;
    bool log = true;
    // Calls so far per symbol, shared by the copies of the service.
    std::shared_ptr<std::map<std::string, int>> calls = std::make_shared<std::map<std::string, int>>();

    static std::string answer(const std::string& symbol, int call) {
        if (symbol == "ACME") return call < 2 ? "unavailable" : "ok"; // recovers on the third call
        if (symbol == "CORE") return "unavailable";                    // never recovers
        if (symbol == "DUSK") return "not_found";                      // another attempt cannot help
        return "ok";
    }

    rill::result<int> price(const std::string& symbol) const {
        const std::string a = answer(symbol, (*calls)[symbol]++);
        if (log) std::cout << "  t=" << clock.now().time_since_epoch() / 1ms << "ms GET /price/" << symbol << " -> " << a << '\n';
        if (a == "ok") return 100 + static_cast<int>(symbol[0]);
        return rill::err(a, "GET /price/" + symbol);
    }
};
// [/snippet:service]

// [snippet:pipeline]
// The policy: 4 attempts, waiting 100ms, 200ms, 400ms between them, and
// only for Errs that another attempt can fix.
const rill::retry_policy transient{
    .max_attempts = 4,
    .backoff = rill::backoff::exponential(100ms, 2s),
    .retry_if = rill::retry_on({"unavailable", "timeout"}),
};

// The prices of `symbols`, each lookup retried on its own. The clock is a
// parameter only so that the program below can pass a manual one: production
// code calls prices(symbols, service) and sleeps in real time.
template <class Clock = rill::real_clock>
auto prices(std::vector<std::string> symbols, price_service<Clock> service, Clock clock = {}) {
    return rill::from(std::move(symbols))
         | rill::try_map(rill::retrying(
               transient, [service](const std::string& s) { return service.price(s); }, clock))
         | rill::named("prices");
}
// [/snippet:pipeline]

void print_sleeps(const rill::testing::manual_clock& clock) {
    std::cout << "slept:";
    for (auto d : clock.sleeps()) std::cout << ' ' << d / 1ms << "ms";
    std::cout << " (clock at " << clock.elapsed() / 1ms << "ms)\n";
}

int main() {
    std::cout << "== retrying ==\n";
    {
        // [snippet:retrying]
        rill::testing::manual_clock clock; // sleeps move it at once, and are recorded
        price_service<rill::testing::manual_clock> service{clock};
        for (const rill::result<int>& r : prices({"ACME", "BOLT", "CORE", "DUSK"}, service, clock)) {
            if (r) std::cout << "price " << *r << '\n';
            else std::cout << "failed: " << r.error() << '\n';
        }
        print_sleeps(clock);
        // [/snippet:retrying]
    }

    std::cout << "== max_elapsed ==\n";
    {
        // [snippet:max_elapsed]
        // A deadline for the whole retry sequence of one item: no retry starts
        // whose backoff would end more than 500ms after the first attempt.
        rill::testing::manual_clock clock;
        price_service<rill::testing::manual_clock> service{clock};
        rill::retry_policy policy = transient;
        policy.max_attempts = 10;
        policy.max_elapsed = 500ms;
        auto lookup = [service](const std::string& s) { return service.price(s); };
        for (const auto& r : rill::from(std::vector<std::string>{"CORE"}) |
                                 rill::try_map(rill::retrying(policy, lookup, clock)))
            std::cout << "failed: " << r.error() << '\n';
        print_sleeps(clock);
        // [/snippet:max_elapsed]
    }

    std::cout << "== jitter ==\n";
    {
        // [snippet:jitter]
        // Jitter cuts each delay by up to the given fraction, drawn from a
        // generator seeded by `seed`: a seed gives the same schedule every time.
        for (std::uint64_t seed : {7, 8}) {
            const rill::backoff spread{.initial = 100ms, .multiplier = 2, .max = 2s, .jitter = 0.5, .seed = seed};
            std::cout << "seed " << seed << ":";
            for (std::size_t k = 1; k <= 4; ++k) std::cout << ' ' << spread.delay(k) / 1ms << "ms";
            std::cout << '\n';
        }
        // [/snippet:jitter]
    }

    std::cout << "== retry ==\n";
    {
        // [snippet:retry]
        // A feed read as a whole: its first run loses the connection after two
        // quotes. `retry` runs it again from the start and skips what the
        // consumer already has.
        rill::testing::manual_clock clock;
        auto runs = std::make_shared<int>(0);
        auto feed = rill::generate([runs]() -> rill::generator<std::string> {
            const int run = ++*runs;
            std::cout << "  run " << run << " connects\n";
            co_yield std::string("ACME 165");
            co_yield std::string("BOLT 166");
            if (run == 1) co_yield rill::err("unavailable", "connection reset");
            co_yield std::string("CORE 167");
        });
        for (const auto& r : feed | rill::retry(transient, clock)) std::cout << "quote " << *r << '\n';
        print_sleeps(clock);
        // [/snippet:retry]
    }

    std::cout << "== production ==\n";
    {
        // [snippet:production]
        // No clock argument: real time. Nothing fails here, so nothing sleeps.
        price_service<rill::real_clock> service{.clock = {}, .log = false};
        const auto all = rill::try_collect(prices({"BOLT"}, service));
        std::cout << "price " << all->front() << '\n';
        // [/snippet:production]
    }
}
