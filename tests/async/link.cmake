# rill_tests_async: the async layer needs standalone asio (rill::async).
target_link_libraries(${target} PRIVATE rill::async)
# tests/async/testing_broken.cpp checks the async testing kit
# (<rill/async/testing.hpp>): it needs rill::testing (RapidCheck) too.
find_package(rapidcheck CONFIG REQUIRED)
target_link_libraries(${target} PRIVATE rill::testing)
