// expect: rill::stop_on: give it a std::stop_token
#include <rill/rill.hpp>
int main() {
    auto s = rill::of(1, 2) | rill::stop_on(true); // should be a std::stop_token (e.g. a std::stop_source's get_token())
    (void)s;
}
