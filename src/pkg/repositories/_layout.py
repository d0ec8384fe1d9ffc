"""How a Rez filesystem repository is laid out on disk, read without any cache.

::

    <repo>/<family>/<version>/package.py     a versioned package
    <repo>/<family>/package.py               an unversioned package (hides the versions)
    <repo>/<family>/.ignore<version>         hides <version>
    <repo>/<family>/.building<version>       <version> is being installed: hidden until its
                                             directory holds a definition file
    <repo>/<family>.py | <family>.yaml       a "combined" family (read only, see _combined)

Names that are not valid package names, and every name starting with a dot, are skipped.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg._record import record
from pkg.core import Version, is_valid_package_name
from pkg.errors import VersionError

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config

__all__ = [
    "BUILDING_PREFIX",
    "IGNORE_PREFIX",
    "FamilyListing",
    "LayoutSettings",
    "Stamp",
    "find_definition",
    "list_families",
    "list_family",
    "stamp",
    "version_order",
]

IGNORE_PREFIX = ".ignore"
BUILDING_PREFIX = ".building"
#: Files at the top of a repository that are never families.
RESERVED_NAMES = frozenset({"settings.yaml"})
_FORMATS = ("py", "yaml")

#: What identifies one state of a file or directory: (mtime_ns, ctime_ns, size, inode).
Stamp = tuple[int, int, int, int]


def stamp(st: os.stat_result) -> Stamp:
    """The :data:`Stamp` of a stat result."""
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


@record(frozen=True, slots=True)
class LayoutSettings:
    """The settings that decide what a listing contains (and so key the index)."""

    #: Definition file names to try in order, e.g. ``("package.py", "package.yaml")``.
    filenames: tuple[str, ...] = ("package.py", "package.yaml")
    check_definition_files: bool = False
    allow_unversioned: bool = True
    honour_ignore: bool = True
    lock_dir: str | None = None

    @classmethod
    def from_config(cls, config: Config, *, honour_ignore: bool = True) -> LayoutSettings:
        fs = config.plugins.package_repository.filesystem
        return cls(
            filenames=tuple(f"{base}.{ext}" for base in fs.package_filenames for ext in _FORMATS),
            check_definition_files=fs.check_package_definition_files,
            allow_unversioned=config.allow_unversioned_packages,
            honour_ignore=honour_ignore,
            lock_dir=fs.file_lock_dir,
        )

    def fingerprint(self) -> str:
        """A short hash of the settings, so that differently configured readers never
        share index entries."""
        text = repr((self.filenames, self.check_definition_files, self.allow_unversioned))
        return hashlib.sha1(text.encode()).hexdigest()[:8]


def find_definition(directory: str | Path, filenames: tuple[str, ...]) -> str | None:
    """The name of the first definition file present in ``directory``, or None."""
    prefix = os.fspath(directory) + os.sep
    for name in filenames:
        try:
            st = os.stat(prefix + name)
        except OSError:
            continue
        if stat_module.S_ISREG(st.st_mode):
            return name
    return None


def list_families(root: Path, settings: LayoutSettings) -> list[tuple[str, str | None]]:
    """``(name, combined_ext)`` of each family under ``root``, sorted by name.

    ``combined_ext`` is ``"py"``/``"yaml"`` for a combined family file, else None.
    """
    found: dict[str, str | None] = {}
    try:
        entries = list(os.scandir(root))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        name = entry.name
        if name in RESERVED_NAMES or name == settings.lock_dir or name.startswith("."):
            continue
        if entry.is_dir():
            if is_valid_package_name(name):
                found[name] = None
            continue
        stem, _, ext = name.rpartition(".")
        if ext in _FORMATS and is_valid_package_name(stem) and stem not in found:
            found[stem] = ext
    return sorted(found.items())


@dataclass(frozen=True, slots=True)
class FamilyListing:
    """What a family directory holds, from one ``scandir`` (no file is opened).

    Attributes:
        unversioned: the definition file directly in the family directory, if the
            family is unversioned (only when unversioned packages are allowed).
        candidates: sorted names of subdirectories that may be versions (not hidden,
            not ignored).
        building: version names with a ``.building`` marker.
        versions: the candidates that are valid versions, lowest version first (None:
            not worked out), so that a listing read from the index parses no version.
    """

    unversioned: str | None
    candidates: tuple[str, ...]
    building: frozenset[str]
    versions: tuple[str, ...] | None = None


def version_order(names: tuple[str, ...]) -> tuple[str, ...]:
    """The names that are valid versions, lowest first (equal versions keep their order)."""
    parsed = []
    for name in names:
        try:
            parsed.append((Version(name), name))
        except VersionError:
            continue
    parsed.sort(key=_first)
    return tuple(name for _version, name in parsed)


def _first(item: tuple[Version, str]) -> Version:
    return item[0]


def list_family(family_dir: Path, settings: LayoutSettings) -> FamilyListing | None:
    """Scan one family directory; None if it does not exist (any more)."""
    try:
        entries = list(os.scandir(family_dir))
    except (FileNotFoundError, NotADirectoryError):
        return None
    files: set[str] = set()
    dirs: list[str] = []
    ignored: set[str] = set()
    building: set[str] = set()
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            if name.startswith(IGNORE_PREFIX):
                ignored.add(name[len(IGNORE_PREFIX) :])
            elif name.startswith(BUILDING_PREFIX):
                building.add(name[len(BUILDING_PREFIX) :])
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            continue
        if is_dir:
            dirs.append(name)
        else:
            files.add(name)
    if settings.allow_unversioned:
        for filename in settings.filenames:
            if filename in files:
                return FamilyListing(filename, (), frozenset(), ())
    if settings.honour_ignore:
        dirs = [name for name in dirs if name not in ignored]
    candidates = tuple(sorted(dirs))
    return FamilyListing(None, candidates, frozenset(building), version_order(candidates))
