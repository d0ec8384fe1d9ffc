"""The package cache: local copies of variant payloads, used in place of the originals.

With ``cache_packages_path`` set, resolving a context queues its cachable variants and a
background copier (``pkg pkg-cache --daemon``) copies them into the cache; later contexts
then run each fully copied variant from there: ``REZ_<PKG>_ROOT`` (and ``{root}`` in the
package's commands) is the cached copy, and ``REZ_<PKG>_ORIG_ROOT`` the original.

The cache is Rez 3.4.0's, file for file (see :mod:`pkg.package_cache._layout`): Rez and
pkg can share one.  See ``docs/caching.md``.
"""

from __future__ import annotations

from pkg.package_cache._errors import NotCachableError, PackageCacheError
from pkg.package_cache._layout import (
    Handle,
    VariantStatus,
    handle_of,
    qualified_name,
    qualified_package_name,
)
from pkg.package_cache._rules import is_cachable, is_relocatable, refusal
from pkg.package_cache.cache import STALL_SECONDS, CacheEntry, PackageCache
from pkg.package_cache.variants import (
    add_variant,
    cached_roots,
    load_variant,
    open_cache,
    uncached_variants,
)

__all__ = [
    "STALL_SECONDS",
    "CacheEntry",
    "Handle",
    "NotCachableError",
    "PackageCache",
    "PackageCacheError",
    "VariantStatus",
    "add_variant",
    "cached_roots",
    "handle_of",
    "is_cachable",
    "is_relocatable",
    "load_variant",
    "open_cache",
    "qualified_name",
    "qualified_package_name",
    "refusal",
    "uncached_variants",
]
