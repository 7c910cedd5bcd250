# Defines the imported target hiredis::hiredis (the name hiredis >= 1.0's own
# CMake package uses) when hiredis can be found, for rill::redis. hiredis 0.14
# (Debian 12's libhiredis-dev) ships no CMake package: its header and library
# are found directly. CMAKE_DISABLE_FIND_PACKAGE_hiredis turns both searches
# off. Sets RILL_HIREDIS_FOUND.
if(NOT TARGET hiredis::hiredis)
    find_package(hiredis CONFIG QUIET)
endif()
if(NOT TARGET hiredis::hiredis AND NOT CMAKE_DISABLE_FIND_PACKAGE_hiredis)
    find_path(RILL_HIREDIS_INCLUDE_DIR hiredis/hiredis.h)
    find_library(RILL_HIREDIS_LIBRARY hiredis)
    mark_as_advanced(RILL_HIREDIS_INCLUDE_DIR RILL_HIREDIS_LIBRARY)
    if(RILL_HIREDIS_INCLUDE_DIR AND RILL_HIREDIS_LIBRARY)
        add_library(hiredis::hiredis UNKNOWN IMPORTED)
        set_target_properties(hiredis::hiredis PROPERTIES
            IMPORTED_LOCATION "${RILL_HIREDIS_LIBRARY}"
            INTERFACE_INCLUDE_DIRECTORIES "${RILL_HIREDIS_INCLUDE_DIR}")
    endif()
endif()
if(TARGET hiredis::hiredis)
    set(RILL_HIREDIS_FOUND TRUE)
else()
    set(RILL_HIREDIS_FOUND FALSE)
endif()
