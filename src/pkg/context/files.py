"""Saving and loading ``.rxt`` files.

A file is written to a temporary sibling and renamed into place, so a reader never sees
half a context.  As in Rez, a context saved in a bundle (a directory holding
``bundle.yaml``) stores the locations of repositories inside the bundle relative to it,
and loading it makes them absolute again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.context.rxt import ContextFile, ContextFileError

if TYPE_CHECKING:
    from pkg.context.rxt import VariantHandle

__all__ = ["bundle_dir", "load_context", "save_context"]

_BUNDLE_FILE = "bundle.yaml"


def bundle_dir(path: str | Path) -> Path | None:
    """The bundle a context file at ``path`` belongs to (its directory holds
    ``bundle.yaml``), or None."""
    base = Path(os.path.abspath(path)).parent
    return base if (base / _BUNDLE_FILE).is_file() else None


def _inside(path: str, directory: str) -> bool:
    try:
        return os.path.commonpath([path, directory]) == directory
    except ValueError:
        return False


def _relocate(handle: VariantHandle, bundle: Path, *, out: bool) -> VariantHandle:
    if handle.repository_type != "filesystem":
        return handle
    location = handle.location
    if out:
        real, base = os.path.realpath(location), os.path.realpath(bundle)
        if os.path.isabs(location) and _inside(real, base):
            return dataclasses.replace(handle, location=os.path.relpath(real, base))
        return handle
    if os.path.isabs(location):
        return handle
    return dataclasses.replace(handle, location=os.path.realpath(bundle / location))


def _with_handles(context: ContextFile, bundle: Path, *, out: bool) -> ContextFile:
    handles = tuple(_relocate(h, bundle, out=out) for h in context.resolved_packages)
    return dataclasses.replace(context, resolved_packages=handles)


def save_context(context: ContextFile, path: str | Path) -> Path:
    """Write ``context`` to ``path`` (atomically); return the path.

    Raises:
        ContextFileError: the file could not be written.
    """
    target = Path(path)
    bundle = bundle_dir(target)
    if bundle is not None:
        context = _with_handles(context, bundle, out=True)
    data = context.dumps().encode("utf-8")
    # A fresh hidden sibling, created like any new file (0o666 less the umask); the
    # random part is secrets.token_hex(4), without importing secrets.
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(tmp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ContextFileError(f"cannot write {target}: {error.strerror or error}") from None
    return target


def load_context(path: str | Path) -> ContextFile:
    """Read the context file at ``path`` (written by pkg or by Rez).

    Raises:
        ContextFileError: it cannot be read or is not a context file.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ContextFileError(f"cannot read context file {path}: {reason}") from None
    context = ContextFile.loads(text, source=str(path))
    bundle = bundle_dir(path)
    if bundle is not None:
        context = _with_handles(context, bundle, out=False)
    return context
