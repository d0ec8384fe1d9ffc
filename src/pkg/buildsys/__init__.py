"""The build systems of ``pkg build``: ``custom``, ``cmake``, ``make`` and ``python``.

A build system is a plugin: a :class:`~pkg.buildsys.base.BuildSystem` subclass registered
in the ``pkg.buildsys`` entry-point group (the four built-ins are declared there too, and
are always available even when the distribution's metadata is stale).  A system turns a
:class:`~pkg.buildsys.base.BuildRequest` into :class:`~pkg.buildsys.base.BuildStep`
objects; the caller runs them in the build context.  Nothing here runs a build or prints.

>>> from pkg.buildsys import build_system_names
>>> build_system_names()[:4]
['cmake', 'custom', 'make', 'python']
"""

from __future__ import annotations

import functools
from importlib import metadata
from typing import TYPE_CHECKING

from pkg.buildsys.base import (
    BuildPackage,
    BuildRequest,
    BuildStep,
    BuildSystem,
    BuildSystemError,
    BuildType,
    CliOption,
)
from pkg.buildsys.cmake import CMakeBuildSystem
from pkg.buildsys.custom import CustomBuildSystem, parse_build_args
from pkg.buildsys.environ import build_environ, standard_environ
from pkg.buildsys.make import MakeBuildSystem
from pkg.buildsys.python import PythonBuildSystem

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ENTRY_POINT_GROUP",
    "BuildPackage",
    "BuildRequest",
    "BuildStep",
    "BuildSystem",
    "BuildSystemError",
    "BuildType",
    "CliOption",
    "build_environ",
    "build_system_names",
    "build_systems",
    "detect",
    "get_build_system",
    "parse_build_args",
    "standard_environ",
]

#: The entry-point group build system plugins register in.
ENTRY_POINT_GROUP = "pkg.buildsys"

_BUILTINS: tuple[type[BuildSystem], ...] = (
    CustomBuildSystem,
    CMakeBuildSystem,
    MakeBuildSystem,
    PythonBuildSystem,
)


@functools.cache
def build_systems() -> Mapping[str, BuildSystem]:
    """Every registered build system by name: the built-ins, then entry points of
    :data:`ENTRY_POINT_GROUP` with other names, sorted by name.

    Raises:
        BuildSystemError: if an entry point does not load to a :class:`BuildSystem`
            subclass with a name.
    """
    systems: dict[str, BuildSystem] = {cls.name: cls() for cls in _BUILTINS}
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in systems:
            continue
        try:
            cls = entry.load()
        except Exception as error:
            raise BuildSystemError(
                f"build system plugin {entry.name!r} ({entry.value}) failed to load: {error}",
                source_dir="",
            ) from None
        if not (isinstance(cls, type) and issubclass(cls, BuildSystem) and cls.name):
            raise BuildSystemError(
                f"build system plugin {entry.name!r} ({entry.value}) is not a named "
                "BuildSystem subclass",
                source_dir="",
            )
        systems[entry.name] = cls()
    return dict(sorted(systems.items()))


def build_system_names() -> list[str]:
    """The names of :func:`build_systems`, sorted."""
    return list(build_systems())


def get_build_system(name: str, *, source_dir: str = "") -> BuildSystem:
    """The build system called ``name``.

    Raises:
        BuildSystemError: naming ``source_dir`` and the known systems, if there is none.
    """
    systems = build_systems()
    try:
        return systems[name]
    except KeyError:
        where = f"{source_dir}: " if source_dir else ""
        raise BuildSystemError(
            f"{where}unknown build system {name!r} (one of {', '.join(systems)})",
            source_dir=source_dir,
        ) from None


def detect(
    source_dir: str, package: BuildPackage | None = None, forced: str | None = None
) -> BuildSystem:
    """The build system that builds ``source_dir``, by Rez's rules.

    ``forced`` (``-b/--build-system``) wins, but must be valid for the directory.
    Otherwise a package with a ``build_command`` (even False) uses ``custom``; else its
    ``build_system`` attribute names the system; else every system whose
    :meth:`~BuildSystem.is_valid_root` accepts the directory is a candidate, minus the
    child systems of other candidates (cmake's ``make``).

    Raises:
        BuildSystemError: if no system, or more than one, fits (the message lists them
            and suggests ``-b``), or a named system is unknown or not valid here.
    """
    if forced:
        system = get_build_system(forced, source_dir=source_dir)
        if not system.is_valid_root(source_dir, package):
            raise BuildSystemError(
                f"{source_dir}: not a valid source directory for the {forced!r} build system",
                source_dir=source_dir,
            )
        return system
    if package is not None:
        if package.build_command is not None:
            return get_build_system("custom", source_dir=source_dir)
        if package.build_system:
            return get_build_system(package.build_system, source_dir=source_dir)
    matches = [
        system for system in build_systems().values() if system.is_valid_root(source_dir, package)
    ]
    children = {system.child_of for system in matches if system.child_of}
    matches = [system for system in matches if system.name not in children]
    if not matches:
        raise BuildSystemError(
            f"{source_dir}: no build system is associated with this directory "
            "(no build_command, CMakeLists.txt, Makefile or pyproject.toml)",
            source_dir=source_dir,
        )
    if len(matches) > 1:
        names = ", ".join(system.name for system in matches)
        raise BuildSystemError(
            f"{source_dir}: the source could be built with any of {names}; "
            "choose one with -b/--build-system",
            source_dir=source_dir,
        )
    return matches[0]
