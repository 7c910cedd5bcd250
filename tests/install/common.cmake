# Shared by the install tests (tests/install/*_test.cmake), run by CTest with
# -D RILL_SOURCE_DIR, RILL_BUILD_DIR, WORK_DIR, CONFIG, GENERATOR,
# MAKE_PROGRAM, CXX_COMPILER (and what each test adds).

# Runs a command; stops the test when it fails.
function(run step)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${step} failed (${rc}): ${ARGN}")
    endif()
endfunction()

set(config_arg)
if(CONFIG)
    set(config_arg --config "${CONFIG}")
endif()
set(generator_args -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
if(MAKE_PROGRAM)
    list(APPEND generator_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

# Installs the rill configured in `build_dir` into `prefix`, as the README says.
function(install_rill build_dir prefix)
    run("install" "${CMAKE_COMMAND}" --install "${build_dir}" --prefix "${prefix}" ${config_arg})
endfunction()

# Configures, builds and runs the CMake project in `source` against `prefix`;
# extra arguments go to the configure step.
function(build_and_run_consumer source build prefix)
    run("consumer configure" "${CMAKE_COMMAND}" -S "${source}" -B "${build}" ${generator_args}
        "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_BUILD_TYPE=${CONFIG}"
        -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON ${ARGN})
    run("consumer build" "${CMAKE_COMMAND}" --build "${build}" ${config_arg})
    find_program(app NAMES app PATHS "${build}" "${build}/${CONFIG}" NO_DEFAULT_PATH NO_CACHE REQUIRED)
    run("consumer run" "${app}")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
