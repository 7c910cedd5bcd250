// expect: rill::retry: the stream must be replayable
#include <rill/rill.hpp>
#include <iterator>
#include <sstream>
// An input-only range: a stream over it is one-shot, so it cannot be run again.
struct numbers {
    std::istream* in;
    std::istream_iterator<int> begin() const { return std::istream_iterator<int>(*in); }
    std::istream_iterator<int> end() const { return {}; }
};
int main() {
    std::istringstream in("1 2");
    numbers n{&in};
    auto s = rill::from(n) | rill::retry({.max_attempts = 3});
    (void)s;
}
