"""A package cache directory: find, add, remove and clean cached variant payloads.

A cache holds copies of variant payloads on a local disk, so that a context reads its
packages there instead of over shared storage; it is not a repository (no definitions
are stored).  The layout and the marker files are Rez 3.4.0's (see
:mod:`pkg.package_cache._layout`), so pkg and Rez read and write one cache together.

Guarantees:

* A variant is never used while partially copied.  Its slot is claimed under the cache
  lock by writing ``.copying-<x>`` and then ``<x>.json``; the payload is copied into
  ``.sys/copying/`` and renamed into place in one step; only then is the marker removed.
  Readers (pkg and Rez alike) treat a slot with a marker as not there yet.
* Several processes adding one variant make one copy: the slot is claimed under the lock,
  and whoever finds it claimed leaves it alone.
* A copy that dies leaves its marker behind; the marker then stops being touched, so
  after :data:`STALL_SECONDS` the variant reads as stalled and ``clean()`` removes it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import stat
import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pkg.package_cache._errors import PackageCacheError
from pkg.package_cache._layout import (
    Handle,
    VariantStatus,
    hash_path,
    next_name,
    qualified_name,
    qualified_package_name,
)
from pkg.package_cache._lock import cache_lock

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

__all__ = ["STALL_SECONDS", "CacheEntry", "PackageCache"]

#: A copy whose marker has not been touched for this long has stalled (Rez: 5 s).
STALL_SECONDS = 5.0
#: How often a running copy touches its marker, and how often a waiter looks again.
HEARTBEAT_SECONDS = 0.2


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """A variant the cache knows of.

    Attributes:
        handle: the variant's handle.
        root: the payload's path in the cache ('' for a pending variant).
        status: FOUND, COPYING, COPY_STALLED or PENDING.
    """

    handle: Handle
    root: str
    status: VariantStatus


class PackageCache:
    """The cache at ``path`` (an existing directory; ``.sys/`` is created in it).

    Args:
        path: the cache directory (``cache_packages_path``).
        space_buffer: bytes that must stay free on the cache's disk
            (``package_cache_space_buffer``).
        used_threshold: above this percentage of the disk used, each variant's size is
            checked against the free space (``package_cache_used_threshold``).

    Raises:
        PackageCacheError: ``path`` is not a directory.
    """

    def __init__(
        self, path: str, *, space_buffer: int = 104857600, used_threshold: int = 80
    ) -> None:
        if not os.path.isdir(path):
            raise PackageCacheError(f"the package cache is not a directory: {path}")
        self.path = path
        self.space_buffer = space_buffer
        self.used_threshold = used_threshold
        for directory in (self.log_dir, self.pending_dir, self.remove_dir, self.copying_dir):
            os.makedirs(directory, exist_ok=True)

    # -- places
    @property
    def sys_dir(self) -> str:
        return os.path.join(self.path, ".sys")

    @property
    def log_dir(self) -> str:
        return os.path.join(self.sys_dir, "log")

    @property
    def pending_dir(self) -> str:
        return os.path.join(self.sys_dir, "pending")

    @property
    def remove_dir(self) -> str:
        return os.path.join(self.sys_dir, "to_delete")

    @property
    def copying_dir(self) -> str:
        """pkg only: where payloads are copied before being renamed into place."""
        return os.path.join(self.sys_dir, "copying")

    # -- reading
    def status(self, handle: Mapping[str, Any]) -> tuple[VariantStatus, str]:
        """(status, payload path) of a variant: NOT_FOUND (path ''), FOUND, COPYING or
        COPY_STALLED."""
        path = hash_path(self.path, handle)
        try:
            names = os.listdir(path)
        except FileNotFoundError:
            return VariantStatus.NOT_FOUND, ""
        wanted = dict(handle)
        for name in sorted(names):
            if not name.endswith(".json"):
                continue
            slot = name[: -len(".json")]
            try:
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    data = json.load(f)
            except FileNotFoundError:
                continue  # removed by another process just now
            except ValueError:
                continue  # being written
            if data.get("handle") != wanted:
                continue
            root = os.path.join(path, slot)
            marker = os.path.join(path, ".copying-" + slot)
            try:
                age = time.time() - os.stat(marker).st_mtime
            except FileNotFoundError:
                return VariantStatus.FOUND, root
            if age > STALL_SECONDS:
                return VariantStatus.COPY_STALLED, root
            return VariantStatus.COPYING, root
        return VariantStatus.NOT_FOUND, ""

    def cached_root(self, handle: Mapping[str, Any]) -> str | None:
        """The payload of a fully copied variant, else None.  Marks it as used now (the
        ``.json`` file's time, which ``clean()`` reads)."""
        status, root = self.status(handle)
        if status is not VariantStatus.FOUND:
            return None
        try:
            os.utime(root + ".json")
        except FileNotFoundError:
            return None  # removed by another process just now
        return root

    def entries(self) -> list[CacheEntry]:
        """Every variant in the cache (found, copying or stalled), then the pending ones
        not in it yet; each variant once."""
        found: list[CacheEntry] = []
        seen: list[Handle] = []
        for name_dir in _subdirs(self.path):
            if os.path.basename(name_dir).startswith("."):
                continue
            for version_dir in _subdirs(name_dir):
                for slot_dir in _subdirs(version_dir):
                    for name in sorted(_listdir(slot_dir)):
                        if not name.endswith(".json"):
                            continue
                        data = _read_json(os.path.join(slot_dir, name))
                        if not isinstance(data, dict) or "handle" not in data:
                            continue
                        handle = data["handle"]
                        status, root = self.status(handle)
                        if status is VariantStatus.NOT_FOUND or handle in seen:
                            continue
                        seen.append(handle)
                        found.append(CacheEntry(handle, root, status))
        for _path, handle in self.pending():
            if handle not in seen:
                seen.append(handle)
                found.append(CacheEntry(handle, "", VariantStatus.PENDING))
        return found

    def pending(self) -> list[tuple[str, Handle]]:
        """(file, handle) of each variant waiting for the copier, oldest file first."""
        found = []
        for name in _listdir(self.pending_dir):
            path = os.path.join(self.pending_dir, name)
            data = _read_json(path)
            if isinstance(data, dict) and "variables" in data:
                found.append((os.path.getmtime(path) if os.path.exists(path) else 0, path, data))
        found.sort(key=lambda item: (item[0], item[1]))
        return [(path, data) for _mtime, path, data in found]

    # -- writing
    def add_pending(self, handles: list[Handle]) -> list[Handle]:
        """Queue variants for the copier (``.sys/pending/<pkg>-<uuid>.json``); a variant
        already queued is not queued twice.  Returns the handles queued now."""
        queued = [handle for _path, handle in self.pending()]
        added = []
        for handle in handles:
            if handle in queued:
                continue
            name = f"{qualified_package_name(handle)}-{uuid.uuid4().hex}.json"
            path = os.path.join(self.pending_dir, name)
            tmp = os.path.join(self.pending_dir, f".{name}.tmp")
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(handle, f)
            os.replace(tmp, path)
            queued.append(handle)
            added.append(handle)
        return added

    def cache_near_full(self) -> bool:
        """Whether less than ``space_buffer`` bytes are free on the cache's disk."""
        return shutil.disk_usage(self.path).free < self.space_buffer

    def has_room_for(self, root: str) -> bool:
        """Whether a payload fits: always while the disk is used below
        ``used_threshold`` percent; above it, when ``space_buffer`` bytes stay free after
        the copy."""
        usage = shutil.disk_usage(self.path)
        used = usage.used / usage.total * 100 if usage.total else 0.0
        if used <= self.used_threshold:
            return True
        return usage.free - _size(root, usage.free - self.space_buffer) > self.space_buffer

    def add(
        self,
        handle: Mapping[str, Any],
        source: str,
        *,
        data: object = None,
        wait_for_copying: bool = False,
        copy: Callable[[str, str], object] | None = None,
        logger: logging.Logger | None = None,
    ) -> tuple[VariantStatus, str]:
        """Copy the payload at ``source`` into the cache as the variant ``handle``.

        Returns (status, payload path): CREATED when this call copied it; FOUND when it
        was there already; COPY_STALLED when an earlier copy died (``clean()`` removes
        it); COPYING when another process is copying it (with ``wait_for_copying``, this
        waits for that copy to end and returns its outcome instead); SKIPPED when the
        cache's disk is too full.

        Args:
            handle: the variant's handle.
            source: the variant's root.
            data: the variant's ``variants`` entry, stored in the ``.json`` file.
            wait_for_copying: wait for another process's copy of this variant.
            copy: copies a directory to a new path (default :func:`shutil.copytree`).
            logger: told when nothing was done, and why.

        Raises:
            PackageCacheError: the lock could not be taken.
            OSError: the copy failed; the variant then reads as stalled.
        """
        done = {VariantStatus.FOUND, VariantStatus.COPY_STALLED}
        if not wait_for_copying:
            done.add(VariantStatus.COPYING)
        status, root = self.status(handle)
        if status in done:
            if logger:
                logger.warning("Not caching %s: variant %s", _name(handle), status.description)
            return status, root
        if status is VariantStatus.COPYING:
            while status is VariantStatus.COPYING:
                time.sleep(HEARTBEAT_SECONDS)
                status, root = self.status(handle)
            if logger:
                logger.info("%s %s", _name(handle), status.description)
            return status, root
        if self.cache_near_full() or not self.has_room_for(source):
            return VariantStatus.SKIPPED, root
        slot_dir = hash_path(self.path, handle)
        os.makedirs(slot_dir, exist_ok=True)
        record: dict[str, Any] = {"handle": dict(handle)}
        if data is not None:
            record["data"] = data
        with cache_lock(self.sys_dir):
            status, root = self.status(handle)
            if status in done:
                return status, root
            slot = _free_slot(slot_dir)
            marker = os.path.join(slot_dir, ".copying-" + slot)
            with open(marker, "w"):
                pass
            with open(os.path.join(slot_dir, slot + ".json"), "w", encoding="utf-8") as f:
                json.dump(record, f)
            root = os.path.join(slot_dir, slot)
            # An empty payload directory: the copy replaces it in one rename.  Until
            # then, Rez's removal of a stalled copy has a directory to move away.
            os.mkdir(root)
        self._copy(source, root, marker, copy or shutil.copytree)
        with contextlib.suppress(FileNotFoundError):
            os.remove(marker)
        return VariantStatus.CREATED, root

    def _copy(
        self, source: str, root: str, marker: str, copy: Callable[[str, str], object]
    ) -> None:
        """Copy ``source`` to a new directory in ``.sys/copying`` and rename it to
        ``root``, touching ``marker`` (and the copy) all along to show the copy is alive."""
        scratch = os.path.join(self.copying_dir, uuid.uuid4().hex)
        target = os.path.join(scratch, "payload")
        os.mkdir(scratch)
        stop = threading.Event()

        def heartbeat() -> None:
            while not stop.wait(HEARTBEAT_SECONDS):
                for path in (marker, scratch):
                    with contextlib.suppress(OSError):
                        os.utime(path)

        thread = threading.Thread(target=heartbeat, name="pkg-cache-heartbeat", daemon=True)
        thread.start()
        try:
            copy(source, target)
            os.rename(target, root)
        finally:
            stop.set()
            thread.join()
            _rmtree(scratch)

    def remove(self, handle: Mapping[str, Any]) -> VariantStatus:
        """Take a variant out of the cache: REMOVED, NOT_FOUND, or COPYING (left alone).

        The payload moves to ``.sys/to_delete`` (``clean()`` deletes it); contexts using
        it may break.  Empty directories left behind are removed.
        """
        status, root = self.status(handle)
        if status in (VariantStatus.NOT_FOUND, VariantStatus.COPYING):
            return status
        with cache_lock(self.sys_dir):
            dest = os.path.join(
                self.remove_dir, f"{qualified_package_name(handle)}-{uuid.uuid4().hex}"
            )
            with contextlib.suppress(FileNotFoundError):
                if not os.access(root, os.W_OK):
                    os.chmod(root, os.stat(root).st_mode | stat.S_IWUSR)
                os.rename(root, dest)
            slot_dir, slot = os.path.split(root)
            for name in (slot + ".json", ".copying-" + slot):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(slot_dir, name))
            path = slot_dir
            for _ in range(3):  # hash, version and name directories
                try:
                    os.rmdir(path)
                except OSError:
                    break
                path = os.path.dirname(path)
        return VariantStatus.REMOVED

    def clean(
        self,
        *,
        max_variant_days: int,
        time_limit: float | None = None,
        logger: logging.Logger | None = None,
    ) -> list[Handle]:
        """Delete what the cache no longer needs; return the variants removed.

        Removes variants unused (``cached_root()`` not called) for more than
        ``max_variant_days`` days (0: no age limit), stalled copies (only without
        ``time_limit``), payloads in ``.sys/to_delete`` and abandoned scratch copies.
        With ``time_limit`` (seconds), stops once that much time has passed.
        """
        start = time.monotonic()

        def out_of_time() -> bool:
            return time_limit is not None and time.monotonic() - start > time_limit

        now = time.time()
        unused: list[Handle] = []
        stalled: list[Handle] = []
        for entry in self.entries():
            if entry.status is VariantStatus.FOUND and max_variant_days:
                try:
                    used = os.stat(entry.root + ".json").st_mtime
                except FileNotFoundError:
                    continue
                if now - used > max_variant_days * 86400:
                    unused.append(entry.handle)
            elif entry.status is VariantStatus.COPY_STALLED:
                stalled.append(entry.handle)
        removed: list[Handle] = []
        for kind, handles in (("unused", unused), ("stalled", stalled)):
            if kind == "stalled" and time_limit is not None:
                break  # or a broken variant would be copied, stall and go, over and over
            for handle in handles:
                if self.remove(handle) is VariantStatus.REMOVED:
                    removed.append(handle)
                    if logger:
                        logger.info("Removed %s variant %s from cache", kind, _name(handle))
                if out_of_time():
                    return removed
        for name in _listdir(self.remove_dir):
            path = os.path.join(self.remove_dir, name)
            try:
                _force_rmtree(path)
            except OSError as error:
                if logger:
                    logger.warning("Could not delete %s: %s", path, error)
                continue
            if logger:
                logger.info("Deleted %s", path)
            if out_of_time():
                return removed
        for name in _listdir(self.copying_dir):
            path = os.path.join(self.copying_dir, name)
            with contextlib.suppress(OSError):
                if now - os.stat(path).st_mtime > STALL_SECONDS:
                    _force_rmtree(path)
        return removed

    def log_files(self) -> list[str]:
        """The log files, oldest first."""
        return [
            os.path.join(self.log_dir, name)
            for name in sorted(_listdir(self.log_dir))
            if name.endswith(".log")
        ]

    def delete_old_logs(self, max_days: int) -> list[str]:
        """Delete log files not written to for more than ``max_days`` days."""
        now = time.time()
        deleted = []
        for path in self.log_files():
            with contextlib.suppress(OSError):
                if now - os.stat(path).st_mtime > max_days * 86400:
                    os.remove(path)
                    deleted.append(path)
        return deleted

    @contextlib.contextmanager
    def logging_to_file(self, *, echo: bool = False) -> Iterator[logging.Logger]:
        """A logger writing to today's log file (``.sys/log/YYYY-MM-DD.log``), and to
        standard error with ``echo``, for the ``with`` block."""
        logger = self.logger(echo=echo)
        try:
            yield logger
        finally:
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
                handler.close()

    def logger(self, *, echo: bool = False) -> logging.Logger:
        """A logger writing to today's log file (``.sys/log/YYYY-MM-DD.log``), and to
        standard error with ``echo``; its handlers stay open until the next call (prefer
        :meth:`logging_to_file`)."""
        logger = logging.getLogger("pkg-cache")
        logger.setLevel(logging.INFO)
        logger.propagate = False
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
            handler.close()
        formatter = logging.Formatter(
            "%(name)s %(asctime)s PID-%(process)d %(levelname)s %(message)s"
        )
        path = os.path.join(self.log_dir, time.strftime("%Y-%m-%d.log"))
        handlers: list[logging.Handler] = [logging.FileHandler(path, encoding="utf-8")]
        if echo:
            handlers.append(logging.StreamHandler())
        for handler in handlers:
            handler.setFormatter(formatter)
            logger.addHandler(handler)
        return logger


