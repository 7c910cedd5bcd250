// expect: rill::and_then: the function must return a stream
#include <rill/rill.hpp>
int main() {
    auto s = rill::of(1, 2) | rill::and_then([](int x) { return x + 1; });
    (void)s;
}
