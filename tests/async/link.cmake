# rill_tests_async: the async layer needs standalone asio (rill::async).
target_link_libraries(${target} PRIVATE rill::async)
