// expect: rill: a stage on the right of | must be given its arguments
#include <rill/rill.hpp>
int main() {
    auto s = rill::of(1, 2) | rill::enumerate; // should be rill::enumerate()
    (void)s;
}
