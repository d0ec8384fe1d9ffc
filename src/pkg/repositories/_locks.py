"""Per-family write locks shared between processes and between machines.

A lock is a POSIX record lock (:func:`fcntl.lockf`) on a lock file.  Unlike ``flock``,
record locks go through the NFS lock manager, so two machines writing to one shared
repository exclude each other.  Record locks belong to a *process* (two threads of one
process would both get one, and closing any descriptor of the file drops them), so each
lock file also has an in-process mutex: a thread takes the mutex first, then the record
lock, and nothing else in this process opens the lock file while the mutex is held.

Stale locks cannot happen: the kernel (or the NFS lock manager, when a client machine
restarts) drops a record lock when the process holding it ends, however it ends, so a
crashed writer never leaves the family locked.  Lock files are therefore never deleted,
and must not be: deleting a file that another process is about to lock would let two
writers in.  Where ``fcntl`` does not exist (Windows) an exclusive ``mkdir`` stands in.

Writers lock exclusively. Readers never lock on their normal path (they rely on the
writes being atomic); only when a read finds a version directory in the middle of being
replaced do they wait for the writer with :func:`wait_for_writer`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
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
#: What a non-blocking record lock raises when another process holds it (EAGAIN on
#: Linux, EACCES on some other systems).
_BUSY = {errno.EAGAIN, errno.EACCES}
#: The in-process mutex of each lock file (by absolute path); never removed.
_MUTEXES: dict[str, threading.Lock] = {}
_MUTEXES_GUARD = threading.Lock()


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


def _mutex(path: Path) -> threading.Lock:
    key = os.path.abspath(path)
    with _MUTEXES_GUARD:
        return _MUTEXES.setdefault(key, threading.Lock())


def _remaining(deadline: float | None) -> float:
    """Seconds left until ``deadline`` for :meth:`threading.Lock.acquire` (-1: forever)."""
    return -1 if deadline is None else max(0.0, deadline - time.monotonic())


@contextlib.contextmanager
def file_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block.

    The lock excludes other threads of this process, other processes, and processes on
    other machines sharing the file system (NFS included).  ``timeout`` is in seconds;
    0 or less waits forever, as Rez's ``file_lock_timeout``.  Raises
    :class:`LockTimeoutError` when the time runs out.
    """
    deadline = None if timeout <= 0 else time.monotonic() + timeout
    if fcntl is None:  # pragma: no cover - Windows
        with _mkdir_lock(path, timeout, deadline):
            yield
        return
    mutex = _mutex(path)
    if not mutex.acquire(timeout=_remaining(deadline)):
        raise LockTimeoutError(path, timeout)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            if not _poll_lockf(fd, fcntl.LOCK_EX, deadline):
                raise LockTimeoutError(path, timeout)
            try:
                yield
            finally:
                fcntl.lockf(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    finally:
        mutex.release()


def wait_for_writer(path: Path, timeout: float) -> None:
    """Wait until no process holds the write lock ``path`` (at most ``timeout`` seconds).

    The lock file is opened read-only and never created, so this works on read-only
    repositories; a missing lock file, or no ``fcntl``, means there is nothing to wait for.
    """
    if fcntl is None:  # pragma: no cover - Windows
        return
    deadline = None if timeout <= 0 else time.monotonic() + timeout
    mutex = _mutex(path)
    # On a timeout the caller simply reports what it sees.
    if not mutex.acquire(timeout=_remaining(deadline)):
        return
    try:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            if _poll_lockf(fd, fcntl.LOCK_SH, deadline):
                fcntl.lockf(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    finally:
        mutex.release()


def _poll_lockf(fd: int, operation: int, deadline: float | None) -> bool:
    """Take ``lockf(fd, operation)`` without blocking, retrying with a growing pause until
    ``deadline`` (None: forever); False if the deadline passed first."""
    delay = 0.001
    while True:
        try:
            fcntl.lockf(fd, operation | fcntl.LOCK_NB)
        except OSError as error:
            if not isinstance(error, BlockingIOError) and error.errno not in _BUSY:
                raise
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
