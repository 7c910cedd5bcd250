// Testing async pipelines with the async kit: the laws over your own awaitable
// functions, and the resource safety of your own async pipeline under early
// stops, exceptions and cancellation. Run by CTest (docs.async_testing_laws).
#include <rill/async.hpp>
#include <rill/async/testing.hpp>
#include <rill/rill.hpp>

#include <iostream>
#include <string>

namespace async = rill::async;

// [snippet:functions]
// Stands for a request to a server: a round trip through the event loop.
asio::awaitable<void> round_trip() {
    auto ex = co_await asio::this_coro::executor;
    co_await asio::post(ex, asio::use_awaitable);
}

// The user's own async functions: the orders of a customer (a request, then
// a stream of order ids, or an Err for a closed account), and an order's price.
asio::awaitable<async::from_stream<rill::stream<int>>> orders_of(int customer) {
    co_await round_trip();
    if (customer % 5 == 0) {
        rill::err_info closed{"CLOSED", std::to_string(customer)};
        co_return async::from(rill::stream<int>(rill::failed<int>(closed)));
    }
    const int first = customer % 100'000 * 10; // any int: no overflow
    co_return async::from(rill::stream<int>(rill::iota(first, first + 2)));
}

asio::awaitable<rill::result<int>> price(int order) {
    co_await round_trip();
    if (order % 7 == 0) co_return rill::err("NO_PRICE", std::to_string(order));
    co_return order % 100'000 * 3;
}
// [/snippet:functions]

int main() {
    namespace at = rill::async::testing;
    const at::check_options options{.cases = 200}; // default: 1000, or RILL_PROPERTY_CASES

    std::cout << "== laws ==\n";
    // [snippet:laws]
    // Async streams of many shapes (Err items anywhere, waits between items)
    // and the user's awaitable functions.
    const auto streams = at::gen_stream_shape<int>();
    const auto orders = rc::gen::just(orders_of);

    const at::check_result monad = at::check_monad_laws(streams, orders, orders, options);
    const at::check_result lift = at::check_try_map_is_and_then_lift(streams, rc::gen::just(price), options);
    const at::check_result replay = at::check_replayability(streams, options);
    std::cout << "and_then(orders_of): " << monad << '\n';
    std::cout << "try_map(price): " << lift << '\n';
    std::cout << "generated shapes: " << replay << '\n';
    // [/snippet:laws]

    std::cout << "== resources ==\n";
    // [snippet:resources]
    // The user's pipeline, built with the probe's awaitable acquire and
    // release and guarded functions (one of them throws in some runs), stopped
    // early and cancelled at random.
    const at::check_result safety = at::check_resource_safety(
        [](at::probe& p) {
            return async::using_resource(at::acquire_async(p, "orders.db"), at::release_async(),
                                         [p](at::tracked_resource&) {
                                             return async::iota(1, 12) | async::and_then(p.guard(orders_of));
                                         }) |
                   async::try_map(p.guard(price));
        },
        options);
    std::cout << "orders pipeline: " << safety << '\n';
    // [/snippet:resources]

    if (!monad || !lift || !replay || !safety) {
        std::cerr << monad.report << lift.report << replay.report << safety.report;
        return 1;
    }
}
