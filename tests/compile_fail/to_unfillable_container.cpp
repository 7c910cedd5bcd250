// expect: rill::to<Container>: the container has no push_back or insert
#include <rill/rill.hpp>
#include <array>
int main() {
    auto a = rill::to<std::array<int, 2>>(rill::of(1, 2));
    (void)a;
}
