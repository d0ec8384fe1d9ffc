# pkg's RezBuild module: lets CMake projects written for Rez's cmake build system
# configure under `pkg build`.  Written for pkg (it shares no code with Rez's modules).
#
#   include(RezBuild)
#     - fails unless configured by a build (REZ_BUILD_ENV set);
#     - sets REZ_BUILD_ENV, REZ_BUILD_PROJECT_NAME, REZ_BUILD_PROJECT_VERSION and
#       REZ_BUILD_ALL_PKGS (the unversioned names of the build request);
#     - sets <PKG>_VERSION and <PKG>_MAJOR/MINOR/PATCH_VERSION for the package being built
#       and for each package of the build whose REZ_<PKG>_VERSION is set;
#     - sets REZ_EXECUTABLE_FILE_INSTALL_PERMISSIONS (r-x for everyone);
#     - loads the modules below, then calls project(<package name>) unless a project is
#       already declared.
#   rez_project()                          project(<package name>)
#   rez_package_in_use(<name> <result>)    whether <name> is a package of the build
#   InstallFiles.cmake      rez_install_files(...)
#   InstallDirs.cmake       rez_install_dirs(...)
#   RezFindPackages.cmake   rez_find_packages(...)
#   RezInstallCMake.cmake   rez_install_cmake(...)
#   RezInstallPython.cmake  rez_install_python(...)
#
# Each module documents its functions.  See docs/building.md for what is not provided.

if(NOT DEFINED ENV{REZ_BUILD_ENV})
    message(FATAL_ERROR "RezBuild: this project must be configured by `pkg build`.")
endif()

set(REZ_BUILD_ENV "$ENV{REZ_BUILD_ENV}")
set(REZ_BUILD_PROJECT_NAME "$ENV{REZ_BUILD_PROJECT_NAME}")
set(REZ_BUILD_PROJECT_VERSION "$ENV{REZ_BUILD_PROJECT_VERSION}")
set(REZ_BUILD_ALL_PKGS "$ENV{REZ_BUILD_REQUIRES_UNVERSIONED}")
separate_arguments(REZ_BUILD_ALL_PKGS)

# Install permissions of EXECUTABLE files (REZ_FILE_INSTALL_PERMISSIONS stays unset, as
# with Rez, so other files get CMake's default permissions).
set(REZ_EXECUTABLE_FILE_INSTALL_PERMISSIONS
    OWNER_READ OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

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

include("${CMAKE_CURRENT_LIST_DIR}/InstallFiles.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/InstallDirs.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/RezFindPackages.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/RezInstallCMake.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/RezInstallPython.cmake")

macro(rez_project)
    project(${REZ_BUILD_PROJECT_NAME})
endmacro()

if(NOT PROJECT_NAME)
    rez_project()
endif()

macro(rez_package_in_use name result)
    list(FIND REZ_BUILD_ALL_PKGS "${name}" _pkg_rez_index)
    if(_pkg_rez_index EQUAL -1)
        set(${result} FALSE)
    else()
        set(${result} TRUE)
    endif()
endmacro()
