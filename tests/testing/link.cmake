# tests/testing/ checks the public testing kit against deliberately broken
# operators: it needs rill::testing (RapidCheck).
find_package(rapidcheck CONFIG REQUIRED)
target_link_libraries(${target} PRIVATE rill::testing)

# Under ThreadSanitizer, the cases of the "threads" suite (the probe and
# check_resource_safety under par_map and buffer) are also a small binary of
# their own, so that CI's TSan phase builds one file of the kit rather than
# all of it: `ctest -R ^testing-threads:` (its cases are named "threads: ...").
if(RILL_SANITIZE MATCHES "thread")
    add_executable(rill_tests_testing_threads main.cpp testing/resources.cpp)
    target_include_directories(rill_tests_testing_threads PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(rill_tests_testing_threads PRIVATE rill::ranges doctest::doctest rill_dev rill::testing)
    doctest_discover_tests(rill_tests_testing_threads TEST_PREFIX "testing-threads:" TEST_SPEC "threads:*"
        PROPERTIES LABELS threads)
endif()
