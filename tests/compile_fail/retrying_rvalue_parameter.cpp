// expect: rill::retrying: the function cannot be called with these arguments as lvalues
#include <rill/rill.hpp>
#include <string>
int main() {
    auto f = rill::retrying({}, [](std::string&& s) -> rill::result<std::size_t> { return s.size(); });
    auto s = rill::of(std::string("a")) | rill::try_map(f);
    (void)rill::collect(s);
}
