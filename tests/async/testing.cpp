// The pieces of the async testing kit (<rill/async/testing.hpp>): the erased
// stream, the async function wrappers, the shapes and their models, the
// awaitable probe resources, and what the resource checker sees of a run.
// tests/async/testing_broken.cpp checks the checkers against broken operators.
#include <rill/async/testing.hpp>

#include "support.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace at = rill::async::testing;
namespace rt = rill::testing;
using namespace rill_async_test;

TEST_CASE("erased_stream: any async stream of T, replayable; default-constructed: no items") {
    rill::result<int> e = rill::err("E", "m");
    at::erased_stream<int> s = async::of(rill::result<int>(1), e, rill::result<int>(3)) | async::map([](int x) { return x * 2; });
    CHECK(run_show(s) == "2 E:m 6");
    CHECK(run_show(s) == "2 E:m 6");
    CHECK(run_show(at::erased_stream<int>{}).empty());
    CHECK(run_show(at::erase(async::iota(0, 3))) == "0 1 2");
}

TEST_CASE("erased_stream passes close() and its exit case on to the run it erases") {
    auto l = std::make_shared<event_log>();
    at::erased_stream<int> s = async::using_resource(acquire_async(l, "r"), release_async(l),
                                                     [](std::string&) { return async::iota(0, 5); });
    CHECK(run_show(s | async::take(2)) == "0 1");
    CHECK(l->str() == "open r | close r stopped_early");
    l->events.clear();
    CHECK(run_show(s) == "0 1 2 3 4");
    CHECK(l->str() == "open r | close r completed");
}

TEST_CASE("awaited(f) waits, then gives f(x); from_fn and generated_fn make async streams of a sync function's items") {
    auto twice = at::awaited([](int x) { return x * 2; });
    CHECK(async::run(twice(21)) == 42);
    auto nested = at::awaited(twice); // an awaitable f is awaited too
    CHECK(async::run(nested(5)) == 10);
    const rt::nest_fn<int> nest{2, true, false, false};
    CHECK(run_show(at::from_fn<rt::nest_fn<int>>{nest}(7)) == "NEST:before 7 7");
    CHECK(run_show(at::generated_fn<rt::nest_fn<int>>{nest}(7)) == "NEST:before 7 7");
    std::ostringstream os;
    os << at::awaited(at::from_fn<rt::nest_fn<int>>{nest});
    CHECK(os.str() == "awaited(from . (x -> [Err(NEST: before), x, x]))");
}

TEST_CASE("then(f, k) is plain when both are plain, an awaitable when either is") {
    auto plus1 = [](int x) { return x + 1; };
    auto plain = at::detail::then(plus1, plus1);
    CHECK(plain(1) == 3);
    auto later = at::detail::then(at::awaited(plus1), plus1);
    CHECK(async::run(later(1)) == 3);
    auto later_k = at::detail::then(plus1, at::awaited(plus1));
    CHECK(async::run(later_k(1)) == 3);
}

TEST_CASE("every kind of async shape runs as its model says, and prints its shape") {
    rill::result<int> e = rill::err("E", "x");
    at::stream_shape<int> gen;
    gen.k = at::stream_shape<int>::kind::generated;
    gen.items = {1, e, 3};
    CHECK(items(gen.build()) == gen.expected());
    at::stream_shape<int> from;
    from.sync.k = rt::stream_shape<int>::kind::from;
    from.sync.items = {e, 5};
    CHECK(items(from.build()) == from.expected());
    for (auto inner : {at::inner_kind::from, at::inner_kind::generated, at::inner_kind::awaited}) {
        for (const auto& up : {gen, from}) {
            at::stream_shape<int> bound;
            bound.k = at::stream_shape<int>::kind::bound;
            bound.parts = {up};
            bound.nest = rt::nest_fn<int>{2, false, true, false};
            bound.inner = inner;
            CHECK(items(bound.build()) == bound.expected());
            at::stream_shape<int> delayed;
            delayed.k = at::stream_shape<int>::kind::delayed;
            delayed.parts = {bound};
            CHECK(items(delayed.build()) == bound.expected());
        }
    }
    std::ostringstream os;
    at::stream_shape<int> bound;
    bound.k = at::stream_shape<int>::kind::bound;
    bound.parts = {gen};
    bound.inner = at::inner_kind::generated;
    os << bound;
    CHECK(os.str() == "(generate[Ok(1), Err(E: x), Ok(3)] | and_then(generate . x -> [x]))");
}

TEST_CASE("generated shapes agree with their model (a property of the kit itself)") {
    const auto outcome = at::check_property(
        "build() gives expected()",
        [] {
            const auto shape = *at::gen_stream_shape<int>();
            at::assert_items("shape.build()", shape.build(), shape.expected());
        },
        rt::check_options{.cases = 100});
    CHECK_MESSAGE(outcome.ok, outcome.report);
}

TEST_CASE("acquire_async and release_async wait, then log through the probe; a failed acquire is an Err") {
    at::probe p;
    auto s = async::using_resource(at::acquire_async(p, "db"), at::release_async(),
                                   [](at::tracked_resource& r) { return async::of(static_cast<int>(r.id())); });
    CHECK(run_show(s) == "1");
    CHECK(p.log_text() == " +db#1 -db#1");
    CHECK(p.log_problems().empty());
    p.fail_acquire_at(2);
    CHECK(run_show(s) == "ACQUIRE:db");
    CHECK(p.log_text() == " +db#1 -db#1");
    p.throw_at(p.calls() + 1);
    CHECK_THROWS_AS(items(s), at::injected_failure);
    CHECK(p.log_problems().empty());
}

TEST_CASE("the resource checker cancels runs, and a run consumed by rill's sinks leaves nothing unclosed") {
    const std::size_t before = async::unclosed_releases();
    const auto r = at::check_resource_safety(
        [](at::probe& p) {
            return async::using_resource(at::acquire_async(p, "r"), at::release_async(), [p](at::tracked_resource&) {
                return async::iota(0, 6) | async::map(at::awaited(p.guard([](int x) { return x; })));
            });
        },
        rt::check_options{.cases = 200});
    CHECK_MESSAGE(r, r.report);
    CHECK(r.outcomes.size() == 1);
    CHECK(r.outcomes[0].name.find("cancellation") != std::string::npos);
    CHECK(async::unclosed_releases() == before);
}

TEST_CASE("the resource checker reports a pipeline that never finishes") {
    auto never = [](at::probe&) { // an acquire that waits an hour
        auto acquire = []() -> asio::awaitable<int> {
            asio::steady_timer hour(co_await asio::this_coro::executor);
            hour.expires_after(std::chrono::hours(1));
            co_await hour.async_wait(asio::use_awaitable);
            co_return 1;
        };
        return async::using_resource(acquire, [](int& r) { return async::iota(0, r); });
    };
    const auto r = at::check_resource_safety(never, rt::check_options{.cases = 1},
                                             at::resource_options{.cancellation = false,
                                                                  .hang_after = std::chrono::milliseconds(50)});
    CHECK_FALSE(r);
    CHECK(r.report.find("never finished") != std::string::npos);
}
