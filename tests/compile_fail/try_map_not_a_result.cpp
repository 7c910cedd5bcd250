// expect: rill::try_map: the function must return rill::result<U>. Did you mean rill::map?
#include <rill/rill.hpp>
int main() {
    auto s = rill::of(1, 2) | rill::try_map([](int x) { return x * 2; });
    (void)s;
}
