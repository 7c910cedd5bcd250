// expect: rill: a sink on the right of | must be called
#include <rill/rill.hpp>
int main() {
    auto items = rill::of(1, 2) | rill::collect; // should be rill::collect()
    (void)items;
}
