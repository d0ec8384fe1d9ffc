"""``pkg.api.resolve``: resolve requests against package repositories, as Rez's
``ResolvedContext`` does.

The request is the given requests followed by the implicit packages (the
``implicit_packages`` setting unless given).  Packages come from the repositories of
``paths`` (default: ``packages_path``), minus those the package filter hides, in the order
the package orderers give; a ``timestamp`` hides packages released after it.  The answer
is a frozen :class:`Resolve`.  See ``docs/resolving.md``.

Solved resolves are cached (``resolve_caching``), on disk and in memcached
(``memcached_uri``), and read back only while the repositories still hold what the solve
saw.  See ``docs/caching.md``.
"""

from __future__ import annotations

import time
from dataclasses import field
from typing import TYPE_CHECKING, Literal, cast

from pkg._record import record
from pkg.api._provider import SearchPathProvider
from pkg.config import load_config
from pkg.core import Requirement, parse_requirement
from pkg.errors import ConfigError
from pkg.packages import Variant
from pkg.repositories import PackageSearchPath
from pkg.resolver import solve
from pkg.resolver.filters import PackageFilterList
from pkg.resolver.orderers import OrdererList

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

    from pkg.api._resolve_cache import RecordingSearchPath, ResolveCache
    from pkg.config import Config
    from pkg.resolver import Reporter, SolveResult, VariantSelectMode
    from pkg.resolver.orderers import Orderer

__all__ = ["Resolve", "ResolveStatus", "resolve"]

#: ``failed`` includes a cyclic dependency; ``aborted`` is a time limit.
ResolveStatus = Literal["solved", "failed", "aborted"]


@record(frozen=True)
class Resolve:
    """The outcome of :func:`resolve` (Rez's ``ResolvedContext``, without the environment).

    Attributes:
        requests: the requests given, implicit packages excluded.
        implicit_packages: the implicit packages appended to the request.
        package_paths: the repositories searched, in order.
        timestamp: the timestamp lock (None: no lock).
        created: when the resolve ran (epoch seconds).
        variant_select_mode: how variants of one version were ranked.
        package_filter: the filter used (without the timestamp lock).
        package_orderers: the orderers used.
        building: True if ``build_requires`` were added to every variant.
        status: ``solved``, ``failed`` (a cycle too) or ``aborted`` (time limit).
        resolved_packages: the resolved variants in resolve order (dependencies first);
            empty unless solved.
        resolved_ephemerals: the resolved ephemeral requests (``.eek-1``).
        failure_description: why the resolve failed, or None.
        solve_time: seconds spent solving, loading packages included.
        num_loaded_packages: how many package definitions the solver used.
        result: the solver's own result (why-graph, failure reason, phase counts).
        from_cache: True if the resolve was read from the resolve cache (``solve_time``
            and ``num_loaded_packages`` are then those of the solve that was cached).
    """

    requests: tuple[Requirement, ...]
    implicit_packages: tuple[Requirement, ...]
    package_paths: tuple[str, ...]
    timestamp: int | None
    created: int
    variant_select_mode: VariantSelectMode
    package_filter: PackageFilterList
    package_orderers: tuple[Orderer, ...]
    building: bool
    status: ResolveStatus
    resolved_packages: tuple[Variant, ...]
    resolved_ephemerals: tuple[Requirement, ...]
    failure_description: str | None
    solve_time: float
    num_loaded_packages: int
    result: SolveResult = field(repr=False)
    from_cache: bool = False

    @property
    def success(self) -> bool:
        """True when solved."""
        return self.status == "solved"

    def requested_packages(self, include_implicit: bool = False) -> tuple[Requirement, ...]:
        """The request, optionally followed by the implicit packages."""
        return self.requests + self.implicit_packages if include_implicit else self.requests

    def resolved_strs(self) -> list[str]:
        """``name-version[index]`` of each resolved variant (``[]`` without variants)."""
        return [str(r) for r in self.result.resolved] if self.success else []

    def __str__(self) -> str:
        request = " ".join(str(r) for r in self.requested_packages(include_implicit=True))
        if self.success:
            names = " ".join(v.qualified_name for v in self.resolved_packages)
            return f"solved({request} ==> {names})"
        return f"Resolve:{self.status}({request})"


