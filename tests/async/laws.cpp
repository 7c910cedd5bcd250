// The monad and functor laws for rill::async on sample streams with Err items,
// and replayability. `==` compares whole runs, Err items included.
#include "support.hpp"

#include <doctest/doctest.h>

using namespace rill_async_test;

namespace {
// Sample streams: empty, one Ok, one Err, and mixes with Err items first, in the middle and last.
std::vector<std::vector<rill::result<int>>> samples() {
    rill::result<int> e1 = rill::err("E", "1"), e2 = rill::err("E", "2");
    return {{}, {5}, {e1}, {1, e1, 2, 3}, {e1, 4, 7, e2}};
}
auto stream_of(const std::vector<rill::result<int>>& v) { return async::from(v); }

// f: a plain inner stream with an Err for odd x; g: an awaitable function.
auto f = [](int x) {
    rill::result<int> e = rill::err("F", std::to_string(x));
    return async::from(x % 2 ? std::vector<rill::result<int>>{x, e} : std::vector<rill::result<int>>{x, x + 1});
};
auto g = [](int x) -> asio::awaitable<decltype(async::from(std::vector<rill::result<int>>{}))> {
    co_await sleep_for(std::chrono::milliseconds(0));
    co_return async::from(std::vector<rill::result<int>>(std::size_t(x % 3), rill::result<int>(x * 10)));
};
auto pure = [](int x) { return async::pure(x); };
} // namespace

TEST_CASE("left identity: pure(x) | and_then(f) == f(x)") {
    for (int x : {0, 1, 2, 7}) {
        CHECK(items(async::pure(x) | async::and_then(f)) == items(f(x)));
        auto direct = async::run(g(x));
        CHECK(items(async::pure(x) | async::and_then(g)) == items(direct));
    }
}

TEST_CASE("right identity: s | and_then(pure) == s") {
    for (const auto& v : samples()) CHECK(items(stream_of(v) | async::and_then(pure)) == items(stream_of(v)));
}

TEST_CASE("associativity: s | and_then(f) | and_then(g) == s | and_then(x -> f(x) | and_then(g))") {
    for (const auto& v : samples()) {
        auto lhs = stream_of(v) | async::and_then(f) | async::and_then(g);
        auto rhs = stream_of(v) | async::and_then([](int x) { return f(x) | async::and_then(g); });
        CHECK(items(lhs) == items(rhs));
    }
}

TEST_CASE("functor laws, and map(h) == and_then(pure . h), plain and awaitable") {
    auto h = [](int x) { return x * 3; };
    auto k = [](int x) { return x - 1; };
    auto h_later = [](int x) -> asio::awaitable<int> { co_return x * 3; };
    for (const auto& v : samples()) {
        auto s = stream_of(v);
        CHECK(items(s | async::map([](int x) { return x; })) == items(s));
        CHECK(items(s | async::map(h) | async::map(k)) == items(s | async::map([&](int x) { return k(h(x)); })));
        CHECK(items(s | async::map(h)) == items(s | async::and_then([&](int x) { return async::pure(h(x)); })));
        CHECK(items(s | async::map(h_later)) == items(s | async::map(h)));
    }
}

TEST_CASE("try_map(f) == and_then(lift(f)), and async agrees with sync") {
    auto t = [](int x) -> rill::result<int> {
        if (x == 4) return rill::err("T", "four");
        return x + 100;
    };
    for (const auto& v : samples()) {
        auto s = stream_of(v);
        auto lifted = s | async::and_then([&](int x) { return async::of(t(x)); });
        CHECK(items(s | async::try_map(t)) == items(lifted));
        CHECK(items(s | async::try_map(t)) == rill::collect(rill::from(v) | rill::try_map(t)));
        CHECK(rill::collect(async::to_sync(s | async::try_map(t))) == items(s | async::try_map(t)));
    }
}

TEST_CASE("two runs of the same description give the same items") {
    for (const auto& v : samples()) {
        auto s = stream_of(v) | async::and_then(g) | async::enumerate() | async::map([](auto p) { return p.second; });
        CHECK(items(s) == items(s));
    }
}
