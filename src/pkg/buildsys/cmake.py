"""The ``cmake`` build system: configure with cmake, then build and install with its generator's
tool (``make`` by default), as Rez does.

Steps (all in the variant's build directory)::

    cmake <source> <cmake_args setting> <build args> -DCMAKE_INSTALL_PREFIX=<install path>
          -DCMAKE_MODULE_PATH=<modules> -DCMAKE_BUILD_TYPE=<--bt> -DREZ_BUILD_TYPE=<type>
          -DREZ_BUILD_INSTALL=<0|1> -G <generator of --bs>
    make <child build args> -j<threads>
    make <child build args> -j<threads> install            (when installing)

``<modules>`` is pkg's own module directory (:data:`CMAKE_FILES`) followed by the build
context's ``CMAKE_MODULE_PATH``, joined with ``;`` (Rez's order); the same value is
exported as ``CMAKE_MODULE_PATH``.  That directory holds pkg's ``RezBuild.cmake`` and the
modules it loads (``rez_find_packages``, ``rez_install_cmake``, ``rez_install_files``,
...), so projects written for Rez that ``include(RezBuild)`` build with pkg (see
``docs/building.md`` for what they cover).  ``rez_find_packages`` reads the
``CMAKE_MODULE_PATH`` environment variable to find the packages' ``<name>.cmake`` files.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from pkg.buildsys.base import BuildSystem, BuildSystemError, CliOption, setting

if TYPE_CHECKING:
    from pkg.buildsys.base import BuildPackage, BuildRequest, BuildStep

__all__ = ["BUILD_TARGETS", "CMAKE_FILES", "DOXYFILE", "GENERATORS", "CMakeBuildSystem"]

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
#: pkg's CMake modules, appended to ``CMAKE_MODULE_PATH``.
CMAKE_FILES = os.path.join(_DATA, "cmake")
#: The Doxygen template exported as ``REZ_BUILD_DOXYFILE``.
DOXYFILE = os.path.join(_DATA, "Doxyfile")

#: ``--bs`` values and the cmake generator each selects (Rez's table).
GENERATORS: dict[str, str] = {
    "eclipse": "Eclipse CDT4 - Unix Makefiles",
    "codeblocks": "CodeBlocks - Unix Makefiles",
    "make": "Unix Makefiles",
    "nmake": "NMake Makefiles",
    "mingw": "MinGW Makefiles",
    "xcode": "Xcode",
    "ninja": "Ninja",
}
#: ``--bt`` values (``CMAKE_BUILD_TYPE``).
BUILD_TARGETS = ("Debug", "Release", "RelWithDebInfo")
#: The build tool each generator needs, when not ``make``.
_BUILD_TOOLS = {"mingw": "mingw32-make", "nmake": "nmake", "ninja": "ninja"}
#: Rez's default ``cmake_args`` setting.
DEFAULT_CMAKE_ARGS = ("-Wno-dev", "--no-warn-unused-cli")


class CMakeBuildSystem(BuildSystem):
    """``CMakeLists.txt`` in the source directory; ``make`` is its child system."""

    name = "cmake"
    child_of = "make"

    def is_valid_root(self, source_dir: str, package: BuildPackage | None = None) -> bool:
        return os.path.isfile(os.path.join(source_dir, "CMakeLists.txt"))

    def cli_options(self) -> tuple[CliOption, ...]:
        return (
            CliOption(
                ("--bt", "--build-target"),
                "build_target",
                BUILD_TARGETS,
                "build_target",
                "set the build target (CMAKE_BUILD_TYPE)",
            ),
            CliOption(
                ("--bs", "--cmake-build-system"),
                "cmake_build_system",
                tuple(GENERATORS),
                "build_system",
                "set the cmake build system (generator)",
            ),
        )

    def environ(self, request: BuildRequest) -> dict[str, str]:
        """``CMAKE_MODULE_PATH`` (extended), ``REZ_BUILD_DOXYFILE``, ``REZ_BUILD_INSTALL_PYC``."""
        return {
            "CMAKE_MODULE_PATH": module_path(request),
            "REZ_BUILD_DOXYFILE": DOXYFILE,
            "REZ_BUILD_INSTALL_PYC": "1" if setting(request, "install_pyc", True) else "0",
        }

    def steps(self, request: BuildRequest) -> list[BuildStep]:
        """Configure, build and (when installing) install; only configure for ``scripts``.

        Raises:
            BuildSystemError: for an unknown build target or generator, or Xcode off macOS.
        """
        generator = self._choice(request, "cmake_build_system", "build_system", "make", GENERATORS)
        steps = [self.step(request, "configure", configure_command(request))]
        if request.scripts:
            return steps
        tool = str(setting(request, "make_binary", "") or _BUILD_TOOLS.get(generator, "make"))
        build = [tool, *request.child_build_args]
        if tool != "nmake" and not any(arg.startswith("-j") for arg in request.child_build_args):
            build.append(f"-j{request.thread_count}")
        steps.append(self.step(request, "build", tuple(build)))
        if request.install and "install" not in build:
            steps.append(self.step(request, "install", (*build, "install")))
        return steps

    def _choice(
        self,
        request: BuildRequest,
        dest: str,
        key: str,
        default: str,
        allowed: tuple[str, ...] | dict[str, str],
    ) -> str:
        value = str(request.options.get(dest) or setting(request, key, default))
        if value not in allowed:
            raise BuildSystemError(
                f"{request.source_path}: unknown cmake {key.replace('_', ' ')} {value!r} "
                f"(one of {', '.join(allowed)})",
                source_dir=request.source_path,
            )
        if value == "xcode" and sys.platform != "darwin":
            raise BuildSystemError(
                f"{request.source_path}: the Xcode generator is only available on macOS",
                source_dir=request.source_path,
            )
        return value


def module_path(request: BuildRequest) -> str:
    """:data:`CMAKE_FILES` followed by the build context's ``CMAKE_MODULE_PATH``,
    ``;``-separated, with forward slashes.

    The order is Rez's: it extends ``CMAKE_MODULE_PATH`` before the packages' commands
    run, so its own modules come before those of the packages in the build.
    """
    inherited = request.context_environ.get("CMAKE_MODULE_PATH", "")
    parts = [CMAKE_FILES, *(part for part in inherited.split(";") if part)]
    return ";".join(parts).replace("\\", "/")


def configure_command(request: BuildRequest) -> tuple[str, ...]:
    """The cmake command line of the configure step (Rez's argument order).

    Raises:
        BuildSystemError: for an unknown build target or generator.
    """
    system = CMakeBuildSystem()
    target = system._choice(request, "build_target", "build_target", "Release", BUILD_TARGETS)
    generator = system._choice(request, "cmake_build_system", "build_system", "make", GENERATORS)
    cmake_args = setting(request, "cmake_args", DEFAULT_CMAKE_ARGS)
    return (
        str(setting(request, "cmake_binary", "") or "cmake"),
        request.source_path,
        *(str(arg) for arg in cmake_args),  # type: ignore[attr-defined]
        *request.build_args,
        f"-DCMAKE_INSTALL_PREFIX={request.install_path}",
        f"-DCMAKE_MODULE_PATH={module_path(request)}",
        f"-DCMAKE_BUILD_TYPE={target}",
        f"-DREZ_BUILD_TYPE={request.build_type}",
        f"-DREZ_BUILD_INSTALL={1 if request.install else 0}",
        "-G",
        GENERATORS[generator],
    )
