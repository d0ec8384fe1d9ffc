# rez_install_cmake([AUTO] [DESTINATION <dir>] [INCLUDE_DIRS <dir>...]
#                   [LIBRARY_DIRS <dir>...] [LIBRARIES <library>...]
#                   [DEFINITIONS <flag>...] [CUSTOM_STRING <text>]
#                   [USE_SYSTEM_INCLUDE_DIRS])
#
# At install time, writes <dir>/<name>.cmake under the install prefix (<name>: the package
# being built, REZ_BUILD_PROJECT_NAME) for rez_find_packages to include.  With the
# package's commands adding {root}/<dir> to CMAKE_MODULE_PATH, packages built against it
# find it.  The file sets, for the package's root $ENV{REZ_<NAME>_ROOT}:
#
#   <name>_ROOT                      the root
#   <name>_INCLUDE_DIRS              INCLUDE_DIRS, relative ones under the root
#   <name>_LIBRARY_DIRS              LIBRARY_DIRS, relative ones under the root
#   <name>_LIBRARIES                 LIBRARIES
#   <name>_DEFINITIONS               DEFINITIONS
#   <name>_USE_SYSTEM_INCLUDE_DIRS   TRUE with USE_SYSTEM_INCLUDE_DIRS, else FALSE
#
# followed by CUSTOM_STRING.  Quotes and backslashes in the values are escaped, so the
# file sets what was passed (`$` is left alone: `\$ENV{X}` is expanded when included).
# DESTINATION is required without AUTO; only its first value counts.  AUTO defaults
# DESTINATION to cmake, INCLUDE_DIRS to include and LIBRARY_DIRS to lib, and without
# LIBRARIES lists the libraries installed in LIBRARY_DIRS (*.lib, *.a static; *.so,
# *.dylib, *.bundle dynamic): <name>_LIBRARIES holds their names without extension
# (libfoo), and for each one <name>_<lib>_STATIC_LIBRARY and/or
# <name>_<lib>_DYNAMIC_LIBRARY hold its path under the root, and <name>_<lib>_LIBRARY the
# dynamic one unless <name>_USE_STATIC is set when it is included (or whichever exists).

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/_PkgRezSupport.cmake")
set_property(GLOBAL PROPERTY _PKG_REZ_INSTALL_CMAKE "${CMAKE_CURRENT_LIST_FILE}")

function(rez_install_cmake)
    cmake_parse_arguments(PARSE_ARGV 0 ARG "AUTO;USE_SYSTEM_INCLUDE_DIRS" ""
        "DESTINATION;INCLUDE_DIRS;LIBRARY_DIRS;LIBRARIES;DEFINITIONS;CUSTOM_STRING")
    if(ARG_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "rez_install_cmake: unexpected arguments: ${ARG_UNPARSED_ARGUMENTS}")
    endif()
    if(REZ_BUILD_PROJECT_NAME STREQUAL "")
        message(FATAL_ERROR "rez_install_cmake: include(RezBuild) first")
    endif()
    _pkg_rez_first(destination ARG_DESTINATION)
    if(ARG_AUTO)
        if(destination STREQUAL "")
            set(destination cmake)
        endif()
        if(NOT ARG_INCLUDE_DIRS)
            set(ARG_INCLUDE_DIRS include)
        endif()
        if(NOT ARG_LIBRARY_DIRS)
            set(ARG_LIBRARY_DIRS lib)
        endif()
    elseif(destination STREQUAL "")
        message(FATAL_ERROR "rez_install_cmake: DESTINATION is required without AUTO")
    endif()
    set(system FALSE)
    if(ARG_USE_SYSTEM_INCLUDE_DIRS)
        set(system TRUE)
    endif()
    get_property(module GLOBAL PROPERTY _PKG_REZ_INSTALL_CMAKE)
    _pkg_rez_quote(module "${module}")
    set(code "include(${module})\n_pkg_rez_write_cmake_file(")
    foreach(value REZ_BUILD_PROJECT_NAME destination ARG_INCLUDE_DIRS ARG_LIBRARY_DIRS
                  ARG_LIBRARIES ARG_DEFINITIONS ARG_CUSTOM_STRING system ARG_AUTO)
        _pkg_rez_quote(quoted "${${value}}")
        string(APPEND code "\n    ${quoted}")
    endforeach()
    install(CODE "${code})")
endfunction()

