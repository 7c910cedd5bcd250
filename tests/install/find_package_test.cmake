# Installs rill into a scratch prefix, then configures, builds and runs a
# consumer project that uses find_package(rill CONFIG REQUIRED), as a user would.
# Run by CTest (install.find_package) with -D RILL_SOURCE_DIR, RILL_BUILD_DIR,
# WORK_DIR, CONSUMER_DIR, CONFIG, GENERATOR, MAKE_PROGRAM, CXX_COMPILER.

if(NOT EXISTS "${RILL_SOURCE_DIR}/include/rill/rill.hpp")
    # The consumer includes the umbrella header; until it exists there is nothing to test.
    message("RILL-INSTALL-TEST-SKIPPED: include/rill/rill.hpp does not exist yet")
    return()
endif()

function(run step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "install.find_package: ${step} failed (${rc}): ${ARGN}")
    endif()
endfunction()

set(prefix "${WORK_DIR}/prefix")
set(build "${WORK_DIR}/consumer-build")
file(REMOVE_RECURSE "${WORK_DIR}")

set(config_arg)
if(CONFIG)
    set(config_arg --config "${CONFIG}")
endif()
run("install" "${CMAKE_COMMAND}" --install "${RILL_BUILD_DIR}" --prefix "${prefix}" ${config_arg})

set(generator_args -G "${GENERATOR}")
if(MAKE_PROGRAM)
    list(APPEND generator_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
run("configure" "${CMAKE_COMMAND}" -S "${CONSUMER_DIR}" -B "${build}" ${generator_args}
    "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_BUILD_TYPE=${CONFIG}"
    -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)
run("build" "${CMAKE_COMMAND}" --build "${build}" ${config_arg})

find_program(app NAMES app PATHS "${build}" "${build}/${CONFIG}" NO_DEFAULT_PATH REQUIRED)
run("run" "${app}")
