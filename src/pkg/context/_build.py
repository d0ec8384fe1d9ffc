"""A :class:`ContextFile` from a resolve (what ``pkg env --output`` saves)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pkg.config import SystemInfo
from pkg.context.rxt import ContextFile, ContextFileError, VariantHandle
from pkg.resolver.dot import build_graph, result_view

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import Config
    from pkg.core import Requirement
    from pkg.packages import Variant
    from pkg.resolver import SolveResult
    from pkg.resolver.filters import PackageFilterList
    from pkg.resolver.orderers import Orderer

__all__ = ["ResolveLike", "context_from_resolve", "rez_failure_description", "variant_handle"]


class ResolveLike(Protocol):
    """What a context is made from: :class:`pkg.api.resolve.Resolve` has all of it."""

    @property
    def requests(self) -> tuple[Requirement, ...]: ...
    @property
    def implicit_packages(self) -> tuple[Requirement, ...]: ...
    @property
    def package_paths(self) -> tuple[str, ...]: ...
    @property
    def timestamp(self) -> int | None: ...
    @property
    def created(self) -> int: ...
    @property
    def building(self) -> bool: ...
    @property
    def package_filter(self) -> PackageFilterList: ...
    @property
    def package_orderers(self) -> tuple[Orderer, ...]: ...
    @property
    def status(self) -> str: ...
    @property
    def resolved_packages(self) -> Sequence[Variant]: ...
    @property
    def resolved_ephemerals(self) -> tuple[Requirement, ...]: ...
    @property
    def solve_time(self) -> float: ...
    @property
    def num_loaded_packages(self) -> int: ...
    @property
    def result(self) -> SolveResult: ...


def variant_handle(variant: Variant) -> VariantHandle:
    """The handle of a variant held by a repository.

    Raises:
        ContextFileError: the variant is not in a repository (a developer package).
    """
    ref = variant.package.repository
    if ref is None:
        raise ContextFileError(f"{variant.qualified_name} is not in a package repository")
    return VariantHandle(
        variant.name, str(variant.version), variant.index, ref.location, ref.type_name
    )


_FAIL_LIMIT = "fail limit reached"


def rez_failure_description(result: SolveResult) -> str | None:
    """The failure text Rez stores in a context: its one-line reason, after the fail
    limit message when ``max_fails`` stopped the solve; None when solved."""
    if result.status == "solved":
        return None
    if result.status == "aborted" or result.failure is None:
        return result.failure_description or "Solver failed with unknown reason."
    text = result.failure.summary()
    first = result.failure_description.split("\n", 1)[0]
    return f"{first}\n{text}" if first.startswith(_FAIL_LIMIT) else text


def _pkg_path() -> str:
    import pkg

    return os.path.dirname(os.path.abspath(pkg.__file__ or "."))


def context_from_resolve(
    resolve: ResolveLike,
    config: Config,
    *,
    requested_timestamp: int | None = None,
    caching: bool | None = None,
    from_cache: bool = False,
    testing: bool = False,
    package_caching: bool | None = None,
    package_cache_async: bool | None = None,
) -> ContextFile:
    """The context file of ``resolve``, as Rez would save the same resolve.

    Args:
        resolve: the resolve.
        config: for the platform names (``platform_map``), ``resolve_caching``,
            ``prune_failed_graph`` and the package cache settings.
        requested_timestamp: the time lock asked for (``-t``); default: the resolve's.
            ``timestamp`` is this time, or when the resolve ran.
        caching: whether caches could be used (default: ``resolve_caching``).
        from_cache: whether the resolve came from a cache.
        testing: a resolve for ``pkg test``.
        package_caching: default: True, or ``package_cache_during_build`` when building.
        package_cache_async: default: ``package_cache_async``.
    """
    if requested_timestamp is None:
        requested_timestamp = resolve.timestamp
    if package_caching is None:
        package_caching = config.package_cache_during_build if resolve.building else True
    system = SystemInfo(os.environ, Path.home(), config.platform_map)
    solved = resolve.status == "solved"
    graph = build_graph(result_view(resolve.result), prune=config.prune_failed_graph)
    return ContextFile(
        package_requests=resolve.requests,
        implicit_packages=resolve.implicit_packages,
        package_paths=resolve.package_paths,
        status=resolve.status,
        resolved_packages=tuple(variant_handle(v) for v in resolve.resolved_packages),
        resolved_ephemerals=resolve.resolved_ephemerals if solved else (),
        failure_description=rez_failure_description(resolve.result),
        graph=graph.to_compact(),
        timestamp=requested_timestamp or resolve.created,
        requested_timestamp=requested_timestamp,
        created=resolve.created,
        building=resolve.building,
        testing=testing,
        caching=config.resolve_caching if caching is None else caching,
        from_cache=from_cache,
        package_filter=resolve.package_filter,
        package_orderers=resolve.package_orderers or None,
        user=system.get("user") or "",
        host=system.get("hostname") or "",
        platform=system.get("platform") or "",
        arch=system.get("arch") or "",
        os=system.get("os") or "",
        rez_version=system.get("rez_version") or "",
        rez_path=_pkg_path(),
        package_caching=package_caching,
        package_cache_async=(
            config.package_cache_async if package_cache_async is None else package_cache_async
        ),
        solve_time=resolve.solve_time,
        load_time=0.0,
        num_loaded_packages=resolve.num_loaded_packages,
    )
