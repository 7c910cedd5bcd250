// The laws of docs/10-laws.md, each on one concrete stream with Err items (the
// properties in properties/ check them over thousands of generated streams).
#include <rill/rill.hpp>
#include <rill/testing.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace {

// A stream with Err items among its Ok items, and pure functions.
const auto s = rill::from(std::vector<rill::result<int>>{1, rill::err("E", "bad"), 2, 3});
auto f(int x) { return rill::of(x, x + 10); }
auto g(int y) { return y % 2 == 0 ? rill::stream<int>(rill::pure(y)) : rill::stream<int>(rill::failed<int>({"ODD", std::to_string(y)})); }
int h(int x) { return 2 * x; }
int k(int x) { return x + 1; }
rill::result<int> parse(int x) {
    if (x > 2) return rill::err("BIG", std::to_string(x));
    return x;
}
bool p(int x) { return x > 1; }
bool q(int x) { return x % 2 == 1; }

// `a == b`: the full item sequences of a run of each are equal, Err items included.
template <class A, class B>
void law(const char* name, const A& a, const B& b) {
    std::cout << name << ": " << (rill::collect(a) == rill::collect(b) ? "holds" : "BROKEN") << '\n';
}

} // namespace

int main() {
    const int x = 5;
    const std::size_t n = 2;
    std::cout << "== functor ==\n";
    // [snippet:functor]
    law("functor identity", s | rill::map([](int v) { return v; }), s);
    law("functor composition", s | rill::map(h) | rill::map(k), s | rill::map([](int v) { return k(h(v)); }));
    // [/snippet:functor]
    std::cout << "== monad ==\n";
    // [snippet:monad]
    law("left identity", rill::pure(x) | rill::and_then(f), f(x));
    law("right identity", s | rill::and_then([](int v) { return rill::pure(v); }), s);
    law("associativity", s | rill::and_then(f) | rill::and_then(g),
        s | rill::and_then([](int v) { return f(v) | rill::and_then(g); }));
    // [/snippet:monad]
    std::cout << "== derived ==\n";
    // [snippet:derived]
    law("map(f) == and_then(pure . f)", s | rill::map(h), s | rill::and_then([](int v) { return rill::pure(h(v)); }));
    law("try_map(f) == and_then(lift(f))", s | rill::try_map(parse), s | rill::and_then(rill::lift(parse)));
    law("filter fusion", s | rill::filter(p) | rill::filter(q), s | rill::filter([](int v) { return p(v) && q(v); }));
    law("take and drop split", rill::concat(s | rill::take(n), s | rill::drop(n)), s);
    // [/snippet:derived]
    std::cout << "== ok_path ==\n";
    // [snippet:ok_path]
    // An Err item passes every stage unchanged, in its position: the laws
    // compare whole runs, and the Err items on both sides are the same ones.
    for (const auto& r : rill::collect(s | rill::and_then(f) | rill::and_then(g)))
        std::cout << (r ? std::to_string(*r) : "Err(" + r.error().code + ")") << ' ';
    std::cout << '\n';
    // [/snippet:ok_path]
}
