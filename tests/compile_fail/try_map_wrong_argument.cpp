// expect: rill::try_map: the function cannot be called with the stream's item type
#include <rill/rill.hpp>
#include <string>
int main() {
    auto s = rill::of(1, 2) | rill::try_map([](std::string x) -> rill::result<int> { return int(x.size()); });
    (void)s;
}
