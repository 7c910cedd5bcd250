# Compiles SOURCE with CXX and passes only if compilation fails with the text
# of the `// expect: ...` first line among the first MAX_LINES lines of output,
# on the first line that reports an error (`error:`): rill's message comes
# before any error it causes at the user's line.
file(STRINGS ${SOURCE} first_line LIMIT_COUNT 1)
string(REGEX REPLACE "^// expect: " "" expected "${first_line}")
if(expected STREQUAL first_line)
    message(FATAL_ERROR "${SOURCE}: the first line must be `// expect: <diagnostic text>`")
endif()
execute_process(
    COMMAND ${CXX} -std=c++20 -fsyntax-only -I${INCLUDE_DIR} ${SOURCE}
    RESULT_VARIABLE status
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
if(status EQUAL 0)
    message(FATAL_ERROR "${SOURCE} compiled, but it must not: it is a misuse of rill")
endif()
string(REPLACE "\n" ";" lines "${out}")
list(LENGTH lines n)
if(n GREATER MAX_LINES)
    list(SUBLIST lines 0 ${MAX_LINES} lines)
endif()
string(REPLACE ";" "\n" head "${lines}")
string(FIND "${head}" "${expected}" where)
if(where EQUAL -1)
    message(FATAL_ERROR "${SOURCE}: expected the diagnostic\n  ${expected}\nwithin the first ${MAX_LINES} lines of:\n${head}")
endif()
string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${out}")
string(FIND "${first_error}" "${expected}" where)
if(where EQUAL -1)
    message(FATAL_ERROR "${SOURCE}: the diagnostic\n  ${expected}\nis not the first error; the first is\n  ${first_error}\nin:\n${head}")
endif()
message(STATUS "${SOURCE}: fails to compile with the expected diagnostic")
