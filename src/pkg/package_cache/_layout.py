"""Where the cache keeps a variant: Rez 3.4.0's layout, so both tools share a cache.

::

    <cache>/<name>/<version>/<hash>/a/       the payload (a copy of the variant's root)
    <cache>/<name>/<version>/<hash>/a.json   {"handle": <variant handle>, "data": [...]}
    <cache>/<name>/<version>/<hash>/.copying-a   present while the payload is copied
    <cache>/.sys/pending/<pkg>-<uuid>.json   variants waiting for the copier
    <cache>/.sys/to_delete/                  payloads removed, deleted by ``--clean``
    <cache>/.sys/log/<YYYY-MM-DD>.log        what the copier and ``--clean`` did
    <cache>/.sys/copying/                    pkg only: payloads being copied

``<version>`` is ``_NO_VERSION`` for an unversioned package and ``<hash>`` the first four
hex digits of the SHA-1 of the handle's hashable form; variants whose hashes collide get
``b``, ``c`` ... ``aa`` ... in the same directory, told apart by their ``.json`` files.

>>> handle = {"key": "filesystem.variant", "variables": {"index": 0,
...     "location": "/tmp/pc_exp/repo", "name": "foo", "repository_type": "filesystem",
...     "version": "1.0"}}
>>> hash_dirname(handle)
'907f'
>>> [next_name(x) for x in (None, "a", "y", "z", "az")]
['a', 'b', 'z', 'aa', 'ba']
"""

from __future__ import annotations

import enum
import hashlib
import os
from typing import TYPE_CHECKING, Any

from pkg.package_cache._errors import PackageCacheError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pkg.packages import Variant

__all__ = [
    "NO_VERSION",
    "Handle",
    "VariantStatus",
    "handle_of",
    "hash_dirname",
    "next_name",
]

#: A variant handle as Rez writes it: ``{"key": ..., "variables": {...}}``.
Handle = dict[str, Any]

#: The version directory of an unversioned package.
NO_VERSION = "_NO_VERSION"


class VariantStatus(enum.IntEnum):
    """Where a variant stands in a cache (the numbers are Rez's)."""

    NOT_FOUND = 0
    FOUND = 1
    CREATED = 2
    COPYING = 3
    COPY_STALLED = 4
    PENDING = 5
    REMOVED = 6
    SKIPPED = 7

    @property
    def description(self) -> str:
        """What the status means, after "variant ...": ``was found``."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    VariantStatus.NOT_FOUND: "was not found",
    VariantStatus.FOUND: "was found",
    VariantStatus.CREATED: "was created",
    VariantStatus.COPYING: "payload is still being copied to this cache",
    VariantStatus.COPY_STALLED: "payload copy has stalled (pkg pkg-cache --clean removes it)",
    VariantStatus.PENDING: "is pending caching",
    VariantStatus.REMOVED: "was deleted",
    VariantStatus.SKIPPED: "is not being cached due to cache size limit",
}


def handle_of(variant: Variant) -> Handle:
    """The handle of a variant held by a repository, as Rez writes it.

    Raises:
        PackageCacheError: the variant is not in a repository (a developer package).
    """
    ref = variant.package.repository
    if ref is None:
        raise PackageCacheError(f"{variant.qualified_name} is not in a package repository")
    variables: dict[str, Any] = {
        "index": variant.index,
        "location": ref.location,
        "name": variant.name,
        "repository_type": ref.type_name,
    }
    version = str(variant.version)
    if version:
        variables["version"] = version
    return {"key": f"{ref.type_name}.variant", "variables": variables}


def hash_dirname(handle: Mapping[str, Any]) -> str:
    """The four-digit directory of a handle: SHA-1 of ``(key, sorted variables)``."""
    hashable = (handle["key"], tuple(sorted(handle["variables"].items())))
    return hashlib.sha1(str(hashable).encode("utf-8")).hexdigest()[:4]


def hash_path(cache_path: str, handle: Mapping[str, Any]) -> str:
    """``<cache>/<name>/<version>/<hash>``."""
    variables = handle["variables"]
    version = variables.get("version") or NO_VERSION
    return os.path.join(cache_path, variables["name"], version, hash_dirname(handle))


def next_name(prev: str | None) -> str:
    """The name after ``prev`` in ``a, b, ..., z, aa, ab, ...`` (``a`` after None)."""
    if not prev:
        return "a"
    if not prev.endswith("z"):
        return prev[:-1] + chr(ord(prev[-1]) + 1)
    return next_name(prev[:-1]) + "a"


def qualified_name(handle: Mapping[str, Any]) -> str:
    """``foo-1.0[0]`` (``foo[]`` unversioned, no variants) from a handle."""
    variables = handle["variables"]
    version = variables.get("version")
    stem = f"{variables['name']}-{version}" if version else variables["name"]
    index = variables.get("index")
    return f"{stem}[{'' if index is None else index}]"


def qualified_package_name(handle: Mapping[str, Any]) -> str:
    """``foo-1.0`` (``foo`` unversioned) from a handle."""
    return qualified_name(handle).rpartition("[")[0]
