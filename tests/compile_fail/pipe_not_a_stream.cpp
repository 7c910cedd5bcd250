// expect: rill: the left side of | is not a rill stream
#include <rill/rill.hpp>
#include <vector>
int main() {
    std::vector<int> v{1, 2};
    auto s = v | rill::map([](int x) { return x; });
    (void)s;
}
