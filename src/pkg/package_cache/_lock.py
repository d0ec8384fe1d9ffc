"""The package cache's mutex: ``<cache>/.sys/.lock``, shared with Rez 3.4.0.

Rez guards the cache with a hard-link lock: a process creates its own file
``<host>[-<thread>].<pid><n>`` next to the lock and tries to :func:`os.link` it to
``.lock.lock``; the link succeeds for exactly one process, even over NFS.  pkg takes the
same lock, so pkg and Rez processes writing one cache exclude each other.  The lock is
held only for the few file operations that claim or drop a variant's slot, never while a
payload is copied.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from typing import TYPE_CHECKING

from pkg.package_cache._errors import PackageCacheError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["cache_lock"]

#: Seconds to wait for the lock before giving up (Rez waits 10).
LOCK_TIMEOUT = 10.0
_POLL = 0.05


@contextlib.contextmanager
def cache_lock(sys_dir: str, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the cache's lock (``<sys_dir>/.lock.lock``) for the ``with`` block.

    Raises:
        PackageCacheError: another process held the lock for ``timeout`` seconds.
    """
    lock_file = os.path.join(sys_dir, ".lock.lock")
    ident = threading.get_ident() & 0xFFFFFFFF
    mine = os.path.join(sys_dir, f"{socket.gethostname()}-{ident:x}.{os.getpid()}pkg")
    with open(mine, "wb"):
        pass
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                os.link(mine, lock_file)
                break
            except FileExistsError:
                if time.monotonic() > deadline:
                    raise PackageCacheError(
                        f"could not lock the package cache within {timeout:g}s "
                        f"({lock_file} is held by another process)"
                    ) from None
                time.sleep(_POLL)
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock_file)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(mine)
