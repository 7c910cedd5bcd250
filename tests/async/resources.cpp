// rill::async::and_then and async::using_resource: inner runs closed before the
// next outer item, resources released exactly once, in reverse order, on every
// way a run ends (end, early stop, Err, exception, cancellation).
#include "support.hpp"

#include <asio/experimental/awaitable_operators.hpp>

#include <doctest/doctest.h>

using namespace rill_async_test;

namespace {
// An inner stream holding a resource named after its outer item.
auto inner(std::shared_ptr<event_log> l) {
    return [l](int x) {
        return async::using_resource(acquire_async(l, "in" + std::to_string(x)), release_async(l),
                                     [x](std::string&) { return async::iota(x * 10, x * 10 + 2); });
    };
}
} // namespace

TEST_CASE("and_then replaces each Ok item by an inner run, closed before the next outer item is pulled") {
    auto l = std::make_shared<event_log>();
    auto outer = async::of(1, 2) | async::tap([l](int x) { l->add("pull " + std::to_string(x)); });
    CHECK(run_show(outer | async::and_then(inner(l))) == "10 11 20 21");
    CHECK(l->str() == "pull 1 | open in1 | close in1 completed | pull 2 | open in2 | close in2 completed");
}

TEST_CASE("and_then: Err items pass without calling f, inner Err items are stamped with the outer position") {
    rill::result<int> bad = rill::err("E", "outer");
    int calls = 0;
    auto f = [&](int x) {
        ++calls;
        rill::result<int> e = rill::err("I", std::to_string(x));
        return async::of(rill::result<int>(x), e);
    };
    auto v = items(async::of(rill::result<int>(1), bad, rill::result<int>(3)) | async::and_then(f));
    CHECK(show(v) == "1 I:1 E:outer 3 I:3");
    CHECK(calls == 2);
    CHECK(v[4].error().trace.back().op == "and_then");
    CHECK(v[4].error().trace.back().index == 2);
}

TEST_CASE("and_then with an awaitable function") {
    auto f = [](int x) -> asio::awaitable<decltype(async::iota(0, 1))> {
        co_await sleep_for(std::chrono::milliseconds(0));
        co_return async::iota(0, x);
    };
    CHECK(run_show(async::of(1, 2) | async::and_then(f)) == "0 0 1");
}

TEST_CASE("an early stop closes the inner run, then the outer resource") {
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource(acquire_async(l, "out"), release_async(l),
                                   [](std::string&) { return async::iota(1, 5); }) |
             async::and_then(inner(l)) | async::take(3);
    CHECK(run_show(s) == "10 11 20");
    CHECK(l->str() == "open out | open in1 | close in1 completed | open in2 | close in2 stopped_early | close out "
                      "stopped_early");
}

TEST_CASE("using_resource acquires lazily, once per run, and releases at the end of the inner stream") {
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource(acquire_async(l, "r"), release_async(l), [l](std::string& name) {
        return async::iota(0, 2) | async::map([l, &name](int v) { return name + std::to_string(v); });
    });
    CHECK(l->events.empty());
    CHECK(run_show(s) == "r0 r1");
    CHECK(l->str() == "open r | close r completed");
    CHECK(run_show(s) == "r0 r1");
    CHECK(l->events.size() == 4);
}

TEST_CASE("using_resource: plain acquire and release, and the two-argument form") {
    auto l = std::make_shared<event_log>();
    auto plain = async::using_resource([l] { l->add("open"); return 5; },
                                       [l](int& r) { l->add("close " + std::to_string(r)); },
                                       [](int& r) { return async::iota(0, r); });
    CHECK(async::run(async::count(plain)) == 5);
    CHECK(l->str() == "open | close 5");
    struct guard {
        std::shared_ptr<event_log> l;
        guard(std::shared_ptr<event_log> lg) : l(std::move(lg)) {}
        guard(guard&& o) noexcept : l(std::move(o.l)) {}
        ~guard() {
            if (l) l->add("destroyed");
        }
    };
    l->events.clear();
    auto raii = async::using_resource([l] { return guard(l); }, [](guard&) { return async::of(1); });
    CHECK(run_show(raii) == "1");
    CHECK(l->str() == "destroyed");
}

TEST_CASE("using_resource: a failed acquire is the run's only item and nothing is released") {
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource([]() -> asio::awaitable<rill::result<std::string>> { co_return rill::err("ACQ", "no"); },
                                   release_async(l), [](std::string&) { return async::of(1); });
    auto v = items(s);
    CHECK(show(v) == "ACQ:no");
    CHECK(v[0].error().trace[0].op == "using_resource");
    CHECK(l->events.empty());
}

