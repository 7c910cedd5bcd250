// The examples of docs/09-time.md: retry policies and their three scopes,
// throttling, error budgets, and testing them with a manual clock.
#include "print.hpp"

#include <rill/rill.hpp>
#include <rill/testing/manual_clock.hpp>

#include <chrono>
#include <cstddef>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;

// Prints the sleeps a manual clock recorded, in milliseconds.
void print_sleeps(const rill::testing::manual_clock& clk) {
    std::cout << "slept:";
    for (auto d : clk.sleeps()) std::cout << ' ' << d / 1ms << "ms";
    std::cout << '\n';
}

int main() {
    std::cout << "== policy ==\n";
    {
        // [snippet:policy]
        rill::retry_policy policy{
            .max_attempts = 5,
            .backoff = {.initial = 10ms, .multiplier = 2, .max = 50ms},
            .max_elapsed = 1s,
            .retry_if = rill::retry_on({"timeout", "unavailable"}),
        };
        for (std::size_t k = 1; k < policy.max_attempts; ++k)
            std::cout << "retry " << k << " after " << policy.backoff.delay(k) / 1ms << "ms\n";
        // [/snippet:policy]
    }

    std::cout << "== retrying ==\n";
    {
        // [snippet:retrying]
        rill::testing::manual_clock clk; // time moves only when told: no real sleep
        auto calls = std::make_shared<std::map<int, int>>();
        // Fails with "timeout" on the first two calls for each even id.
        auto lookup = [calls](int id) -> rill::result<std::string> {
            if (id % 2 == 0 && ++(*calls)[id] <= 2) return rill::err("timeout", "no answer for " + std::to_string(id));
            return "user" + std::to_string(id);
        };
        auto users = rill::of(1, 2, 3)
                   | rill::try_map(rill::retrying({.max_attempts = 3}, lookup, clk));
        print(users);
        print_sleeps(clk);

        auto never = [](int id) -> rill::result<std::string> { return rill::err("timeout", "no answer for " + std::to_string(id)); };
        print(rill::of(7) | rill::try_map(rill::retrying({.max_attempts = 3}, never, clk)));
        // [/snippet:retrying]
    }

    std::cout << "== retry ==\n";
    {
        // [snippet:retry]
        rill::testing::manual_clock clk;
        auto runs = std::make_shared<int>(0);
        // The first run breaks after two items; the second run gets through.
        auto feed = rill::generate([runs]() -> rill::generator<int> {
            const bool flaky = (*runs)++ == 0;
            co_yield 1;
            co_yield 2;
            if (flaky) co_yield rill::err("unavailable", "connection reset");
            co_yield 3;
        });
        print(feed | rill::retry({.backoff = rill::backoff::constant(250ms)}, clk));
        std::cout << "runs: " << *runs << '\n';
        print_sleeps(clk);
        // [/snippet:retry]
    }

    std::cout << "== paginate ==\n";
    {
        // [snippet:paginate]
        rill::testing::manual_clock clk;
        auto fetched = std::make_shared<std::vector<std::size_t>>();
        auto failed_once = std::make_shared<bool>(false);
        auto fetch = [fetched, failed_once](std::size_t page) -> rill::result<std::vector<int>> {
            fetched->push_back(page);
            if (page == 2 && !*failed_once) {
                *failed_once = true;
                return rill::err("timeout", "page 2 timed out");
            }
            if (page == 3) return std::vector<int>{};
            return std::vector<int>{int(page) * 10, int(page) * 10 + 1};
        };
        print(rill::paginate(fetch, {.backoff = rill::backoff::constant(1s)}, clk));
        std::cout << "pages fetched:";
        for (auto p : *fetched) std::cout << ' ' << p;
        std::cout << '\n';
        // [/snippet:paginate]
    }

    std::cout << "== throttle ==\n";
    {
        // [snippet:throttle]
        rill::testing::manual_clock clk;
        auto sent_at = rill::iota(0, 6)
                     | rill::throttle(10, 3, clk) // 10 items per second, bursts of up to 3
                     | rill::map([clk](int i) { return std::to_string(i) + "@" + std::to_string(clk.elapsed() / 1ms) + "ms"; });
        print(sent_at);
        // [/snippet:throttle]
    }

    std::cout << "== error_budget ==\n";
    {
        // [snippet:error_budget]
        auto parse = [](std::string s) -> rill::result<int> {
            if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
                return rill::err("PARSE", "not a number: " + s);
            return std::stoi(s);
        };
        auto lines = rill::of(std::string("1"), std::string("x"), std::string("3"), std::string("-"), std::string("5"),
                              std::string("?"), std::string("7"));
        print(lines | rill::try_map(parse) | rill::error_budget({.max_errors = 3}));
        print(lines | rill::try_map(parse) | rill::error_budget({.max_rate = 0.25, .window = 4}));
        // [/snippet:error_budget]
    }

    std::cout << "== manual_clock ==\n";
    {
        // [snippet:manual_clock]
        rill::testing::manual_clock clk;
        auto attempts = std::make_shared<int>(0);
        auto flaky = [attempts](int x) -> rill::result<int> {
            if (++*attempts < 4) return rill::err("timeout", "slow");
            return x;
        };
        auto s = rill::of(42) | rill::try_map(rill::retrying({.max_attempts = 4}, flaky, clk));
        print(s);
        // The schedule a test checks, without having slept:
        print_sleeps(clk);
        std::cout << "clock at " << clk.elapsed() / 1ms << "ms\n";
        // [/snippet:manual_clock]
    }
}