# _pkg_rez_rooted(<out> <root> <dirs>): each relative directory of <dirs> under <root>.
function(_pkg_rez_rooted out root dirs)
    set(result)
    foreach(dir IN LISTS dirs)
        if(IS_ABSOLUTE "${dir}")
            list(APPEND result "${dir}")
        else()
            list(APPEND result "${root}/${dir}")
        endif()
    endforeach()
    set(${out} "${result}" PARENT_SCOPE)
endfunction()

# _pkg_rez_write_cmake_file(...): rez_install_cmake's install-time part (run by the
# install script; CMAKE_INSTALL_PREFIX is the install prefix).
function(_pkg_rez_write_cmake_file name destination include_dirs library_dirs libraries
                                   definitions custom system auto)
    string(TOUPPER "${name}" upper)
    set(root "\$ENV{REZ_${upper}_ROOT}")
    set(prefix "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
    if(IS_ABSOLUTE "${destination}")
        set(path "$ENV{DESTDIR}${destination}/${name}.cmake")
    else()
        set(path "${prefix}/${destination}/${name}.cmake")
    endif()
    _pkg_rez_rooted(include_dirs "${root}" "${include_dirs}")
    _pkg_rez_rooted(installed_dirs "${prefix}" "${library_dirs}")
    _pkg_rez_rooted(library_dirs "${root}" "${library_dirs}")

    set(found "")
    set(tail "")
    if(auto AND libraries STREQUAL "")
        string(LENGTH "${prefix}/" prefix_length)
        foreach(kind STATIC DYNAMIC)
            set(${kind}_paths "")
            set(${kind}_uses "")
            if(kind STREQUAL "STATIC")
                set(extensions lib a)
            else()
                set(extensions so dylib bundle)
            endif()
            foreach(dir IN LISTS installed_dirs)
                foreach(extension IN LISTS extensions)
                    file(GLOB files "${dir}/*.${extension}")
                    foreach(file IN LISTS files)
                        string(SUBSTRING "${file}" 0 ${prefix_length} head)
                        if(head STREQUAL "${prefix}/")
                            string(SUBSTRING "${file}" ${prefix_length} -1 rest)
                            set(file "${root}/${rest}")
                        endif()
                        get_filename_component(library "${file}" NAME_WE)
                        string(REPLACE "\\" "\\\\" file "${file}")
                        string(REPLACE "\"" "\\\"" file "${file}")
                        list(APPEND libraries "${library}")
                        set(variable "${name}_${library}")
                        string(APPEND ${kind}_paths
                               "set(${variable}_${kind}_LIBRARY \"${file}\")\n")
                        string(APPEND ${kind}_uses
                               "set(${variable}_LIBRARY \${${variable}_${kind}_LIBRARY})\n")
                    endforeach()
                endforeach()
            endforeach()
        endforeach()
        if(libraries)
            list(REMOVE_DUPLICATES libraries)
        endif()
        if(STATIC_paths AND DYNAMIC_paths)
            string(APPEND tail "${STATIC_paths}\n${DYNAMIC_paths}\n"
                   "if(${name}_USE_STATIC)\n${STATIC_uses}else()\n${DYNAMIC_uses}endif()\n")
        elseif(STATIC_paths)
            string(APPEND tail "${STATIC_paths}\n${STATIC_uses}\n")
        elseif(DYNAMIC_paths)
            string(APPEND tail "${DYNAMIC_paths}\n${DYNAMIC_uses}\n")
        endif()
    endif()
    if(NOT custom STREQUAL "")
        string(APPEND tail "${custom}\n")
    endif()

    foreach(value include_dirs library_dirs libraries definitions)
        string(REPLACE "\\" "\\\\" ${value} "${${value}}")
        string(REPLACE "\"" "\\\"" ${value} "${${value}}")
    endforeach()
    message(STATUS "Installing: ${path}")
    file(WRITE "${path}"
        "set(${name}_ROOT \"${root}\")\n"
        "set(${name}_INCLUDE_DIRS \"${include_dirs}\")\n"
        "set(${name}_LIBRARY_DIRS \"${library_dirs}\")\n"
        "set(${name}_LIBRARIES \"${libraries}\")\n"
        "set(${name}_DEFINITIONS \"${definitions}\")\n\n"
        "set(${name}_USE_SYSTEM_INCLUDE_DIRS \"${system}\")\n\n"
        "${tail}")
endfunction()
