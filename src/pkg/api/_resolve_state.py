"""What a solve saw of its repositories, recorded cheaply and checked again later.

The resolve cache (:mod:`pkg.api._resolve_cache`) keeps, with each entry:

* for every family the solver listed, in every repository of the search path: the stamp
  of the family directory, taken *before* it was listed, and a digest of the visible
  versions; without a directory, the states of the combined family files
  (``<family>.py``/``.yaml``);
* for every definition the solver loaded: the stamp of its file.

A stamp is ``(mtime_ns, ctime_ns, size, inode)``.  An equal stamp is enough once it is
old enough to be trusted (:data:`RACY_NS` after the change it records: git's "racy
clean" rule, which the repository index follows too).  A family whose directory stamp is
young or different is listed again: it is unchanged if the same versions are visible.  A
young file is compared by content hash; a file with a different stamp has changed.

States are kept *packed*, as plain JSON data with paths relative to their repository,
because an entry of a large resolve holds thousands of them and reading and checking it
must stay cheap:

* files: ``[[repo, lines], ...]``, one item per repository (``repo`` -1 for absolute
  paths outside every repository), ``lines`` one file per line: ``path`` alone for an
  absent file, else ``path mtime_ns ctime_ns size inode``, followed by ``seen sha1`` when
  the stamp was too young to be trusted (fields separated by tabs);
* family: ``[repo, family, stamp or None, seen, volatile, digest, combined]``, where
  ``digest`` hashes the visible versions, ``volatile`` says the listing depends on more
  than the directory (``.building`` markers, ``check_package_definition_files``), so it
  is always listed again, and ``combined`` holds the lines of ``<family>.py`` and
  ``<family>.yaml`` when there is no directory.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
import time
from typing import TYPE_CHECKING, Any

from pkg.core import Version, VersionRange
from pkg.repositories import FilesystemRepository, PackageSearchPath

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from pkg.packages import Package
    from pkg.repositories import Repository

__all__ = [
    "RACY_NS",
    "RecordingSearchPath",
    "check_families",
    "check_files",
    "pack_files",
    "roots",
]

#: How long after a change a stamp becomes trustworthy (covers coarse fs clocks).
RACY_NS = 2_000_000_000
_BUILDING_PREFIX = ".building"

#: A packed state (see the module docstring).
Packed = list[Any]


def roots(repositories: Sequence[Repository]) -> list[str]:
    """Each repository's directory with a trailing separator (paths are kept below it)."""
    return [os.path.join(r.location, "") for r in repositories]


def _relative(path: str, bases: Sequence[str]) -> tuple[int, str]:
    for position, base in enumerate(bases):
        if path.startswith(base):
            return position, path[len(base) :]
    return -1, path


def _sha1(path: str) -> str:
    with open(path, "rb") as stream:
        return hashlib.sha1(stream.read()).hexdigest()


def _digest(versions: Iterable[str]) -> str:
    return hashlib.sha1("\0".join(versions).encode("utf-8")).hexdigest()


def _file_line(path: str, bases: Sequence[str]) -> tuple[int, str]:
    """The repository of ``path`` and its line (see the module docstring)."""
    repo, relative = _relative(path, bases)
    seen = time.time_ns()
    try:
        st = os.stat(path)
        mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
        young = seen - max(mtime, ctime) < RACY_NS
        sha1 = _sha1(path) if young else ""
    except OSError:
        return repo, relative
    line = f"{relative}\t{mtime}\t{ctime}\t{st.st_size}\t{st.st_ino}"
    return repo, (f"{line}\t{seen}\t{sha1}" if young else line)


def pack_files(lines: Iterable[tuple[int, str]]) -> list[Packed]:
    """Lines of :func:`_file_line` grouped by repository."""
    grouped: dict[int, list[str]] = {}
    for repo, line in lines:
        grouped.setdefault(repo, []).append(line)
    return [[repo, "\n".join(group)] for repo, group in grouped.items()]


def _observe_family(
    position: int, repository: Repository, family: str, bases: Sequence[str]
) -> tuple[Packed, tuple[str, ...]]:
    """The packed state of ``family`` and its visible versions: the stamp first, then
    the listing, so that a change made in between shows as a changed stamp, never as a
    stale listing."""
    directory = bases[position] + family
    seen = time.time_ns()
    try:
        st = os.stat(directory)
        is_dir = stat_module.S_ISDIR(st.st_mode)
    except OSError:
        is_dir = False
    stamp = None
    combined: list[Packed] = []
    volatile = False
    if is_dir:
        stamp = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
        volatile = isinstance(repository, FilesystemRepository) and (
            repository.settings.check_definition_files
        )
        try:
            volatile = volatile or any(
                n.startswith(_BUILDING_PREFIX) for n in os.listdir(directory)
            )
        except OSError:
            volatile = True
    else:
        combined = pack_files(_file_line(f"{directory}.{ext}", bases) for ext in ("py", "yaml"))
    versions = tuple(str(v) for v in repository.iter_versions(family))
    return [position, family, stamp, seen, volatile, _digest(versions), combined], versions


