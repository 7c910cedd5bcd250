// Built by tests/install/*_test.cmake against an installed rill and one of its
// components: includes the component's header and uses it.
#include <rill/rill.hpp>
#if defined(RILL_CONSUMER_RANGES)
#include <rill/ranges.hpp>
#elif defined(RILL_CONSUMER_TESTING)
#include <rill/testing.hpp>
#elif defined(RILL_CONSUMER_REDIS)
#include <rill/redis.hpp>
#elif defined(RILL_CONSUMER_ASYNC)
#include <rill/async.hpp>
#endif

int main() {
    int sum = 0;
#if defined(RILL_CONSUMER_RANGES)
    for (const auto& r : rill::ranges::view(rill::iota(1, 5))) sum += r ? *r : 100;
#elif defined(RILL_CONSUMER_ASYNC)
    sum = rill::async::run(rill::async::fold(rill::async::iota(1, 5), 0, [](int a, int x) { return a + x; })).value();
#else
    for (const auto& r : rill::iota(1, 5)) sum += r ? *r : 100;
#endif
#if defined(RILL_CONSUMER_REDIS)
    // links hiredis: a description only, no server is contacted
    auto s = rill::redis::range(rill::redis::endpoint{}, "s");
    (void)s;
    redisReader* reader = redisReaderCreate(); // a symbol of libhiredis
    sum += reader ? 0 : 1000;
    redisReaderFree(reader);
#endif
    return sum == 10 ? 0 : 1;
}
