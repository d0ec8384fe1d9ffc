# Helpers shared by pkg's Rez-compatible CMake modules (not part of their interface).

include_guard(GLOBAL)

# _pkg_rez_quote(<out> <value>): <value> as a bracket argument, to write into generated
# CMake code: it stays one argument, with no variable expansion and its `;` kept.
function(_pkg_rez_quote out value)
    set(equals "=")
    while(value MATCHES "]${equals}]")
        string(APPEND equals "=")
    endwhile()
    set(${out} "[${equals}[${value}]${equals}]" PARENT_SCOPE)
endfunction()

# _pkg_rez_first(<out> <list variable>): the first item of the list, or "" when empty.
# (Rez's macros take the first value given after a keyword and ignore the rest.)
function(_pkg_rez_first out list_name)
    set(value "")
    list(LENGTH ${list_name} length)
    if(length GREATER 0)
        list(GET ${list_name} 0 value)
    endif()
    set(${out} "${value}" PARENT_SCOPE)
endfunction()

# _pkg_rez_install_symlink(<source> <target>): at install time, make <target> (relative
# to the install prefix unless absolute) a symlink to the absolute path <source>,
# creating its directory and replacing what is there.
function(_pkg_rez_install_symlink source target)
    _pkg_rez_quote(quoted_source "${source}")
    _pkg_rez_quote(quoted_target "${target}")
    install(CODE "
        set(_pkg_rez_link ${quoted_target})
        if(NOT IS_ABSOLUTE \"\${_pkg_rez_link}\")
            set(_pkg_rez_link \"\${CMAKE_INSTALL_PREFIX}/\${_pkg_rez_link}\")
        endif()
        get_filename_component(_pkg_rez_link \"\$ENV{DESTDIR}\${_pkg_rez_link}\" ABSOLUTE)
        get_filename_component(_pkg_rez_link_dir \"\${_pkg_rez_link}\" DIRECTORY)
        file(MAKE_DIRECTORY \"\${_pkg_rez_link_dir}\")
        message(STATUS \"Symlinking: \${_pkg_rez_link} -> \" ${quoted_source})
        file(CREATE_LINK ${quoted_source} \"\${_pkg_rez_link}\" SYMBOLIC)
    ")
endfunction()
