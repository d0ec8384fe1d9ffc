# rez_install_dirs(<directories...> DESTINATION <dir> [EXECUTABLE] [LOCAL_SYMLINK])
#
# Installs each directory into <dir> (relative to the install prefix unless absolute) as
# install(DIRECTORY) does (`src/data` installs <dir>/data; `src/data/` installs its
# contents), leaving out `.svn` directories.  Files get CMake's default permissions, or
# r-xr-xr-x with EXECUTABLE.  With LOCAL_SYMLINK, unless REZ_BUILD_TYPE is "central" (a
# release), <dir>/<directory name> is a symlink to the absolute source directory instead.
# Only the first value after DESTINATION counts.

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/_PkgRezSupport.cmake")

function(rez_install_dirs)
    cmake_parse_arguments(PARSE_ARGV 0 ARG "EXECUTABLE;LOCAL_SYMLINK" "" "DESTINATION")
    _pkg_rez_first(destination ARG_DESTINATION)
    if(NOT ARG_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "rez_install_dirs: no directories given")
    endif()
    if(destination STREQUAL "")
        message(FATAL_ERROR "rez_install_dirs: DESTINATION is required")
    endif()
    if(ARG_LOCAL_SYMLINK AND NOT REZ_BUILD_TYPE STREQUAL "central")
        foreach(directory IN LISTS ARG_UNPARSED_ARGUMENTS)
            string(REGEX REPLACE "(.)/+$" "\\1" directory "${directory}")
            get_filename_component(absolute "${directory}" ABSOLUTE)
            get_filename_component(name "${absolute}" NAME)
            _pkg_rez_install_symlink("${absolute}" "${destination}/${name}")
        endforeach()
        return()
    endif()
    set(permissions)
    if(ARG_EXECUTABLE)
        set(permissions FILE_PERMISSIONS
            OWNER_READ OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
    endif()
    install(DIRECTORY ${ARG_UNPARSED_ARGUMENTS} DESTINATION "${destination}" ${permissions}
            PATTERN .svn EXCLUDE)
endfunction()
