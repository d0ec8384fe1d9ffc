"""The metadata index of a filesystem repository: listings and loaded definitions, kept on
disk so that a fresh process does not execute every ``package.py`` again.

Correctness comes first: every read checks the cached data against the file system.

* The family directory, each version directory and each definition file carry a
  :data:`~pkg.repositories._layout.Stamp` (mtime_ns, ctime_ns, size, inode) taken *before*
  their content was read.  A different stamp means the entry is re-read.
* A stamp can hide a change made within the same file-system clock tick as the previous
  one.  So a stamp is only trusted once the time it was taken lies :data:`RACY_NS` after
  the stamped mtime/ctime (git's "racy clean" rule); a younger entry is checked by
  listing the directory again, or by hashing the definition file.
* A definition is loaded from bytes read between two stamps (the first taken on the open
  file); if anything moved meanwhile the entry is stored as never-trusted.  The hash kept
  for a young file is that of the very bytes that were loaded.

Storage: one JSON file per family (``<family>.json``) plus ``.families.json`` for the top
level, written to a temporary file and renamed into place, so a reader sees a complete
old or new file.  A file that is missing, unreadable or malformed is simply ignored (the
family is re-read from the repository), so concurrent writers are harmless: whoever
writes last stores a snapshot that is itself consistent and still validated on read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat as stat_module
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pkg.errors import PackageDefinitionError
from pkg.repositories._atomic import atomic_write_bytes
from pkg.repositories._layout import (
    FamilyListing,
    LayoutSettings,
    Stamp,
    find_definition,
    list_families,
    list_family,
    stamp,
)

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["RACY_NS", "DefEntry", "FamilyEntry", "FamilyIndex", "IndexStore"]

#: How long after a change a stamp becomes trustworthy (covers coarse fs clocks).
RACY_NS = 2_000_000_000
FORMAT = 3
_FAMILIES_KEY = ".families"


def _trusted(seen: int, st: Stamp) -> bool:
    return seen - max(st[0], st[1]) >= RACY_NS


class DefEntry(NamedTuple):
    """One loaded definition file (or the error loading it gave)."""

    file: str
    stamp: Stamp | None  # None: changed while being read, never trusted
    seen: int
    sha1: str
    #: The loader's JSON form; a list comes back from the disk as a tuple.
    data: object
    error: tuple[str, int | None, str] | None


#: A version directory: its stamp, when it was taken, the definition file found in it.
DirEntry = tuple[Stamp, int, str | None]


@dataclass(slots=True)
class FamilyEntry:
    """Everything known about one family directory.

    Entries are plain tuples where possible: a warm listing keeps thousands of them, and
    the garbage collector stops tracking tuples of strings and numbers.
    """

    dir: tuple[Stamp, int]
    listing: FamilyListing
    subdirs: dict[str, DirEntry]
    defs: dict[str, DefEntry]  # key: version directory name, "" if unversioned
    #: What was built from each definition (the loaded definition, then a Package);
    #: never stored on disk.
    built: dict[str, object] = field(default_factory=dict)

    def definition_file(self, name: str) -> str | None:
        """The definition file found in version directory ``name`` (None: none, or not a
        candidate)."""
        sub = self.subdirs.get(name)
        return None if sub is None else sub[2]

    def visible(self, settings: LayoutSettings) -> list[str]:
        """Version directory names a listing shows (before version parsing)."""
        listing = self.listing
        if listing.unversioned:
            return [""]
        subdirs = self.subdirs
        if not (settings.check_definition_files or listing.building):
            return [name for name in listing.candidates if name in subdirs]
        strict = settings.check_definition_files
        return [
            name
            for name in listing.candidates
            if (sub := subdirs.get(name)) is not None
            and (sub[2] is not None or not (strict or name in listing.building))
        ]

    def to_json(self, family: str) -> dict[str, object]:
        return {
            "format": FORMAT,
            "family": family,
            "dir": [*self.dir[0], self.dir[1]],
            "listing": [
                self.listing.unversioned,
                list(self.listing.candidates),
                sorted(self.listing.building),
                None if self.listing.versions is None else list(self.listing.versions),
            ],
            "subdirs": [[k, *v[0], v[1], v[2]] for k, v in self.subdirs.items()],
            "defs": [
                [k, v.file, *(v.stamp or _NO_STAMP), v.seen, v.sha1, v.data, v.error]
                for k, v in self.defs.items()
            ],
        }

    @classmethod
    def from_json(cls, obj: Any, family: str) -> FamilyEntry | None:
        """The entry stored by :meth:`to_json`, or None if ``obj`` is not one (any other
        format, another family, a wrong shape or type anywhere)."""
        try:
            if obj["format"] != FORMAT or obj["family"] != family:
                return None
            unversioned, candidates, building, order = obj["listing"]
            subdirs: dict[str, DirEntry] = {}
            for name, m, c, size, ino, seen, definition in obj["subdirs"]:
                if definition is not None and type(definition) is not str:
                    return None
                subdirs[name] = (_stamp((m, c, size, ino)), _int(seen), definition)
            defs: dict[str, DefEntry] = {}
            for name, file, m, c, size, ino, seen, sha1, data, error in obj["defs"]:
                if type(file) is not str or type(sha1) is not str or type(seen) is not int:
                    return None
                defs[name] = DefEntry(
                    file,
                    None if m is None else _stamp((m, c, size, ino)),
                    seen,
                    sha1,
                    tuple(data) if type(data) is list else data,
                    None if error is None else (str(error[0]), error[1], str(error[2])),
                )
            return cls(
                (_stamp(obj["dir"][:4]), _int(obj["dir"][4])),
                FamilyListing(
                    None if unversioned is None else str(unversioned),
                    tuple(str(c) for c in candidates),
                    frozenset(str(b) for b in building),
                    None if order is None else tuple(str(v) for v in order),
                ),
                subdirs,
                defs,
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None


_NO_STAMP = (None, None, None, None)


def _stamp(values: Any) -> Stamp:
    mtime, ctime, size, inode = values
    if type(mtime) is int and type(ctime) is int and type(size) is int and type(inode) is int:
        return (mtime, ctime, size, inode)
    raise ValueError("malformed stamp")


def _int(value: Any) -> int:
    if type(value) is int:
        return value
    raise ValueError("malformed number")


class IndexStore:
    """The on-disk half of the index: one directory of JSON files per repository."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._made = False  # the directory was created (or found) by this store

    def load(self, key: str) -> Any:
        """The stored object for ``key``, or None if absent or unreadable."""
        try:
            with open(self.directory / f"{key}.json", "rb") as stream:
                return json.loads(stream.read())
        except (OSError, ValueError):
            return None

    def save(self, key: str, obj: object) -> None:
        """Store ``obj``; failures (read-only cache, full disk) are ignored."""
        data = json.dumps(obj, separators=(",", ":")).encode()
        with contextlib.suppress(OSError):
            if not self._made:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._made = True
            try:
                atomic_write_bytes(self.directory / f"{key}.json", data)
            except FileNotFoundError:  # the directory was removed meanwhile
                self.directory.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(self.directory / f"{key}.json", data)

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            for path in self.directory.glob("*.json"):
                path.unlink()


