# rill_tests_async: the async layer needs standalone asio (rill::async).
target_link_libraries(${target} PRIVATE rill::async)
# tests/async/testing_broken.cpp checks the async testing kit
# (<rill/async/testing.hpp>): it needs rill::testing (RapidCheck) too.
find_package(rapidcheck CONFIG REQUIRED)
target_link_libraries(${target} PRIVATE rill::testing)

# Under ThreadSanitizer, the cases that use threads (offload's pool, a channel
# fed from a std::thread; named "threads: ...") are also a small binary of
# their own, so that CI's TSan phase builds two files rather than the whole
# async suite: `ctest -R ^async-threads:`.
if(RILL_SANITIZE MATCHES "thread")
    add_executable(rill_tests_async_threads main.cpp async/offload.cpp async/channel.cpp)
    target_include_directories(rill_tests_async_threads PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(rill_tests_async_threads PRIVATE rill::async doctest::doctest rill_dev)
    doctest_discover_tests(rill_tests_async_threads TEST_PREFIX "async-threads:" TEST_SPEC "threads:*"
        PROPERTIES LABELS threads)
endif()
