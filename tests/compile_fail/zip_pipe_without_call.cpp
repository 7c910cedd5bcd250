// expect: rill::zip takes the call form: rill::zip(a, b, ...)
#include <rill/rill.hpp>
int main() {
    auto s = rill::of(1, 2) | rill::zip; // should be rill::zip(rill::of(1, 2), ...)
    (void)s;
}
