// expect: rill::retry: the stream must be replayable
#include <rill/rill.hpp>
#include <iterator>
#include <sstream>
// The call form reports the same mistake.
struct numbers {
    std::istream* in;
    std::istream_iterator<int> begin() const { return std::istream_iterator<int>(*in); }
    std::istream_iterator<int> end() const { return {}; }
};
int main() {
    std::istringstream in("1 2");
    numbers n{&in};
    auto s = rill::retry(rill::from(n), {});
    (void)s;
}