def _requirements(items: Iterable[str | Requirement]) -> tuple[Requirement, ...]:
    return tuple(parse_requirement(x) if isinstance(x, str) else x for x in items)


def _filter(
    value: PackageFilterList | Iterable[Mapping[str, object]] | None, config: Config
) -> PackageFilterList:
    if value is None:
        return PackageFilterList.from_pod(config.package_filter)
    if isinstance(value, PackageFilterList):
        return value
    return PackageFilterList.from_pod(value)


def _orderers(
    value: Iterable[Orderer | Mapping[str, object]] | None, config: Config
) -> tuple[Orderer, ...]:
    items = config.package_orderers if value is None else value
    return OrdererList.from_pod(items).orderers


def _read_back(ephemerals: Iterable[Requirement]) -> tuple[Requirement, ...]:
    """The resolved ephemerals as Rez's context holds them: read back from their text
    (``.x-<=2|>2`` reads as ``.x``, any version)."""
    return tuple(parse_requirement(str(e)) for e in ephemerals)


def _dedup(paths: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(paths))


def resolve(
    requests: Sequence[str | Requirement],
    *,
    paths: Sequence[str] | None = None,
    implicit_packages: Sequence[str | Requirement] | None = None,
    add_implicit_packages: bool = True,
    config: Config | None = None,
    timestamp: int | None = None,
    package_filter: PackageFilterList | Iterable[Mapping[str, object]] | None = None,
    package_orderers: Iterable[Orderer | Mapping[str, object]] | None = None,
    variant_select_mode: VariantSelectMode | None = None,
    building: bool = False,
    max_fails: int = -1,
    time_limit: float = -1,
    reporter: Reporter | None = None,
    search_path: PackageSearchPath | None = None,
    index_dir: Path | None = None,
    caching: bool | None = None,
) -> Resolve:
    """Resolve ``requests`` against package repositories.

    Args:
        requests: package requests (``foo-1.2+``, ``!bar``, ``~baz<2``, ``.eph-1``).
        paths: the repositories to search (default: ``config.packages_path``); duplicates
            are dropped.
        implicit_packages: appended to the request (default: the ``implicit_packages``
            setting); ignored when ``add_implicit_packages`` is False.
        add_implicit_packages: False to resolve the requests alone (``--ni``).
        config: the configuration (default: :func:`pkg.config.load_config`).
        timestamp: hide packages released after this epoch time (``-t``); 0 or None
            means no lock.  As in Rez, it is an ``after(timestamp)`` exclusion added to
            the package filter.
        package_filter: a :class:`PackageFilterList` or its table form (default: the
            ``package_filter`` setting); ``[]`` disables filtering.
        package_orderers: orderers or their tables (default: the ``package_orderers``
            setting); ``[]`` means latest first everywhere.
        variant_select_mode: default: the ``variant_select_mode`` setting.
        building: add each package's ``build_requires`` to its variants.
        max_fails: stop once this many phases failed (-1: no limit).
        time_limit: stop (status ``aborted``) after this many seconds (-1: none).
        reporter: receives solver progress.
        search_path: use these repositories instead of opening ``paths``.
        index_dir: where filesystem repositories keep their metadata index.
        caching: whether the resolve cache may be read and written; False is
            ``--no-cache``.  As in Rez, the cache is used only when the
            ``resolve_caching`` setting is on too.  Only solved resolves are cached, and an
            entry is used only if no package in reach was added, removed or edited
            since (see ``docs/caching.md``).  A resolve read from the cache reports
            nothing to ``reporter``.

    Raises:
        RequestError: a request does not parse.
        ConfigError: an invalid filter rule, orderer or ``variant_select_mode``.
        PackageFamilyNotFoundError: a request names an unknown family (or a dependency
            does, with ``error_on_missing_variant_requires``).
        PackageNotFoundError: no version of a requested family is in its range.
        ResolveError: a package's own requirements clash.
    """
    config = load_config() if config is None else config
    wanted = _requirements(requests)
    implicit: tuple[Requirement, ...] = ()
    if add_implicit_packages:
        implicit = _requirements(
            config.implicit_packages if implicit_packages is None else implicit_packages
        )
    mode = variant_select_mode or config.variant_select_mode
    if mode not in ("version_priority", "intersection_priority"):
        raise ConfigError(f"invalid variant_select_mode {mode!r}")
    package_paths = _dedup(config.packages_path if paths is None else paths)
    filters = _filter(package_filter, config)
    orderers = _orderers(package_orderers, config)
    if search_path is None:
        search_path = PackageSearchPath.from_paths(package_paths, config, index_dir=index_dir)
    cache: ResolveCache | None = None
    recording: RecordingSearchPath | None = None
    key = ""
    if config.resolve_caching and caching is not False:
        # imported only when caching is on: most of its weight is the cache's machinery
        from pkg.api._resolve_cache import RecordingSearchPath, ResolveCache, resolve_key

        cache = ResolveCache.open(config, search_path)
    if cache is not None:
        key = resolve_key(
            requests=wanted,
            implicit_packages=implicit,
            repositories=search_path.repositories,
            package_filter=filters,
            orderers=orderers,
            variant_select_mode=mode,
            building=building,
            timestamp=timestamp,
            max_fails=max_fails,
            config=config,
        )
        hit = cache.lookup(key)
        if hit is not None:
            return Resolve(
                requests=wanted,
                implicit_packages=implicit,
                package_paths=package_paths,
                timestamp=timestamp or None,
                created=int(time.time()),
                variant_select_mode=cast("VariantSelectMode", mode),
                package_filter=filters,
                package_orderers=orderers,
                building=building,
                status="solved",
                resolved_packages=hit.variants,
                resolved_ephemerals=_read_back(hit.result.ephemerals),
                failure_description=None,
                solve_time=hit.solve_time,
                num_loaded_packages=hit.num_loaded_packages,
                result=hit.result,
                from_cache=True,
            )
        search_path = recording = RecordingSearchPath(search_path)
    provider = SearchPathProvider(
        search_path, package_filter=filters.with_timestamp(timestamp), orderers=orderers
    )
    created = int(time.time())
    start = time.perf_counter()
    result = solve(
        [*wanted, *implicit],
        provider,
        variant_select_mode=cast("VariantSelectMode", mode),
        building=building,
        max_fails=max_fails,
        time_limit=time_limit,
        reporter=reporter,
        raise_on_missing=config.error_on_missing_variant_requires,
    )
    solve_time = time.perf_counter() - start
    resolved: tuple[Variant, ...] = ()
    status: ResolveStatus
    if result.status == "solved":
        status = "solved"
        resolved = tuple(
            Variant(provider.load(r.name, r.version), r.index) for r in result.resolved
        )
        if recording is not None and cache is not None:
            recording.record(provider.loaded_packages)
            cache.store(
                key,
                result,
                resolved,
                recording,
                solve_time=solve_time,
                num_loaded_packages=provider.num_loaded_packages,
            )
    else:
        status = "aborted" if result.status == "aborted" else "failed"
    return Resolve(
        requests=wanted,
        implicit_packages=implicit,
        package_paths=package_paths,
        timestamp=timestamp or None,
        created=created,
        variant_select_mode=cast("VariantSelectMode", mode),
        package_filter=filters,
        package_orderers=orderers,
        building=building,
        status=status,
        resolved_packages=resolved,
        resolved_ephemerals=_read_back(result.ephemerals) if status == "solved" else (),
        failure_description=None if status == "solved" else result.failure_description,
        solve_time=solve_time,
        num_loaded_packages=provider.num_loaded_packages,
        result=result,
    )
