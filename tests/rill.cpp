// The umbrella header alone brings every public name of the core.
#include <rill/rill.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

namespace {
rill::result<int> half(int x) {
    if (x % 2 != 0) return rill::err("ODD", "odd " + std::to_string(x));
    return x / 2;
}
} // namespace

TEST_CASE("rill.hpp alone gives the sources, stages, sinks and stream<T> of the contract") {
    std::vector<int> v{1, 2, 3, 4};
    rill::stream<int> s = rill::concat(rill::from(v), rill::of(6), rill::pure(8), rill::empty<int>(),
                                       rill::failed<int>(rill::err_info{"F", "failed"}), rill::iota(10, 12));
    auto staged = s | rill::try_map(half) | rill::named("half") | rill::map([](int x) { return x * 10; }) |
                  rill::and_then([](int x) { return rill::of(x, x + 1); }) | rill::filter([](int x) { return x % 2 == 0; }) |
                  rill::take(100) | rill::drop(0) | rill::tap([](int) {}) | rill::take_while([](int) { return true; });
    auto [values, errors] = rill::partition(staged);
    CHECK(values == std::vector<int>{10, 20, 30, 40, 50});
    REQUIRE(errors.size() == 4); // 1, 3, the failed item, 11
    CHECK(errors[0].code == "ODD");
    CHECK(errors[1].code == "ODD");
    CHECK(errors[2].code == "F");
    CHECK(errors[3].code == "ODD");
    CHECK(rill::count(staged) == 9);
    CHECK(*rill::fold(rill::iota(1, 5), 0, [](int a, int b) { return a + b; }) == 10);
    CHECK(rill::try_collect(rill::iota(0, 3) | rill::scan(0, [](int a, int b) { return a + b; })).value() ==
          std::vector<int>{0, 1, 3});
    CHECK(rill::to<std::set<int>>(rill::of(3, 1, 3)).value() == std::set<int>{1, 3});
    CHECK(rill::collect(rill::zip(rill::iota(0, 2), rill::of('a', 'b')) | rill::enumerate()).size() == 2);
    CHECK(rill::collect(rill::iota(0, 5) | rill::chunk(2)).size() == 3);
    CHECK(rill::for_each(rill::generate([]() -> rill::generator<int> { co_yield 1; }), [](int) {}).empty());
    CHECK(rill::count(rill::paginate([](std::size_t p) -> rill::result<std::vector<int>> {
              return p == 0 ? std::vector<int>{1, 2} : std::vector<int>{};
          })) == 2);
    CHECK(rill::collect(rill::using_resource([] { return 3; }, [](int& n) { return rill::iota(0, n); })).size() == 3);
    CHECK(rill::collect(rill::failed<int>(rill::err_info{"E", "m"}) | rill::recover([](const rill::err_info&) { return 7; }) |
                        rill::map_err([](rill::err_info e) { return e; }))
              .front()
              .value() == 7);
    CHECK(rill::collect(rill::of(std::string("x")) | rill::try_map(rill::catching([](const std::string& t) { return std::stoi(t); })))
              .front()
              .error()
              .code == "exception");
    CHECK(rill::collect(rill::of(4) | rill::and_then(rill::lift(half))).front().value() == 2);
}
