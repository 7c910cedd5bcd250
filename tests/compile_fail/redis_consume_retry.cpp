// expect: rill::retry: the stream must be replayable
#include <rill/redis.hpp>
#include <rill/rill.hpp>
// A consumer-group run is a session: retrying it would skip, and acknowledge,
// entries it never processed. consume is one-shot, so this must not compile.
int main() {
    auto s = rill::redis::consume(rill::redis::group_config{.stream = "s", .group = "g", .consumer = "c"},
                                  [](const rill::redis::entry& e) { return e.id; }) |
             rill::retry({.max_attempts = 3});
    (void)s;
}
