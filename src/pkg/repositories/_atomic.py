"""Atomic file-system writes: every change appears all at once or not at all.

* files are written to a hidden temporary sibling and renamed over the target
  (:func:`os.replace` is atomic on POSIX and on Windows within one volume);
* whole directories are built in a hidden staging sibling and renamed into place;
* trees are removed by renaming them to a hidden trash name first, so a reader sees the
  directory either complete or absent, never half-deleted.

Hidden names start with :data:`TEMP_PREFIX`; a listing of a repository skips every name
that starts with a dot, so staging and trash directories are never mistaken for packages.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = [
    "TEMP_PREFIX",
    "atomic_write_bytes",
    "delete_path",
    "remove_tree",
    "staging_dir",
    "temp_sibling",
]

#: Prefix of every temporary name this package creates next to a real one.
TEMP_PREFIX = ".pkg-tmp-"


def temp_sibling(path: Path, tag: str = "") -> Path:
    """A fresh hidden name in the directory of ``path``, unique across processes."""
    # os.urandom(4).hex() is secrets.token_hex(4), without importing secrets
    return path.with_name(f"{TEMP_PREFIX}{tag or path.name}-{os.getpid()}-{os.urandom(4).hex()}")


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new content, never a mix.

    ``mode`` (e.g. ``0o444``) is applied to the file before it is renamed into place.
    """
    tmp = temp_sibling(path)
    try:
        with open(tmp, "xb") as stream:
            stream.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_tree(path: Path) -> bool:
    """Remove the directory ``path``: first hide it atomically, then delete it.

    Returns False if ``path`` did not exist.  Read-only files inside (installed
    definitions are read-only) are made writable before they are deleted.
    """
    trash = temp_sibling(path, f"trash-{path.name}")
    try:
        os.rename(path, trash)
    except FileNotFoundError:
        return False
    delete_path(trash)
    return True


def delete_path(path: str | Path) -> None:
    """Delete the file, link or directory tree at ``path``.  Entries that resist (read-only
    files and directories: installed definitions are read-only) are made writable and
    deleted again."""

    def retry_writable(_function: object, failed: str, _exc: object) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(failed), 0o755)
            os.chmod(failed, 0o755)
        if os.path.isdir(failed) and not os.path.islink(failed):
            shutil.rmtree(failed, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(failed)

    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
    elif sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=retry_writable)
    else:
        shutil.rmtree(path, onerror=retry_writable)


@contextlib.contextmanager
def staging_dir(target: Path) -> Iterator[Path]:
    """Yield a hidden empty directory next to ``target``; remove it if the block fails.

    The caller fills it and renames it to ``target`` (for instance with :func:`os.rename`)
    inside the block.  If the block raises, the staging directory and everything in it
    are deleted, so a failure leaves nothing behind.
    """
    stage = temp_sibling(target)
    stage.mkdir(parents=False)
    try:
        yield stage
    except BaseException:
        if stage.exists():
            delete_path(stage)
        raise
