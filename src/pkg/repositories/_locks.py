"""Per-family write locks shared between processes.

A lock is an advisory :func:`fcntl.flock` on a lock file; where ``fcntl`` does not exist
(Windows) an exclusive ``mkdir`` stands in.  Lock files are never deleted, because
deleting a file that another process is about to lock would let two writers in.

Writers lock exclusively. Readers never lock on their normal path (they rely on the
writes being atomic); only when a read finds a version directory in the middle of being
replaced do they wait for the writer with :func:`wait_for_writer`.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import TYPE_CHECKING

from pkg.errors import RepositoryError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["LockTimeoutError", "file_lock", "wait_for_writer"]

_MAX_SLEEP = 0.05


class LockTimeoutError(RepositoryError):
    """A lock was not acquired within ``file_lock_timeout`` seconds."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        super().__init__(
            f"could not lock {path} within {timeout:g}s; another process is writing to this "
            "package family (raise plugins.package_repository.filesystem.file_lock_timeout "
            "if this is expected)"
        )


@contextlib.contextmanager
def file_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block.

    ``timeout`` is in seconds; 0 or less waits forever, as Rez's ``file_lock_timeout``.
    Raises :class:`LockTimeoutError` when the time runs out.
    """
    deadline = None if timeout <= 0 else time.monotonic() + timeout
    if fcntl is None:  # pragma: no cover - Windows
        with _mkdir_lock(path, timeout, deadline):
            yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if not _poll_flock(fd, fcntl.LOCK_EX, deadline):
            raise LockTimeoutError(path, timeout)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def wait_for_writer(path: Path, timeout: float) -> None:
    """Wait until no process holds the write lock ``path`` (at most ``timeout`` seconds).

    The lock file is opened read-only and never created, so this works on read-only
    repositories; a missing lock file, or no ``fcntl``, means there is nothing to wait for.
    """
    if fcntl is None:  # pragma: no cover - Windows
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    deadline = None if timeout <= 0 else time.monotonic() + timeout
    try:
        # On a timeout the caller simply reports what it sees.
        if _poll_flock(fd, fcntl.LOCK_SH, deadline):
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _poll_flock(fd: int, operation: int, deadline: float | None) -> bool:
    """Take ``flock(fd, operation)`` without blocking, retrying with a growing pause until
    ``deadline`` (None: forever); False if the deadline passed first."""
    delay = 0.001
    while True:
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
        except BlockingIOError:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, _MAX_SLEEP)
        else:
            return True


@contextlib.contextmanager
def _mkdir_lock(
    path: Path, timeout: float, deadline: float | None
) -> Iterator[None]:  # pragma: no cover - Windows
    marker = path.with_name(path.name + ".d")
    delay = 0.001
    while True:
        try:
            marker.mkdir()
            break
        except FileExistsError:
            if deadline is not None and time.monotonic() >= deadline:
                raise LockTimeoutError(path, timeout) from None
            time.sleep(delay)
            delay = min(delay * 2, _MAX_SLEEP)
    try:
        yield
    finally:
        marker.rmdir()
