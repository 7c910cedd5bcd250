// expect: rill::filter: the predicate cannot be called with the stream's item type
#include <rill/rill.hpp>
#include <string>
int main() {
    auto s = rill::of(1, 2) | rill::filter([](const std::string& x) { return x.empty(); });
    (void)s;
}
