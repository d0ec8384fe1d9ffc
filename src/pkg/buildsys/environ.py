"""The ``REZ_BUILD_*`` variables every build step sees, as Rez's ``set_standard_vars`` sets them.

Values are literal strings (Rez escapes every one of them), so they are passed to the
build context unchanged, never expanded by a shell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.core import parse_requirement

if TYPE_CHECKING:
    from pkg.buildsys.base import BuildRequest, BuildSystem

__all__ = ["build_environ", "standard_environ"]


def standard_environ(request: BuildRequest) -> dict[str, str]:
    """The variables Rez sets for every build system.

    ``REZ_BUILD_INSTALL_PATH`` is left out only when ``request.install_path`` is empty
    (Rez always passes one).  ``REZ_BUILD_REQUIRES_UNVERSIONED`` holds the package names of
    ``REZ_BUILD_REQUIRES`` without their ``~``/``!`` markers.
    """
    package = request.package
    environ = {
        "REZ_BUILD_ENV": "1",
        "REZ_BUILD_PATH": request.build_path,
        "REZ_BUILD_THREAD_COUNT": str(request.thread_count),
        "REZ_BUILD_VARIANT_INDEX": str(request.variant_index or 0),
        "REZ_BUILD_VARIANT_REQUIRES": " ".join(request.variant_requires),
        "REZ_BUILD_VARIANT_SUBPATH": request.variant_subpath,
        "REZ_BUILD_PROJECT_VERSION": package.version,
        "REZ_BUILD_PROJECT_NAME": package.name,
        "REZ_BUILD_PROJECT_DESCRIPTION": package.description.strip(),
        "REZ_BUILD_PROJECT_FILE": package.filepath,
        "REZ_BUILD_SOURCE_PATH": package.root,
        "REZ_BUILD_REQUIRES": " ".join(request.build_requires),
        "REZ_BUILD_REQUIRES_UNVERSIONED": " ".join(
            parse_requirement(text).name for text in request.build_requires
        ),
        "REZ_BUILD_TYPE": request.build_type,
        "REZ_BUILD_INSTALL": "1" if request.install else "0",
    }
    if request.install_path:
        environ["REZ_BUILD_INSTALL_PATH"] = request.install_path
    return environ


def build_environ(request: BuildRequest, system: BuildSystem | None = None) -> dict[str, str]:
    """The standard variables plus those ``system`` adds (``CMAKE_MODULE_PATH`` for cmake,
    ``__PARSE_ARG_*`` for custom, ...); the caller sets them on top of the build context."""
    environ = standard_environ(request)
    if system is not None:
        environ.update(system.environ(request))
    return environ
