# Installs rill into a scratch prefix and compiles and runs the consumer's
# main.cpp with nothing but `pkg-config --cflags --libs rill` (PKG_CONFIG_PATH
# at the prefix): no -std flag of its own, so rill.pc must give it. Also
# checks that rill.pc is valid and carries the project's version. Run by CTest
# (install.pkg_config) with what common.cmake lists and CONSUMER_DIR,
# PKG_CONFIG, RILL_VERSION, PKGCONFIG_DIR (relative to the prefix).
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

if(NOT PKG_CONFIG)
    message("RILL-INSTALL-TEST-SKIPPED: pkg-config not found (Debian package pkg-config)")
    return()
endif()
set(prefix "${WORK_DIR}/prefix")
install_rill("${RILL_BUILD_DIR}" "${prefix}")
set(pc_path "${prefix}/${PKGCONFIG_DIR}")
if(NOT EXISTS "${pc_path}/rill.pc")
    message(FATAL_ERROR "no rill.pc in ${pc_path}")
endif()
# Only the prefix: a rill.pc elsewhere on the machine must not answer.
set(pkg_config "${CMAKE_COMMAND}" -E env "PKG_CONFIG_PATH=${pc_path}" "PKG_CONFIG_LIBDIR=${pc_path}" "${PKG_CONFIG}")

run("pkg-config --validate" ${pkg_config} --validate rill)
execute_process(COMMAND ${pkg_config} --modversion rill OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT version STREQUAL RILL_VERSION)
    message(FATAL_ERROR "pkg-config --modversion rill gives '${version}', expected '${RILL_VERSION}'")
endif()
execute_process(COMMAND ${pkg_config} --cflags --libs rill
    RESULT_VARIABLE rc OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs rill failed (${rc})")
endif()
message(STATUS "pkg-config --cflags --libs rill: ${flags}")
separate_arguments(flags UNIX_COMMAND "${flags}")
file(MAKE_DIRECTORY "${WORK_DIR}/build")
run("compile" "${CXX_COMPILER}" "${CONSUMER_DIR}/main.cpp" ${flags} -o "${WORK_DIR}/build/app")
run("run" "${WORK_DIR}/build/app")