TEST_CASE("using_resource: an exception from use, from the inner run, or downstream releases once with failed") {
    auto l = std::make_shared<event_log>();
    auto throwing_use = async::using_resource(acquire_async(l, "r"), release_async(l),
                                              [](std::string&) -> decltype(async::of(1)) { throw boom(); });
    CHECK_THROWS_AS(items(throwing_use), boom);
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    auto throwing_inner = async::using_resource(acquire_async(l, "r"), release_async(l), [](std::string&) {
        return async::of(1, 2) | async::map([](int v) {
                   if (v == 2) throw boom();
                   return v;
               });
    });
    CHECK_THROWS_AS(items(throwing_inner), boom);
    CHECK(l->str() == "open r | close r failed");
    l->events.clear();
    auto throwing_sink = async::using_resource(acquire_async(l, "r"), release_async(l),
                                               [](std::string&) { return async::of(1, 2); });
    CHECK_THROWS_AS(async::run(async::for_each(throwing_sink, [](int) { throw boom(); })), boom);
    CHECK(l->str() == "open r | close r failed");
}

TEST_CASE("nested resources are released in reverse order of acquisition") {
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource(acquire_async(l, "a"), release_async(l), [l](std::string&) {
        return async::using_resource(acquire_async(l, "b"), release_async(l),
                                     [](std::string&) { return async::iota(0, 3); });
    });
    CHECK(run_show(s | async::take(1)) == "0");
    CHECK(l->str() == "open a | open b | close b stopped_early | close a stopped_early");
}

TEST_CASE("cancelling the consumer releases the run's resources once (failed)") {
    using namespace asio::experimental::awaitable_operators;
    auto l = std::make_shared<event_log>();
    auto slow = async::using_resource(acquire_async(l, "r"), release_async(l), [](std::string&) {
        return async::iota(0) | async::tap([](const int&) -> asio::awaitable<void> { co_await sleep_for(1ms); });
    });
    async::run([&]() -> asio::awaitable<void> {
        auto work = async::count(slow);
        auto timer = sleep_for(10ms);
        auto winner = co_await (std::move(work) || std::move(timer));
        CHECK(winner.index() == 1);
    }());
    CHECK(l->str() == "open r | close r failed");
}

TEST_CASE("a using_resource cursor destroyed without close() releases: plain now, awaitable detached") {
    auto l = std::make_shared<event_log>();
    auto plain = async::using_resource([l] { return 1; }, [l](int&, rill::exit_case how) {
        std::ostringstream os;
        os << "plain " << how;
        l->add(os.str());
    }, [](int&) { return async::iota(0, 5); });
    auto awaited = async::using_resource(acquire_async(l, "r"), release_async(l),
                                         [](std::string&) { return async::iota(0, 5); });
    const std::size_t before = async::unclosed_releases();
    asio::io_context ctx;
    async::run(ctx, [&]() -> asio::awaitable<void> {
        auto a = plain.open();
        auto b = awaited.open();
        (void)co_await a.next();
        (void)co_await b.next();
    }()); // a and b destroyed, not closed
    CHECK(async::unclosed_releases() == before + 1);
    ctx.restart();
    ctx.run(); // the detached release
    CHECK(l->str() == "open r | plain stopped_early | close r stopped_early");
}

namespace {
// The stream `s`'s run inside a logged resource: "open r | close r <exit_case>".
template <class Make>
std::string released_after_throw(Make make) {
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource(acquire_async(l, "r"), release_async(l),
                                   [make](std::string&) { return make(); });
    CHECK_THROWS_AS(items(s), boom);
    return l->str();
}
auto thrower = [](auto v) {
    if (v == 2) throw boom();
    return v;
};
} // namespace

TEST_CASE("an exception from each user function releases the resource above it once (failed)") {
    const std::string once = "open r | close r failed";
    auto src = [] { return async::iota(0, 5); };
    CHECK(released_after_throw([&] { return src() | async::map(thrower); }) == once);
    CHECK(released_after_throw([&] {
              return src() | async::try_map([](int v) -> rill::result<int> { return thrower(v); });
          }) == once);
    CHECK(released_after_throw([&] { return src() | async::filter([](int v) { return thrower(v) >= 0; }); }) == once);
    CHECK(released_after_throw([&] { return src() | async::take_while([](int v) { return thrower(v) >= 0; }); }) ==
          once);
    CHECK(released_after_throw([&] { return src() | async::tap([](int v) { thrower(v); }); }) == once);
    CHECK(released_after_throw([&] { return src() | async::and_then([](int v) { return async::pure(thrower(v)); }); }) ==
          once);
    rill::result<int> bad = rill::err("E", "m");
    auto errs = [bad] { return async::of(bad, bad, bad); };
    CHECK(released_after_throw([&] {
              return errs() | async::map_err([n = 0](rill::err_info e) mutable {
                         if (++n == 2) throw boom();
                         return e;
                     });
          }) == once);
    CHECK(released_after_throw([&] {
              return errs() | async::recover([n = 0](const rill::err_info&) mutable {
                         if (++n == 2) throw boom();
                         return 0;
                     });
          }) == once);
    CHECK(released_after_throw([] {
              return async::paginate([](std::size_t page) -> asio::awaitable<rill::result<std::vector<int>>> {
                  if (page == 1) throw boom();
                  co_return std::vector<int>{1};
              });
          }) == once);
    CHECK(released_after_throw([] {
              return async::generate<int>([](async::yielder<int>& out) -> asio::awaitable<void> {
                  co_await out(1);
                  throw boom();
              });
          }) == once);
    // An awaitable function that throws after awaiting.
    CHECK(released_after_throw([&] {
              return src() | async::map([](int v) -> asio::awaitable<int> {
                         co_await sleep_for(std::chrono::milliseconds(0));
                         co_return thrower(v);
                     });
          }) == once);
}

