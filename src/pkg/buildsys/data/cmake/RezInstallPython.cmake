# rez_install_python(<label> FILES <files...> DESTINATION <dir> [RELATIVE <dir>]
#                    [LOCAL_SYMLINK])
#
# Installs Python files as rez_install_files does (same DESTINATION, RELATIVE and
# LOCAL_SYMLINK meaning).  `python` must be a package of the build.  Unless LOCAL_SYMLINK
# applies, when REZ_BUILD_INSTALL_PYC is set (the install_pyc setting) the target <label>
# (built by default) compiles each file with the `python` on PATH, which fails on syntax
# errors, and each compiled file is installed next to its source as <file>c.

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/InstallFiles.cmake")

function(rez_install_python label)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "LOCAL_SYMLINK" "" "FILES;DESTINATION;RELATIVE;BIN")
    list(FIND REZ_BUILD_ALL_PKGS python python_index)
    if(python_index EQUAL -1)
        message(FATAL_ERROR "rez_install_python: python must be a package of the build "
                            "(the build's packages: ${REZ_BUILD_ALL_PKGS})")
    endif()
    _pkg_rez_first(destination ARG_DESTINATION)
    _pkg_rez_first(relative ARG_RELATIVE)
    if(NOT ARG_FILES)
        message(FATAL_ERROR "rez_install_python: no FILES given")
    endif()
    if(destination STREQUAL "")
        message(FATAL_ERROR "rez_install_python: DESTINATION is required")
    endif()
    if(relative STREQUAL "")
        set(relative ".")
    endif()
    set(symlink)
    if(ARG_LOCAL_SYMLINK)
        set(symlink LOCAL_SYMLINK)
    endif()
    rez_install_files(${ARG_FILES} RELATIVE "${relative}" DESTINATION "${destination}"
                      ${symlink})
    set(compiled)
    if("$ENV{REZ_BUILD_INSTALL_PYC}" AND NOT symlink)
        get_filename_component(base "${relative}" ABSOLUTE)
        foreach(file IN LISTS ARG_FILES)
            get_filename_component(absolute "${file}" ABSOLUTE)
            file(RELATIVE_PATH relative_file "${base}" "${absolute}")
            set(target "${destination}/${relative_file}")
            set(output "${CMAKE_CURRENT_BINARY_DIR}/${label}/${target}c")
            get_filename_component(target_dir "${target}" DIRECTORY)
            get_filename_component(output_dir "${output}" DIRECTORY)
            add_custom_command(
                OUTPUT "${output}"
                COMMAND "${CMAKE_COMMAND}" -E make_directory "${output_dir}"
                COMMAND python -c "import py_compile, sys; py_compile.compile(sys.argv[1], sys.argv[2], None, True)"
                        "${absolute}" "${output}"
                DEPENDS "${absolute}"
                VERBATIM)
            install(FILES "${output}" DESTINATION "${target_dir}")
            list(APPEND compiled "${output}")
        endforeach()
    endif()
    add_custom_target("${label}" ALL DEPENDS ${compiled})
endfunction()
