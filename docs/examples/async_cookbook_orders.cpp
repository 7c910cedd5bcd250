// Cookbook: an async order pipeline (docs/cookbook/async_order_pipeline.md).
// Everything waits on the virtual clock, so the timestamps are exact.
#include "print.hpp"

#include <rill/async.hpp>
#include <rill/async/testing/virtual_time.hpp>
#include <rill/rill.hpp>

#include <asio/error.hpp>
#include <asio/system_error.hpp>

#include <chrono>
#include <cstddef>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace async = rill::async;
namespace vt = rill::async::testing;

// "what@Nms": N is the virtual time.
std::string at(const std::string& what) {
    return what + "@" + std::to_string(vt::virtual_clock::elapsed() / 1ms) + "ms";
}

// [snippet:fetch]
// GET /orders?page=N: 20 ms a request; three pages of records, then an empty page.
asio::awaitable<rill::result<std::vector<std::string>>> fetch_page(std::size_t page) {
    static const std::vector<std::vector<std::string>> pages{
        {"1001,ada,3", "1002,bob,2", "1003,carol,x"},
        {"1004,mallory,1", "1005,dave,4", "1006,erin,2"},
        {"1007,frank,1", "1008,grace,5", "1009,heidi,2"}};
    vt::virtual_clock clk;
    co_await async::sleep_for(20ms, clk);
    std::cout << at("  fetched page " + std::to_string(page)) << '\n';
    if (page >= pages.size()) co_return std::vector<std::string>{};
    co_return pages[page];
}
// [/snippet:fetch]

// [snippet:by_hand]
// What paginate does, by hand: a stream of pages, flattened lazily by
// and_then (each page's records are given before the next page is fetched).
auto records_by_hand() {
    using page = std::vector<std::string>;
    auto pages = async::generate<page>([](async::yielder<page>& out) -> asio::awaitable<void> {
        for (std::size_t n = 0;; ++n) {
            auto fetched = co_await fetch_page(n);
            if (fetched && fetched->empty()) co_return; // the first empty page ends it
            const bool failed = !fetched;
            if (!co_await out(std::move(fetched)) || failed) co_return; // a failed page is the last item
        }
    });
    return pages | async::and_then([](page p) { return async::from(std::move(p)); });
}
// [/snippet:by_hand]

// [snippet:parse]
struct order {
    int id = 0;
    std::string customer;
    int qty = 0;
};

// "id,customer,qty" -> an order, or an Err naming the bad field.
rill::result<order> parse_order(const std::string& line) {
    const auto a = line.find(','), b = line.rfind(',');
    if (a == std::string::npos || a == b) return rill::err("PARSE", "'" + line + "': expected id,customer,qty");
    const std::string id = line.substr(0, a), qty = line.substr(b + 1);
    auto number = [](const std::string& s) {
        return !s.empty() && s.size() < 9 && s.find_first_not_of("0123456789") == std::string::npos;
    };
    if (!number(id)) return rill::err("PARSE", "'" + line + "': field 'id' is not a number");
    if (!number(qty)) return rill::err("PARSE", "'" + line + "': field 'qty' is not a number");
    return order{std::stoi(id), line.substr(a + 1, b - a - 1), std::stoi(qty)};
}
// [/snippet:parse]

// [snippet:enrich]
// The customer service: 10 ms per item ordered, plus 10 ms. It does not know
// mallory (an Err of that order only), and it answers 503 from its
// `down_from`-th call on (UNAVAILABLE).
// A call cancelled while it waits says so, and rethrows.
auto customer_service(int down_from) {
    auto calls = std::make_shared<int>(0);
    return [calls, down_from](order o) -> asio::awaitable<rill::result<std::string>> {
        const int call = ++*calls;
        vt::virtual_clock clk;
        try {
            co_await async::sleep_for(10ms * (o.qty + 1), clk);
        } catch (const asio::system_error& e) {
            if (e.code() == asio::error::operation_aborted)
                std::cout << at("  call for " + std::to_string(o.id) + " cancelled") << '\n';
            throw;
        }
        if (call >= down_from) co_return rill::err("UNAVAILABLE", "customer service: 503");
        if (o.customer == "mallory") co_return rill::err("NOT_FOUND", "no customer 'mallory'");
        co_return std::to_string(o.id) + " " + o.customer + " x" + std::to_string(o.qty);
    };
}
// [/snippet:enrich]

