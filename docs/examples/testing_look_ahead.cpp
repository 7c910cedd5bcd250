// check_resource_safety on pipelines that look ahead (par_map, buffer), and
// where the throw-injecting guard goes relative to rill::catching.
// Run by CTest (docs.testing_look_ahead).
#include <rill/rill.hpp>
#include <rill/testing.hpp>

#include <iostream>
#include <string>

namespace {
rill::result<int> parse_quantity(int raw) {
    if (raw < 0) return rill::err("NEGATIVE", std::to_string(raw));
    return raw % 1000;
}
int price(int quantity) { return quantity * 3 + 1; }
} // namespace

int main() {
    namespace rt = rill::testing;
    const rt::check_options options{.cases = 200};

    std::cout << "== look_ahead ==\n";
    // [snippet:look_ahead]
    // The user's pipeline reads ahead on a producer thread (buffer) and prices
    // on four workers (par_map): both run ahead of the consumer, so an injected
    // exception from work the consumer never reaches may be dropped.
    const rt::check_result prefetching = rt::check_resource_safety(
        [](rt::probe& p) {
            return rill::using_resource(p.acquire("orders.db"), p.release(),
                                        [p](rt::tracked_resource&) {
                                            return rill::iota(-3, 40) | rill::try_map(p.guard(parse_quantity));
                                        }) |
                   rill::buffer(8) | rill::par_map(p.guard(price), {.workers = 4});
        },
        options, rt::resource_options{.look_ahead = true});
    std::cout << "prefetching orders pipeline: " << prefetching << '\n';
    // [/snippet:look_ahead]

    std::cout << "== guard_and_catching ==\n";
    // [snippet:guard_and_catching]
    // guard inside catching: catching turns the injected exception into an Err
    // item, so the consumer never sees it and the checker reports that.
    const rt::check_result guard_inside = rt::check_resource_safety(
        [](rt::probe& p) {
            return rill::using_resource(p.acquire("file"), p.release(), [p](rt::tracked_resource&) {
                return rill::iota(-3, 10) | rill::try_map(rill::catching(p.guard(parse_quantity)));
            });
        },
        options);
    std::cout << "catching(guard(f)): "
              << (guard_inside.report.find("0 reached the consumer") != std::string::npos ? "fails: the exception became an Err item"
                                                                                           : "?")
              << '\n';

    // catching inside guard: the injected exception propagates (after the
    // resource is released), while f's own exceptions still become Err items.
    const rt::check_result guard_outside = rt::check_resource_safety(
        [](rt::probe& p) {
            return rill::using_resource(p.acquire("file"), p.release(), [p](rt::tracked_resource&) {
                return rill::iota(-3, 10) | rill::try_map(p.guard(rill::catching(parse_quantity)));
            });
        },
        options);
    std::cout << "guard(catching(f)): " << guard_outside << '\n';
    // [/snippet:guard_and_catching]
    return prefetching && !guard_inside && guard_outside ? 0 : 1;
}
