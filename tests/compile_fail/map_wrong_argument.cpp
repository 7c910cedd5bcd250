// expect: rill::map: the function cannot be called with the stream's item type
#include <rill/rill.hpp>
#include <string>
int main() {
    auto s = rill::of(1, 2) | rill::map([](const std::string& x) { return x.size(); });
    (void)s;
}