// [snippet:pipeline]
// The session around the run: opened on the first pull, closed (and told how
// the run ended) when the run ends, stops early or fails.
auto orders(int down_from) {
    auto open = []() -> asio::awaitable<std::string> {
        std::cout << at("  open session") << '\n';
        co_return std::string("session");
    };
    auto close = [](std::string& s, rill::exit_case how) -> asio::awaitable<void> {
        std::cout << at("  close " + s) << " (" << how << ")\n";
        co_return;
    };
    auto enrich = customer_service(down_from);
    return async::using_resource(open, close, [enrich](std::string&) {
        return async::paginate(fetch_page)                                  // records, a page at a time
             | async::try_map(parse_order) | async::named("parse")          // Err items with provenance
             | async::par_map(enrich, {.concurrency = 3})                   // 3 calls at once, in order
             | async::try_map([](rill::result<std::string> r) { return r; }) // flatten the call's result
             | async::named("enrich");
    });
}
// [/snippet:pipeline]

// [snippet:supervise]
// Consumes a run to its end or to the first Err whose code is `fatal`: other
// Err items are reported and the run goes on. close() then cancels the calls
// in flight, awaits them, and closes what the run opened.
asio::awaitable<void> supervise(async::stream<std::string> pipeline, std::string fatal) {
    auto run = pipeline.open();
    auto how = rill::exit_case::completed;
    std::exception_ptr thrown;
    try {
        while (auto item = co_await run.next()) {
            if (*item) {
                std::cout << at("done " + **item) << '\n';
                continue;
            }
            std::cout << at("error " + item->error().code) << ": " << item->error() << '\n';
            if (item->error().code == fatal) {
                how = rill::exit_case::stopped_early;
                break;
            }
        }
    } catch (...) {
        how = rill::exit_case::failed;
        thrown = std::current_exception(); // close the run before passing it on
    }
    co_await run.close(how); // told how the run ended
    std::cout << at("closed") << '\n';
    if (thrown) std::rethrow_exception(thrown);
}
// [/snippet:supervise]

int main() {
    std::cout << "== pages ==\n";
    {
        // [snippet:pages]
        auto records = async::paginate(fetch_page);
        print(vt::run_virtual(async::collect(records | async::take(4)))); // pages 0 and 1 only
        print(vt::run_virtual(async::collect(records_by_hand() | async::take(4))));
        // [/snippet:pages]
    }
    std::cout << "== lazy ==\n";
    {
        // [snippet:lazy]
        auto first = orders(100) | async::take(2); // par_map reads up to 3 orders ahead
        print(vt::run_virtual(async::collect(first)));
        // [/snippet:lazy]
    }
    std::cout << "== all ==\n";
    {
        // [snippet:all]
        auto all = orders(100); // the service stays up
        auto [done, errors] = vt::run_virtual(async::partition(all));
        std::cout << done.size() << " enriched, " << errors.size() << " errors, "
                  << vt::virtual_clock::elapsed() / 1ms << "ms\n";
        for (const auto& e : errors) std::cout << "  " << e << '\n';
        // [/snippet:all]
    }
    std::cout << "== managed ==\n";
    {
        // [snippet:managed]
        auto run = supervise(orders(6), "UNAVAILABLE"); // the service goes down at its 6th call
        vt::run_virtual(std::move(run));
        // [/snippet:managed]
    }
}
