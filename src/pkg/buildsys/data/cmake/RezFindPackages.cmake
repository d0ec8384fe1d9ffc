# rez_find_packages([<package>...] PREFIX <prefix> [REQUIRED] [AUTO]
#                   [INCLUDE_DIRS_NO_SYSTEM])
#
# Gathers the build settings of packages (by default every package of the build,
# REZ_BUILD_ALL_PKGS).  For each package <name>, the first <name>.cmake found in the
# directories of the CMAKE_MODULE_PATH environment variable (then of the CMAKE_MODULE_PATH
# CMake variable) is included; packages put theirs there from their commands, e.g. the
# file rez_install_cmake installs.  That file sets <name>_INCLUDE_DIRS,
# <name>_LIBRARY_DIRS, <name>_LIBRARIES and <name>_DEFINITIONS, which this macro appends,
# in package order, to
#
#   <prefix>_INCLUDE_DIRS          (or <prefix>_SYSTEM_INCLUDE_DIRS when the file sets
#                                   <name>_USE_SYSTEM_INCLUDE_DIRS, unless
#                                   INCLUDE_DIRS_NO_SYSTEM is given)
#   <prefix>_LIBRARY_DIRS
#   <prefix>_LIBRARIES
#   <prefix>_DEFINITIONS           (without duplicates)
#
# all reset first.  A package without such a file is skipped, or is an error with
# REQUIRED.  With AUTO the results are also applied to the current directory:
# include_directories (SYSTEM for the system ones), link_directories, and the
# definitions appended to CMAKE_CXX_FLAGS.  It is a macro: the variables the included
# files set stay visible to the caller.

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/_PkgRezSupport.cmake")

macro(rez_find_packages)
    cmake_parse_arguments(_pkg_rez_fp "REQUIRED;AUTO;INCLUDE_DIRS_NO_SYSTEM" "" "PREFIX"
                          ${ARGN})
    _pkg_rez_first(_pkg_rez_fp_prefix _pkg_rez_fp_PREFIX)
    if(_pkg_rez_fp_prefix STREQUAL "")
        message(FATAL_ERROR "rez_find_packages: PREFIX is required")
    endif()
    set(_pkg_rez_fp_names ${_pkg_rez_fp_UNPARSED_ARGUMENTS})
    if(NOT _pkg_rez_fp_names)
        set(_pkg_rez_fp_names ${REZ_BUILD_ALL_PKGS})
    endif()
    foreach(_pkg_rez_fp_kind INCLUDE_DIRS SYSTEM_INCLUDE_DIRS LIBRARY_DIRS LIBRARIES
                             DEFINITIONS)
        set(${_pkg_rez_fp_prefix}_${_pkg_rez_fp_kind})
    endforeach()
    set(_pkg_rez_fp_dirs "$ENV{CMAKE_MODULE_PATH}")
    list(APPEND _pkg_rez_fp_dirs ${CMAKE_MODULE_PATH})

    foreach(_pkg_rez_fp_name IN LISTS _pkg_rez_fp_names)
        set(_pkg_rez_fp_module "")
        foreach(_pkg_rez_fp_dir IN LISTS _pkg_rez_fp_dirs)
            if(_pkg_rez_fp_module STREQUAL ""
               AND EXISTS "${_pkg_rez_fp_dir}/${_pkg_rez_fp_name}.cmake")
                set(_pkg_rez_fp_module "${_pkg_rez_fp_dir}/${_pkg_rez_fp_name}.cmake")
            endif()
        endforeach()
        if(_pkg_rez_fp_module STREQUAL "")
            if(_pkg_rez_fp_REQUIRED)
                message(FATAL_ERROR "rez_find_packages: no ${_pkg_rez_fp_name}.cmake on "
                                    "CMAKE_MODULE_PATH for package ${_pkg_rez_fp_name}")
            endif()
        else()
            include("${_pkg_rez_fp_module}")
            message(STATUS "rez_find_packages: ${_pkg_rez_fp_name}: ${_pkg_rez_fp_module}")
            if(${_pkg_rez_fp_name}_USE_SYSTEM_INCLUDE_DIRS
               AND NOT _pkg_rez_fp_INCLUDE_DIRS_NO_SYSTEM)
                list(APPEND ${_pkg_rez_fp_prefix}_SYSTEM_INCLUDE_DIRS
                     ${${_pkg_rez_fp_name}_INCLUDE_DIRS})
            else()
                list(APPEND ${_pkg_rez_fp_prefix}_INCLUDE_DIRS
                     ${${_pkg_rez_fp_name}_INCLUDE_DIRS})
            endif()
            foreach(_pkg_rez_fp_kind LIBRARY_DIRS LIBRARIES DEFINITIONS)
                list(APPEND ${_pkg_rez_fp_prefix}_${_pkg_rez_fp_kind}
                     ${${_pkg_rez_fp_name}_${_pkg_rez_fp_kind}})
            endforeach()
        endif()
    endforeach()
    if(${_pkg_rez_fp_prefix}_DEFINITIONS)
        list(REMOVE_DUPLICATES ${_pkg_rez_fp_prefix}_DEFINITIONS)
    endif()

    if(_pkg_rez_fp_AUTO)
        include_directories(${${_pkg_rez_fp_prefix}_INCLUDE_DIRS})
        if(${_pkg_rez_fp_prefix}_SYSTEM_INCLUDE_DIRS)
            include_directories(SYSTEM ${${_pkg_rez_fp_prefix}_SYSTEM_INCLUDE_DIRS})
        endif()
        link_directories(${${_pkg_rez_fp_prefix}_LIBRARY_DIRS})
        foreach(_pkg_rez_fp_flag IN LISTS ${_pkg_rez_fp_prefix}_DEFINITIONS)
            string(REPLACE "\"" "\\\"" _pkg_rez_fp_flag "${_pkg_rez_fp_flag}")
            string(APPEND CMAKE_CXX_FLAGS " ${_pkg_rez_fp_flag}")
        endforeach()
    endif()
endmacro()
