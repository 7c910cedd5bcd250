# tests/redis/: rill::redis against a real redis-server (label redis).
# Included by tests/CMakeLists.txt with `target` = rill_tests_redis.
target_link_libraries(${target} PRIVATE rill::redis)
add_executable(rill_redis_test_worker ${CMAKE_CURRENT_SOURCE_DIR}/redis/programs/worker.cpp)
target_link_libraries(rill_redis_test_worker PRIVATE rill::redis rill_dev)
add_dependencies(${target} rill_redis_test_worker)
target_compile_definitions(${target} PRIVATE
    RILL_REDIS_SERVER="${RILL_REDIS_SERVER}"
    RILL_REDIS_TEST_WORKER="$<TARGET_FILE:rill_redis_test_worker>")
