# tests/testing/ checks the public testing kit against deliberately broken
# operators: it needs rill::testing (RapidCheck).
find_package(rapidcheck CONFIG REQUIRED)
target_link_libraries(${target} PRIVATE rill::testing)
