// expect: rill::stream<T>: only a replayable stream can be erased
#include <rill/rill.hpp>
#include <iterator>
#include <sstream>
// An input-only range: a stream over it is one-shot.
struct numbers {
    std::istream* in;
    std::istream_iterator<int> begin() const { return std::istream_iterator<int>(*in); }
    std::istream_iterator<int> end() const { return {}; }
};
int main() {
    std::istringstream in("1 2");
    numbers n{&in};
    rill::stream<int> s = rill::from(n);
    (void)s;
}
