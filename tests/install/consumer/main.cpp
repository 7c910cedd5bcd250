// Built by tests/install/find_package_test.cmake against an installed rill.
#include <rill/rill.hpp>

#include <iostream>

int main() {
    auto squares = rill::iota(1, 5) | rill::map([](int x) { return x * x; });
    int sum = 0;
    for (const auto& r : rill::collect(squares)) {
        if (!r) return 2;
        sum += *r;
    }
    std::cout << sum << '\n';
    return sum == 30 ? 0 : 1;
}
