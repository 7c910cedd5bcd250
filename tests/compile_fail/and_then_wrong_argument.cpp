// expect: rill::and_then: the function cannot be called with the stream's item type
#include <rill/rill.hpp>
#include <string>
int main() {
    auto s = rill::of(1, 2) | rill::and_then([](std::string x) { return rill::of(x); });
    (void)s;
}
