// expect: rill::map: the function returns void. Did you mean rill::tap
#include <rill/rill.hpp>
int main() {
    auto s = rill::of(1, 2) | rill::map([](int) {});
    (void)s;
}
