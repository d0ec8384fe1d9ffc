"""Which variants may be copied into a cache, by Rez 3.4.0's rules."""

from __future__ import annotations

import os
import tempfile
from typing import TYPE_CHECKING

from pkg.packages.model import is_relocatable

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pkg.config import Config
    from pkg.packages import Package, Variant

__all__ = ["is_cachable", "is_relocatable", "refusal"]


def _lookup(table: Mapping[str, bool] | None, key: str | None) -> bool | None:
    if not table or key is None:
        return None
    value = table.get(key)
    return None if value is None else bool(value)


def _location(package: Package) -> str | None:
    ref = package.repository
    return None if ref is None else ref.location


def is_cachable(package: Package, config: Config) -> bool:
    """Whether the package's payload may be cached: its ``cachable`` attribute, else
    ``default_cachable_per_repository``, else ``default_cachable_per_package``, else
    ``default_cachable``; when that is unset too, whether the package is relocatable."""
    value: bool | None = package.cachable
    if value is None:
        value = _lookup(config.default_cachable_per_repository, _location(package))
    if value is None:
        value = _lookup(config.default_cachable_per_package, package.name)
    if value is None and config.default_cachable is not None:
        value = bool(config.default_cachable)
    return is_relocatable(package, config) if value is None else value


def refusal(variant: Variant, cache_path: str, config: Config) -> str | None:
    """Why ``variant`` may not be cached in ``cache_path`` (None when it may).

    In Rez's order: the package is not cachable; it is a local package (unless
    ``package_cache_local``); its root is on the cache's disk device (unless
    ``package_cache_same_device``); it is in a repository under ``tmpdir`` (packages
    being tested before a build or release).
    """
    package = variant.package
    if not is_cachable(package, config):
        return f"package is not cachable: {package.uri}"
    if variant.is_local and not config.package_cache_local:
        return f"package is local: {package.uri}"
    root = variant.root or ""
    if not config.package_cache_same_device and os.stat(cache_path).st_dev == os.stat(root).st_dev:
        return f"variant {variant.uri} is on same device as cache: {root}"
    ref = package.repository
    tmpdir = config.tmpdir or tempfile.gettempdir()
    if (
        ref is not None
        and ref.type_name == "filesystem"
        and ref.location.startswith(tmpdir.rstrip(os.sep) + os.sep)
    ):
        return f"package is in temp repository filesystem@{ref.location}"
    return None
