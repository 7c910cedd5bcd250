// expect: rill::recover: the function must take an err_info
#include <rill/rill.hpp>
int main() {
    auto s = rill::of(1, 2) | rill::recover([](int x) { return x; });
    (void)s;
}
