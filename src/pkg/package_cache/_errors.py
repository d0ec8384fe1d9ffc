"""The package cache's errors."""

from __future__ import annotations

from pkg.errors import PkgError

__all__ = ["NotCachableError", "PackageCacheError"]


class PackageCacheError(PkgError):
    """The package cache cannot be used, or an operation on it failed."""


class NotCachableError(PackageCacheError):
    """A variant may not be copied into the cache (the message says why)."""
