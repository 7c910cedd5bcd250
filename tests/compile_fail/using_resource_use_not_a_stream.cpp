// expect: rill::using_resource: use must return a stream
#include <rill/rill.hpp>
int main() {
    auto s = rill::using_resource([] { return 1; }, [](int& r) { return r + 1; });
    (void)s;
}