def _name(handle: Mapping[str, Any]) -> str:
    return qualified_name(handle)


def _free_slot(slot_dir: str) -> str:
    """The next unused slot name after the highest one in ``slot_dir`` (Rez's choice)."""
    names = [n[: -len(".json")] for n in os.listdir(slot_dir) if n.endswith(".json")]
    slot = next_name(max(names) if names else None)
    while os.path.lexists(os.path.join(slot_dir, slot + ".json")) or os.path.lexists(
        os.path.join(slot_dir, slot)
    ):
        slot = next_name(slot)
    return slot


def _listdir(path: str) -> list[str]:
    try:
        return os.listdir(path)
    except OSError:
        return []


def _subdirs(path: str) -> Iterator[str]:
    for name in sorted(_listdir(path)):
        full = os.path.join(path, name)
        if os.path.isdir(full):
            yield full


def _read_json(path: str) -> object:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _size(root: str, limit: float) -> int:
    """The bytes of the files under ``root`` (links followed, each file once), counted
    until ``limit`` is passed."""
    total = 0
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        current = stack.pop()
        for entry in _scandir(current):
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            if stat.S_ISREG(st.st_mode):
                total += st.st_size
                if total > limit:
                    return total
            elif stat.S_ISDIR(st.st_mode):
                stack.append(entry.path)
    return total


def _scandir(path: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(path) as it:
            return list(it)
    except OSError:
        return []


def _rmtree(path: str) -> None:
    with contextlib.suppress(OSError):
        _force_rmtree(path)


def _force_rmtree(path: str) -> None:
    """Delete ``path``, making read-only directories writable as needed."""

    def on_error(func: Callable[..., object], target: str, _exc: object) -> None:
        parent = os.path.dirname(target)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR)
        if os.path.isdir(target) and not os.path.islink(target):
            os.chmod(target, os.stat(target).st_mode | stat.S_IWUSR)
        func(target)

    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, onerror=on_error)
    elif os.path.lexists(path):
        os.remove(path)
