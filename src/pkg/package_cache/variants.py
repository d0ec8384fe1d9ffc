"""The package cache over :class:`pkg.packages.Variant`: what a context caches and reads.

:class:`~pkg.package_cache.cache.PackageCache` works on variant handles and directories;
this module adds the variants: the rules deciding what may be cached, loading a cached
variant's definition back from its repository, and the root remapping of a context.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pkg.errors import RepositoryError
from pkg.package_cache._errors import NotCachableError, PackageCacheError
from pkg.package_cache._layout import Handle, VariantStatus, handle_of
from pkg.package_cache._rules import is_cachable, refusal
from pkg.package_cache.cache import PackageCache

if TYPE_CHECKING:
    import logging
    from collections.abc import Callable, Iterable, Mapping

    from pkg.config import Config
    from pkg.packages import Variant
    from pkg.repositories.search import RepositoryPool

__all__ = [
    "add_variant",
    "cached_roots",
    "load_variant",
    "open_cache",
    "uncached_variants",
]


def open_cache(config: Config, path: str | None = None) -> PackageCache:
    """The cache at ``path`` (default: ``cache_packages_path``), with the config's space
    settings.

    Raises:
        PackageCacheError: no path is given or configured, or it is not a directory.
    """
    path = path or config.cache_packages_path
    if not path:
        raise PackageCacheError("no package cache: cache_packages_path is not set")
    return PackageCache(
        os.path.abspath(os.path.expanduser(path)),
        space_buffer=config.package_cache_space_buffer,
        used_threshold=config.package_cache_used_threshold,
    )


def add_variant(
    cache: PackageCache,
    variant: Variant,
    config: Config,
    *,
    force: bool = False,
    wait_for_copying: bool = False,
    copy: Callable[[str, str], object] | None = None,
    logger: logging.Logger | None = None,
) -> tuple[VariantStatus, str]:
    """Copy ``variant``'s payload into ``cache`` (see :meth:`PackageCache.add`).

    Unless ``force``, a variant that may not be cached (see
    :func:`pkg.package_cache._rules.refusal`) is refused.

    Raises:
        NotCachableError: the variant may not be cached, or has no root on disk.
        PackageCacheError: the cache's lock could not be taken.
        OSError: the copy failed.
    """
    root = variant.root
    if not root:
        raise NotCachableError(f"Not cached - variant has no root: {variant.uri}")
    if not os.path.isdir(root):
        raise NotCachableError(
            f"Not cached - variant {variant.uri} root does not appear on disk: {root}"
        )
    if not force:
        reason = refusal(variant, cache.path, config)
        if reason:
            raise NotCachableError(f"Not cached - {reason}")
    data = None
    if variant.index is not None:
        data = [str(r) for r in variant.variant_requires]
    return cache.add(
        handle_of(variant),
        root,
        data=data,
        wait_for_copying=wait_for_copying,
        copy=copy,
        logger=logger,
    )


def load_variant(handle: Mapping[str, object], pool: RepositoryPool) -> Variant | None:
    """The variant ``handle`` names, read from its repository (None if it is gone)."""
    variables = handle.get("variables")
    if not isinstance(variables, dict):
        return None
    repo_type = variables.get("repository_type", "filesystem")
    try:
        repository = pool.get(f"{repo_type}@{variables['location']}")
        package = repository.get_package(variables["name"], variables.get("version") or "")
    except (RepositoryError, KeyError):
        return None
    if package is None:
        return None
    for variant in package.iter_variants():
        if variant.index == variables.get("index"):
            return variant
    return None


def uncached_variants(
    cache: PackageCache, variants: Iterable[Variant], config: Config, *, sync: bool
) -> list[Handle]:
    """The handles of the cachable ``variants`` the copier should take: those not in
    the cache, and in ``sync`` mode also those being copied or stalled (the copier waits
    for them, or reports them)."""
    wanted = {VariantStatus.NOT_FOUND}
    if sync:
        wanted |= {VariantStatus.COPYING, VariantStatus.COPY_STALLED}
    handles = []
    for variant in variants:
        if variant.package.repository is None or not is_cachable(variant.package, config):
            continue
        handle = handle_of(variant)
        if cache.status(handle)[0] in wanted:
            handles.append(handle)
    return handles


def cached_roots(variants: Iterable[object], config: Config) -> dict[str, str]:
    """Package name -> cached payload, for each variant fully copied into the cache of
    ``cache_packages_path`` (empty when there is no cache, or it is not a directory).

    ``variants`` are the resolved variants of a context; anything that is not a
    :class:`~pkg.packages.Variant` in a repository is skipped.  Reading a variant's
    root here marks it as used, which keeps ``clean()`` from removing it.
    """
    from pkg.packages import Variant

    try:
        cache = open_cache(config)
    except (PackageCacheError, OSError):
        return {}
    roots = {}
    for variant in variants:
        if not isinstance(variant, Variant) or variant.package.repository is None:
            continue
        root = cache.cached_root(handle_of(variant))
        if root is not None:
            roots[variant.name] = root
    return roots