class FamilyIndex:
    """Validated, cached reads of one repository's families and definitions.

    Args:
        root: the repository directory.
        settings: the layout settings (they key the cache).
        loader: loads one definition file from its path and its content (read by the
            index between two stamps); returns its JSON form (stored on disk) and an
            object to keep in memory with it (:attr:`FamilyEntry.built`, e.g. the
            definition).
        store: the on-disk store, or None for an in-memory cache only.
        memory_size: how many families the in-process LRU keeps.
        revalidate: False trusts in-process entries without checking the disk again
            (a snapshot, as Rez's in-process caches behave) until :meth:`clear`.
        wait_for_writer: called with a family name to wait for a process writing to it,
            when a version directory is seen without its definition (the moment a writer
            swaps it for a new one); None never waits.
    """

    def __init__(
        self,
        root: Path,
        settings: LayoutSettings,
        loader: Callable[[str, bytes], tuple[object, object]],
        store: IndexStore | None = None,
        *,
        memory_size: int = 4096,
        revalidate: bool = True,
        wait_for_writer: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root
        self.wait_for_writer = wait_for_writer
        self.settings = settings
        self.loader = loader
        self.store = store
        self.revalidate = revalidate
        self._memory: OrderedDict[str, FamilyEntry] = OrderedDict()
        self._memory_size = memory_size
        self._families: tuple[Stamp, int, list[tuple[str, str | None]]] | None = None
        #: Counters for tests and benchmarks: loads of definition files, family scans.
        self.stats = {"loads": 0, "scans": 0, "disk_hits": 0}

    # -- families ------------------------------------------------------------------------

    def families(self) -> list[tuple[str, str | None]]:
        """``(name, combined_ext)`` of every family, sorted by name."""
        if not self.revalidate and self._families is not None:
            return self._families[2]
        now = time.time_ns()
        try:
            st = stamp(os.stat(self.root))
        except OSError:
            return []
        cached = self._families
        if cached is None and self.store is not None:
            cached = _families_from_json(self.store.load(_FAMILIES_KEY))
        if cached is not None and cached[0] == st and _trusted(cached[1], st):
            self._families = cached
            return cached[2]
        names = list_families(self.root, self.settings)
        self._families = (st, now, names)
        if self.store is not None:
            self.store.save(
                _FAMILIES_KEY, {"format": FORMAT, "root": [*st, now], "families": names}
            )
        return names

    # -- one family ----------------------------------------------------------------------

    def family(self, family: str, *, load: bool = True) -> FamilyEntry | None:
        """The validated entry of ``family`` (None if it has no directory).

        With ``load`` the definitions of its visible versions are validated (and loaded
        if needed); without, only the listing is.
        """
        cached = self._memory.get(family)
        if cached is not None:
            self._memory.move_to_end(family)
            if not self.revalidate and (not load or self._complete(cached)):
                return cached
        elif self.store is not None:
            cached = FamilyEntry.from_json(self.store.load(family), family)
            if cached is not None:
                self.stats["disk_hits"] += 1
        entry, changed = self._refresh(family, cached, load=load)
        if entry is None:
            self._memory.pop(family, None)
            return None
        self._memory[family] = entry
        if len(self._memory) > self._memory_size:
            self._memory.popitem(last=False)
        if changed and self.store is not None:
            self.store.save(family, entry.to_json(family))
        return entry

    def forget(self, family: str) -> None:
        """Drop the in-process entry of ``family`` (the disk entry stays, validated)."""
        self._memory.pop(family, None)
        self._families = None

    def clear(self) -> None:
        """Drop every in-process entry."""
        self._memory.clear()
        self._families = None

    def _complete(self, entry: FamilyEntry) -> bool:
        return all(name in entry.defs for name in entry.visible(self.settings))

    def _refresh(
        self, family: str, cached: FamilyEntry | None, *, load: bool
    ) -> tuple[FamilyEntry | None, bool]:
        family_dir = os.path.join(self.root, family)
        now = time.time_ns()
        try:
            st = os.stat(family_dir)
        except OSError:
            return None, False
        if not stat_module.S_ISDIR(st.st_mode):
            return None, False
        dir_stamp = stamp(st)
        changed = False
        if cached is not None and cached.dir[0] == dir_stamp and _trusted(cached.dir[1], dir_stamp):
            dir_entry, listing = cached.dir, cached.listing
        else:
            scanned = list_family(Path(family_dir), self.settings)
            self.stats["scans"] += 1
            if scanned is None:
                return None, False
            dir_entry, listing, changed = (dir_stamp, now), scanned, True
        old_subdirs = cached.subdirs if cached is not None else {}
        subdirs, subdirs_changed = self._subdirs(family_dir, listing, old_subdirs)
        changed = changed or subdirs_changed
        entry = FamilyEntry(dir_entry, listing, subdirs, {})
        defs, built = entry.defs, entry.built
        old_defs = cached.defs if cached is not None else {}
        old_built = cached.built if cached is not None else {}
        for name in entry.visible(self.settings):
            if name:
                filename = subdirs[name][2]
                directory = family_dir + os.sep + name
            else:
                filename = listing.unversioned
                directory = family_dir
            if filename is None:
                continue
            prev_def = old_defs.get(name)
            if prev_def is not None and prev_def.file != filename:
                prev_def = None
            if not load:
                if prev_def is not None:
                    defs[name], built[name] = prev_def, old_built.get(name)
                continue
            validated = self._validate(
                directory + os.sep + filename, filename, prev_def, old_built.get(name)
            )
            if validated is None and name:
                validated = self._redo(family_dir, listing, name, subdirs)
            if validated is None:
                changed = True
                continue
            defs[name], built[name] = validated
            changed = changed or validated[0] is not prev_def
        return entry, changed or defs.keys() != old_defs.keys()

    def _redo(
        self, family_dir: str, listing: FamilyListing, name: str, subdirs: dict[str, DirEntry]
    ) -> tuple[DefEntry, object] | None:
        """The definition file of version ``name`` went away: the directory may hold
        another one now (``subdirs`` is updated)."""
        redone = self._subdirs(family_dir, _only(listing, name), {})[0].get(name)
        if redone is None:
            return None
        subdirs[name] = redone
        if redone[2] is None:
            return None
        path = family_dir + os.sep + name + os.sep + redone[2]
        return self._validate(path, redone[2], None, None)

    def _subdirs(
        self, family_dir: str, listing: FamilyListing, old: dict[str, DirEntry]
    ) -> tuple[dict[str, DirEntry], bool]:
        """Stamp each candidate version directory; find definitions in changed ones.

        A directory whose definition is the first-choice file name, and that is neither
        marked as building nor subject to ``check_definition_files``, is not stamped
        again: its definition file is (and its disappearance is caught there).
        """
        subdirs: dict[str, DirEntry] = {}
        changed = False
        first = self.settings.filenames[0]
        strict = self.settings.check_definition_files
        building = listing.building
        sep = os.sep
        for name in listing.candidates:
            prev = old.get(name)
            if (
                prev is not None
                and prev[2] == first
                and not strict
                and name not in building
                and _trusted(prev[1], prev[0])
            ):
                subdirs[name] = prev
                continue
            now = time.time_ns()
            directory = family_dir + sep + name
            try:
                sub_stamp = stamp(os.stat(directory))
            except OSError:
                changed = True
                continue
            if prev is not None and prev[0] == sub_stamp and _trusted(prev[1], sub_stamp):
                subdirs[name] = prev
                continue
            found = find_definition(directory, self.settings.filenames)
            if found is None and self.wait_for_writer is not None:
                # Seen between the two renames of a writer replacing this directory: let
                # the writer finish, then look again (a stat that follows is fresh).
                self.wait_for_writer(os.path.basename(family_dir))
                found = find_definition(directory, self.settings.filenames)
                if found is not None:
                    try:
                        sub_stamp = stamp(os.stat(directory))
                    except OSError:
                        changed = True
                        continue
            if found is None and not os.path.isdir(directory):
                changed = True  # renamed away meanwhile (a removal): not a version now
                continue
            subdirs[name] = (sub_stamp, now, found)
            if prev is None or prev[2] != found or prev[0] != sub_stamp:
                changed = True
        return subdirs, changed

    def _validate(
        self, path: str, filename: str, prev: DefEntry | None, prev_built: object
    ) -> tuple[DefEntry, object] | None:
        """The entry of the definition file at ``path`` (``prev`` if it is still valid)
        and what was built from it; None if the file is gone."""
        if prev is None:
            return self._load(path, filename)
        now = time.time_ns()
        try:
            st = stamp(os.stat(path))
        except OSError:
            return None
        if prev.stamp == st:
            if _trusted(prev.seen, st):
                return prev, prev_built
            try:
                content = _read(path)
            except OSError:
                return None
            if prev.sha1 and hashlib.sha1(content).hexdigest() == prev.sha1:
                return prev._replace(seen=now), prev_built
        return self._load(path, filename)

    def _load(self, path: str, filename: str) -> tuple[DefEntry, object] | None:
        """Load a definition from bytes read between two stamps (the first from the open
        file).  The loader gets those very bytes; for a file younger than RACY_NS, whose
        stamp alone proves nothing, their hash is kept too."""
        self.stats["loads"] += 1
        for _attempt in range(3):
            seen = time.time_ns()
            try:
                before_stamp, content = _read_stamped(path)
            except OSError:
                return None
            data: object = None
            built: object = None
            error: tuple[str, int | None, str] | None = None
            try:
                data, built = self.loader(path, content)
            except PackageDefinitionError as exc:
                error = (exc.detail, exc.line, exc.attribute)
            try:
                after_stamp = stamp(os.stat(path))
            except OSError:
                return None
            digest = "" if _trusted(seen, before_stamp) else hashlib.sha1(content).hexdigest()
            if before_stamp == after_stamp:
                return DefEntry(filename, before_stamp, seen, digest, data, error), built
        return DefEntry(filename, None, seen, digest, data, error), built


def _only(listing: FamilyListing, name: str) -> FamilyListing:
    return FamilyListing(None, (name,), listing.building)


def _read(path: str) -> bytes:
    with open(path, "rb") as stream:
        return stream.read()


def _read_stamped(path: str) -> tuple[Stamp, bytes]:
    """The stamp of the open file, then its bytes (plain ``os`` calls: no buffered file
    object, half the system calls of ``open().read()``)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        size = st.st_size
        content = os.read(fd, size + 1)  # one byte more: a file that grew is read on
        if len(content) > size:
            chunks = [content]
            while chunk := os.read(fd, 1 << 16):
                chunks.append(chunk)
            content = b"".join(chunks)
    finally:
        os.close(fd)
    return stamp(st), content


def _families_from_json(obj: Any) -> tuple[Stamp, int, list[tuple[str, str | None]]] | None:
    try:
        if obj["format"] != FORMAT:
            return None
        root = obj["root"]
        names = [(str(n), None if e is None else str(e)) for n, e in obj["families"]]
        return (_stamp(root[:4]), int(root[4]), names)
    except (KeyError, TypeError, ValueError, IndexError):
        return None
