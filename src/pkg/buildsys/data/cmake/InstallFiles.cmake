# rez_install_files(<files...> DESTINATION <dir> [RELATIVE <dir>] [EXECUTABLE]
#                   [LOCAL_SYMLINK])
#
# Installs each file into <dir> (relative to the install prefix unless absolute), keeping
# its path relative to RELATIVE: `a/b/c.h RELATIVE a DESTINATION include` installs
# include/b/c.h.  RELATIVE defaults to the current source directory; relative file and
# RELATIVE paths are taken from the current source directory.  A file outside RELATIVE
# keeps its `..` parts (`docs/x RELATIVE src DESTINATION docs` installs docs/x).
# Only the first value after DESTINATION or RELATIVE counts.
#
# Files get CMake's default permissions (rw-r--r--), or r-xr-xr-x with EXECUTABLE.
# With LOCAL_SYMLINK, unless REZ_BUILD_TYPE is "central" (a release), each file is
# installed as a symlink to its absolute source path instead of a copy.

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/_PkgRezSupport.cmake")

function(rez_install_files)
    cmake_parse_arguments(PARSE_ARGV 0 ARG "EXECUTABLE;LOCAL_SYMLINK" "" "DESTINATION;RELATIVE")
    _pkg_rez_first(destination ARG_DESTINATION)
    _pkg_rez_first(relative ARG_RELATIVE)
    if(NOT ARG_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "rez_install_files: no files given")
    endif()
    if(destination STREQUAL "")
        message(FATAL_ERROR "rez_install_files: DESTINATION is required")
    endif()
    if(relative STREQUAL "")
        set(relative ".")
    endif()
    get_filename_component(base "${relative}" ABSOLUTE)
    set(symlink FALSE)
    if(ARG_LOCAL_SYMLINK AND NOT REZ_BUILD_TYPE STREQUAL "central")
        set(symlink TRUE)
    endif()
    set(permissions)
    if(ARG_EXECUTABLE)
        set(permissions PERMISSIONS
            OWNER_READ OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
    endif()
    foreach(file IN LISTS ARG_UNPARSED_ARGUMENTS)
        get_filename_component(absolute "${file}" ABSOLUTE)
        file(RELATIVE_PATH relative_file "${base}" "${absolute}")
        set(target "${destination}/${relative_file}")
        if(symlink)
            _pkg_rez_install_symlink("${absolute}" "${target}")
        else()
            get_filename_component(target_dir "${target}" DIRECTORY)
            install(FILES "${absolute}" DESTINATION "${target_dir}" ${permissions})
        endif()
    endforeach()
endfunction()
