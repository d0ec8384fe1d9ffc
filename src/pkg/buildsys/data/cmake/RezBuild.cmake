# pkg's RezBuild module: lets CMake projects written for Rez's cmake build system
# configure under `pkg build`.  Written for pkg; it covers the commonly used part:
#
#   include(RezBuild)
#     - fails unless configured by a build (REZ_BUILD_ENV set);
#     - sets REZ_BUILD_ENV, REZ_BUILD_PROJECT_NAME, REZ_BUILD_PROJECT_VERSION and
#       REZ_BUILD_ALL_PKGS (the unversioned names of the build request);
#     - sets <PKG>_VERSION and <PKG>_MAJOR/MINOR/PATCH_VERSION for the package being built
#       and for each package of the build whose REZ_<PKG>_VERSION is set;
#     - calls project(<package name>) unless a project is already declared.
#   rez_package_in_use(<name> <result>)
#   rez_install_files(<files...> [RELATIVE <dir>] DESTINATION <dir> [EXECUTABLE]
#                     [LOCAL_SYMLINK])   (LOCAL_SYMLINK is accepted and copies)
#
# Other Rez macros (rez_find_packages, rez_install_cmake, rez_install_python ...) are not
# provided; see docs/building.md.

if(NOT DEFINED ENV{REZ_BUILD_ENV})
    message(FATAL_ERROR "RezBuild: this project must be configured by `pkg build`.")
endif()

set(REZ_BUILD_ENV "$ENV{REZ_BUILD_ENV}")
set(REZ_BUILD_PROJECT_NAME "$ENV{REZ_BUILD_PROJECT_NAME}")
set(REZ_BUILD_PROJECT_VERSION "$ENV{REZ_BUILD_PROJECT_VERSION}")
set(REZ_BUILD_ALL_PKGS "$ENV{REZ_BUILD_REQUIRES_UNVERSIONED}")
separate_arguments(REZ_BUILD_ALL_PKGS)

# _pkg_rez_split_version(<PREFIX> <version>): <PREFIX>_VERSION and its first three parts.
macro(_pkg_rez_split_version prefix version)
    set(${prefix}_VERSION "${version}")
    string(REPLACE "." ";" _pkg_rez_parts "${version};0;0")
    list(GET _pkg_rez_parts 0 ${prefix}_MAJOR_VERSION)
    list(GET _pkg_rez_parts 1 ${prefix}_MINOR_VERSION)
    list(GET _pkg_rez_parts 2 ${prefix}_PATCH_VERSION)
endmacro()

foreach(_pkg_rez_name ${REZ_BUILD_ALL_PKGS})
    string(TOUPPER "${_pkg_rez_name}" _pkg_rez_upper)
    string(REPLACE "." "_" _pkg_rez_upper "${_pkg_rez_upper}")
    if(DEFINED ENV{REZ_${_pkg_rez_upper}_VERSION})
        _pkg_rez_split_version(${_pkg_rez_upper} "$ENV{REZ_${_pkg_rez_upper}_VERSION}")
    endif()
endforeach()

if(REZ_BUILD_PROJECT_VERSION)
    string(TOUPPER "${REZ_BUILD_PROJECT_NAME}" _pkg_rez_upper)
    _pkg_rez_split_version(${_pkg_rez_upper} "${REZ_BUILD_PROJECT_VERSION}")
endif()

if(NOT PROJECT_NAME)
    project(${REZ_BUILD_PROJECT_NAME})
endif()

macro(rez_package_in_use name result)
    list(FIND REZ_BUILD_ALL_PKGS "${name}" _pkg_rez_index)
    if(_pkg_rez_index EQUAL -1)
        set(${result} FALSE)
    else()
        set(${result} TRUE)
    endif()
endmacro()

function(rez_install_files)
    cmake_parse_arguments(ARG "EXECUTABLE;LOCAL_SYMLINK" "RELATIVE;DESTINATION" "" ${ARGN})
    if(NOT DEFINED ARG_DESTINATION)
        message(FATAL_ERROR "rez_install_files: DESTINATION is required")
    endif()
    if(ARG_EXECUTABLE)
        set(permissions OWNER_READ OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
            WORLD_READ WORLD_EXECUTE)
    else()
        set(permissions OWNER_READ GROUP_READ WORLD_READ)
    endif()
    foreach(file ${ARG_UNPARSED_ARGUMENTS})
        get_filename_component(absolute "${file}" ABSOLUTE)
        if(DEFINED ARG_RELATIVE)
            get_filename_component(base "${ARG_RELATIVE}" ABSOLUTE)
        else()
            set(base "${CMAKE_CURRENT_SOURCE_DIR}")
        endif()
        file(RELATIVE_PATH relative "${base}" "${absolute}")
        get_filename_component(subdir "${relative}" DIRECTORY)
        install(FILES "${absolute}" DESTINATION "${ARG_DESTINATION}/${subdir}"
                PERMISSIONS ${permissions})
    endforeach()
endfunction()
