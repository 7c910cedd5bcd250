// expect: rill::zip takes the call form: rill::zip(a, b, ...)
#include <rill/rill.hpp>
int main() {
    auto s = rill::of(1, 2) | rill::zip(rill::of(3, 4)); // should be rill::zip(rill::of(1, 2), rill::of(3, 4))
    (void)s;
}
