# Runs PROGRAM and, when EXPECTED names an existing file, fails unless the
# program's stdout equals that file byte for byte.
#   cmake -D PROGRAM=<exe> [-D EXPECTED=<file.out>] [-D ACTUAL=<file>] -P run_and_compare.cmake

if(NOT PROGRAM)
    message(FATAL_ERROR "run_and_compare: PROGRAM is not set")
endif()
execute_process(COMMAND "${PROGRAM}"
    OUTPUT_VARIABLE actual
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message("${actual}")
    message(FATAL_ERROR "run_and_compare: ${PROGRAM} exited with ${rc}")
endif()
if(ACTUAL)
    file(WRITE "${ACTUAL}" "${actual}")
endif()
if(EXPECTED AND EXISTS "${EXPECTED}")
    file(READ "${EXPECTED}" expected)
    if(NOT actual STREQUAL expected)
        # Plain message(): printed verbatim, unlike the reflowed FATAL_ERROR text.
        message("--- expected (${EXPECTED}) ---\n${expected}--- actual ---\n${actual}--- end ---")
        message(FATAL_ERROR "run_and_compare: the output of ${PROGRAM} differs from ${EXPECTED}")
    endif()
endif()
