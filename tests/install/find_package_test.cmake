# Installs rill into a scratch prefix, then configures, builds and runs a
# consumer project that uses find_package(rill CONFIG REQUIRED), as a user would.
# Run by CTest (install.find_package) with what common.cmake lists and CONSUMER_DIR.

if(NOT EXISTS "${RILL_SOURCE_DIR}/include/rill/rill.hpp")
    # The consumer includes the umbrella header; until it exists there is nothing to test.
    message("RILL-INSTALL-TEST-SKIPPED: include/rill/rill.hpp does not exist yet")
    return()
endif()
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

install_rill("${RILL_BUILD_DIR}" "${WORK_DIR}/prefix")
build_and_run_consumer("${CONSUMER_DIR}" "${WORK_DIR}/consumer-build" "${WORK_DIR}/prefix")
