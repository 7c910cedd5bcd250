// expect: rill::concat takes the call form: rill::concat(a, b, ...)
#include <rill/rill.hpp>
int main() {
    auto s = rill::of(1, 2) | rill::concat(rill::of(3)); // should be rill::concat(rill::of(1, 2), rill::of(3))
    (void)s;
}
