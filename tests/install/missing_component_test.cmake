# A consumer that asks for COMPONENT (find_package(rill COMPONENTS ...)) while
# PACKAGE cannot be found must fail to configure with a message that names
# DEBIAN_PACKAGE. The same consumer with PACKAGE findable must configure, so
# the failure is the missing package's. Run by CTest
# (install.missing_component.<COMPONENT>) with what common.cmake lists and
# COMPONENT_CONSUMER_DIR, COMPONENT, PACKAGE, DEBIAN_PACKAGE.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

set(prefix "${WORK_DIR}/prefix")
install_rill("${RILL_BUILD_DIR}" "${prefix}")
set(configure "${CMAKE_COMMAND}" -S "${COMPONENT_CONSUMER_DIR}" ${generator_args}
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
    "-DRILL_COMPONENT=${COMPONENT}")

run("configure with ${PACKAGE}" ${configure} -B "${WORK_DIR}/with")

execute_process(COMMAND ${configure} -B "${WORK_DIR}/without" "-DCMAKE_DISABLE_FIND_PACKAGE_${PACKAGE}=ON"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(rc EQUAL 0)
    message(FATAL_ERROR "find_package(rill COMPONENTS ${COMPONENT}) succeeded without ${PACKAGE}:\n${out}")
endif()
string(FIND "${out}" "${DEBIAN_PACKAGE}" where)
if(where EQUAL -1)
    message(FATAL_ERROR "find_package(rill COMPONENTS ${COMPONENT}) failed without naming ${DEBIAN_PACKAGE}:\n${out}")
endif()
message(STATUS "without ${PACKAGE}, find_package(rill COMPONENTS ${COMPONENT}) says:\n${out}")
