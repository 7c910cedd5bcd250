// expect: rill::generator: co_await is not allowed in a rill::generator
#include <rill/source/generate.hpp>

#include <coroutine>

int main() {
    auto s = rill::generate([]() -> rill::generator<int> {
        co_await std::suspend_always{}; // a synchronous generator cannot await
        co_yield 1;
    });
    (void)s;
}