class RecordingSearchPath(PackageSearchPath):
    """A search path that remembers what the solver listed and loaded.

    Each family is listed once per repository and the listing is kept, so every later
    question about it gets the same answer (the one the recorded state describes);
    every definition returned is stamped.
    """

    def __init__(self, inner: PackageSearchPath) -> None:
        super().__init__(inner.repositories)
        self.bases = roots(self.repositories)
        #: family -> packed state in each repository
        self.families: dict[str, list[Packed]] = {}
        #: definition file -> (repository, line)
        self.files: dict[str, tuple[int, str]] = {}
        self._listed: dict[str, list[list[Version]]] = {}

    def iter_versions(
        self, name: str, range_: VersionRange | str | None = None
    ) -> Iterator[Version]:
        listed = self._listed.get(name)
        if listed is None:
            states, listed = [], []
            for position, repository in enumerate(self.repositories):
                state, texts = _observe_family(position, repository, name, self.bases)
                states.append(state)
                listed.append([Version(v) for v in texts])
            self.families[name] = states
            self._listed[name] = listed
        wanted = VersionRange(range_) if isinstance(range_, str) else range_
        seen: set[Version] = set()
        for versions in listed:
            for version in versions:
                if version in seen:
                    continue
                seen.add(version)
                if wanted is None or version in wanted:
                    yield version

    def record(self, packages: Iterable[Package]) -> None:
        """Stamp the definition files of ``packages`` (those the solve read)."""
        for package in packages:
            path = package.definition.filepath
            if path and path not in self.files and "\t" not in path and "\n" not in path:
                self.files[path] = _file_line(path, self.bases)


# -- checking ------------------------------------------------------------------------------


def check_files(files: list[Packed], bases: Sequence[str]) -> list[Packed] | None:
    """``files`` if every file is unchanged; an equivalent list with fresher states if
    some had to be compared by content; None if one changed (or ``files`` is malformed:
    a damaged entry is a changed one)."""
    now = time.time_ns()  # taken before any stat: a safe "seen" for refreshed lines
    fresher: list[Packed] | None = None
    stat = os.stat
    for position, (repo, text) in enumerate(files):
        base = bases[repo] if repo >= 0 else ""
        lines = text.split("\n")
        changed = False
        for number, line in enumerate(lines):
            fields = line.split("\t")
            try:
                st = stat(base + fields[0])
            except OSError:
                if len(fields) == 1:
                    continue
                return None
            if (
                len(fields) == 1
                or st.st_mtime_ns != int(fields[1])
                or st.st_ctime_ns != int(fields[2])
                or st.st_size != int(fields[3])
                or st.st_ino != int(fields[4])
            ):
                return None
            if len(fields) == 5:
                continue
            newest = max(st.st_mtime_ns, st.st_ctime_ns)
            if int(fields[5]) - newest >= RACY_NS:
                continue
            try:
                if _sha1(base + fields[0]) != fields[6]:
                    return None
            except OSError:
                return None
            trusted = now - newest >= RACY_NS
            lines[number] = "\t".join(fields[:5] if trusted else [*fields[:5], str(now), fields[6]])
            changed = True
        if changed:
            if fresher is None:
                fresher = list(files)
            fresher[position] = [repo, "\n".join(lines)]
    return files if fresher is None else fresher


def check_families(
    families: list[Packed], repositories: Sequence[Repository], bases: Sequence[str]
) -> list[Packed] | None:
    """``families`` if each still lists the same versions; an equivalent list with
    fresher states if some had to be listed again; None if one changed."""
    fresher: list[Packed] | None = None
    for position, item in enumerate(families):
        repo, family, stamp, seen, volatile, digest, combined = item
        directory = bases[repo] + family
        current: list[int] | None = None
        try:
            st = os.stat(directory)
            if stat_module.S_ISDIR(st.st_mode):
                current = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
        except OSError:
            pass
        if current is None and stamp is None:
            checked = check_files(combined, bases)
            if checked is None:
                return None
            if checked is combined:
                continue
            new = [*item[:6], checked]
        elif current == stamp and not volatile and seen - max(stamp[0], stamp[1]) >= RACY_NS:
            continue
        else:
            new, _versions = _observe_family(repo, repositories[repo], family, bases)
            if new[5] != digest:
                return None
        if fresher is None:
            fresher = list(families)
        fresher[position] = new
    return families if fresher is None else fresher