TEST_CASE("an exception from acquire releases nothing, and from fold's function releases once") {
    auto l = std::make_shared<event_log>();
    auto s = async::using_resource([]() -> asio::awaitable<std::string> {
        throw boom();
        co_return std::string();
    }, release_async(l), [](std::string&) { return async::of(1); });
    CHECK_THROWS_AS(items(s), boom);
    CHECK(l->events.empty());
    auto r = async::using_resource(acquire_async(l, "r"), release_async(l),
                                   [](std::string&) { return async::iota(0, 5); });
    CHECK_THROWS_AS(async::run(async::fold(r, 0, [](int a, int v) { return a + thrower(v); })), boom);
    CHECK(l->str() == "open r | close r failed");
}

TEST_CASE("and_then opens an inner run only when its outer item is pulled") {
    auto l = std::make_shared<event_log>();
    auto pulls = std::make_shared<int>(0);
    auto s = counted(100, pulls) | async::and_then(inner(l)) | async::take(3);
    CHECK(l->events.empty());
    CHECK(run_show(s) == "0 1 10");
    CHECK(*pulls == 2);
    CHECK(l->str() == "open in0 | close in0 completed | open in1 | close in1 stopped_early");
}

namespace {
// A release that waits on the event loop (a post: a cancellation cannot abort
// it) before it logs "close NAME <exit_case>".
auto release_posted(std::shared_ptr<event_log> l) {
    return [l](std::string& name, rill::exit_case how) -> asio::awaitable<void> {
        auto ex = co_await asio::this_coro::executor;
        co_await asio::post(ex, asio::use_awaitable);
        std::ostringstream os;
        os << "close " << name << ' ' << how;
        l->add(os.str());
    };
}
} // namespace

TEST_CASE("a cancellation at any step, also while take or and_then close a run inside next(), releases every resource once") {
    // take(1) closes its upstream inside next(), and_then closes each inner run
    // there too: a cancellation that strikes then must not cut the close short.
    for (std::size_t k = 1; k < 60; ++k) {
        auto l = std::make_shared<event_log>();
        auto inner = [l](int x) {
            return async::using_resource(acquire_async(l, "in" + std::to_string(x)), release_posted(l),
                                         [](std::string&) { return async::iota(0, 2); });
        };
        auto s = async::using_resource(acquire_async(l, "a"), release_posted(l),
                                       [inner](std::string&) { return async::iota(0, 3) | async::and_then(inner); }) |
                 async::take(3);
        asio::cancellation_signal sig;
        bool done = false;
        {
            asio::io_context ctx;
            asio::co_spawn(ctx, async::count(s),
                           asio::bind_cancellation_slot(sig.slot(), [&done](std::exception_ptr, std::size_t) { done = true; }));
            for (std::size_t step = 1; !done; ++step) {
                if (step == k) sig.emit(asio::cancellation_type::terminal);
                if (ctx.run_one() == 0) break;
            }
            REQUIRE(done);
            std::size_t opens = 0, closes = 0;
            for (const auto& e : l->events) (e.rfind("open", 0) == 0 ? opens : closes) += 1;
            INFO("cancelled before step " << k << ": " << l->str());
            CHECK(opens == closes); // released by the time the consumer resumed
        }
    }
}

TEST_CASE("a cancellation that strikes while an awaitable release waits does not cut the release short") {
    for (const bool early_stop : {false, true}) {
        auto l = std::make_shared<event_log>();
        bool releasing = false;
        auto release = [l, &releasing](std::string& name, rill::exit_case) -> asio::awaitable<void> {
            releasing = true;
            co_await sleep_for(5ms); // a cancellable wait: the cancellation below strikes during it
            l->add("close " + name);
        };
        auto s = async::using_resource(acquire_async(l, "r"), release, [](std::string&) { return async::iota(0, 3); });
        asio::cancellation_signal sig;
        bool done = false;
        std::exception_ptr outcome;
        asio::io_context ctx;
        auto consumer = early_stop ? async::count(s | async::take(1)) : async::count(s);
        asio::co_spawn(ctx, std::move(consumer),
                       asio::bind_cancellation_slot(sig.slot(), [&](std::exception_ptr e, std::size_t) {
                           outcome = e;
                           done = true;
                       }));
        bool emitted = false;
        while (!done && ctx.run_one() > 0) {
            if (releasing && !emitted) {
                sig.emit(asio::cancellation_type::terminal);
                emitted = true;
            }
        }
        INFO("early stop: " << early_stop);
        CHECK(emitted);
        REQUIRE(done);
        CHECK(l->str() == "open r | close r"); // the release ran to its end
    }
}
