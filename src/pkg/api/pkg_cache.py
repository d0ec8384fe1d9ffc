"""``pkg.api.pkg_cache``: fill, list and clean the package cache, as ``rez-pkg-cache``.

After a resolve, :func:`update_package_cache` queues the context's cachable variants in
the cache (``.sys/pending``) and either starts the background copier
(``pkg pkg-cache --daemon``, the default) or copies them before returning
(``--pkg-cache-mode sync``).  :func:`copy_pending` is the copier: one orchestrator task
per variant (:mod:`pkg.orchestrator`), then a short clean-up.

>>> from pkg.api.pkg_cache import parse_variant_uri
>>> parse_variant_uri("/repo/foo/1.0/package.py[1]")
('/repo/foo/1.0/package.py', 1)
>>> parse_variant_uri("/repo/foo/1.0/package.py[]")
('/repo/foo/1.0/package.py', None)

See ``docs/caching.md``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg.package_cache import (
    NotCachableError,
    PackageCache,
    PackageCacheError,
    VariantStatus,
    add_variant,
    load_variant,
    open_cache,
    qualified_name,
    uncached_variants,
)

if TYPE_CHECKING:
    import logging
    from collections.abc import Callable, Iterable, Sequence

    from pkg.config import Config
    from pkg.orchestrator import Backend, TaskContext
    from pkg.package_cache import Handle
    from pkg.packages import Variant

__all__ = [
    "COLUMNS",
    "COPY_JOBS",
    "CacheUpdate",
    "ListedVariant",
    "PackageCacheError",
    "VariantStatus",
    "add_variant_uri",
    "clean_cache",
    "copy_pending",
    "list_variants",
    "log_lines",
    "open_cache",
    "parse_variant_uri",
    "remove_variant_uri",
    "run_daemon",
    "spawn_daemon",
    "update_package_cache",
    "variant_from_uri",
]

#: The columns ``pkg pkg-cache`` can show (Rez's names).
COLUMNS = ("status", "package", "variant_uri", "orig_path", "cache_path")
#: Variants the copier copies at once.
COPY_JOBS = 4

#: How each status is listed, and the order of the list.
_LISTED = {
    VariantStatus.FOUND: ("cached", 0),
    VariantStatus.COPYING: ("copying", 1),
    VariantStatus.COPY_STALLED: ("stalled", 2),
    VariantStatus.PENDING: ("pending", 3),
}


@dataclass(frozen=True, slots=True)
class CacheUpdate:
    """What :func:`update_package_cache` did.

    Attributes:
        cache_path: the cache.
        queued: the variants it queued for copying (qualified names).
        sync: True when they were copied before returning; False when a background
            copier was started.
    """

    cache_path: str
    queued: tuple[str, ...]
    sync: bool


@dataclass(frozen=True, slots=True)
class ListedVariant:
    """One row of ``pkg pkg-cache``."""

    status: str
    package: str
    variant_uri: str
    orig_path: str
    cache_path: str

    def column(self, name: str) -> str:
        """The value of column ``name`` (one of :data:`COLUMNS`)."""
        value: str = getattr(self, name)
        return value


def update_package_cache(
    variants: Sequence[Variant],
    config: Config,
    *,
    package_cache_async: bool | None = None,
) -> CacheUpdate | None:
    """Queue the cachable ``variants`` that are not cached yet, then copy them.

    Asynchronously (``package_cache_async``, the default) a detached
    ``pkg pkg-cache --daemon`` process copies them and this returns at once; otherwise
    they are copied before this returns (a copy already running in another process is
    waited for).  Nothing happens without ``cache_packages_path`` or with
    ``write_package_cache`` off (returns None).

    Raises:
        PackageCacheError: ``cache_packages_path`` is not a directory.
    """
    if not config.cache_packages_path or not config.write_package_cache:
        return None
    cache = open_cache(config)
    if package_cache_async is None:
        package_cache_async = config.package_cache_async
    sync = not package_cache_async
    handles = uncached_variants(cache, variants, config, sync=sync)
    if handles:
        cache.add_pending(handles)
        if sync:
            copy_pending(cache, config, wait_for_copying=True)
        else:
            spawn_daemon(cache.path)
    return CacheUpdate(cache.path, tuple(qualified_name(h) for h in handles), sync)


def spawn_daemon(cache_path: str) -> bool:
    """Start ``pkg pkg-cache --daemon CACHE`` detached: in its own session, without
    output, and not a child of this process (nothing to wait for).

    Returns whether it could be started.
    """
    args = [sys.executable, "-m", "pkg", "pkg-cache", "--daemon", cache_path]
    devnull = subprocess.DEVNULL
    try:
        if os.name == "posix":
            # sh starts the copier in the background and exits at once: the copier is
            # then nobody's child here (a double fork), and sh is reaped right away.
            launcher = ["/bin/sh", "-c", '"$@" >/dev/null 2>&1 &', "sh", *args]
            done = subprocess.run(
                launcher,
                stdin=devnull,
                stdout=devnull,
                stderr=devnull,
                start_new_session=True,
                check=False,
                timeout=30,
            )
            return done.returncode == 0
        process = subprocess.Popen(
            args,
            stdin=devnull,
            stdout=devnull,
            stderr=devnull,
            creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
        )
        _SPAWNED.append(process)  # never collected while running (no ResourceWarning)
        return True
    except (OSError, subprocess.SubprocessError):
        return False


#: Copiers started without a double fork (Windows), kept so they are never collected.
_SPAWNED: list[subprocess.Popen[bytes]] = []


def run_daemon(cache: PackageCache, config: Config, *, detach: bool = True) -> None:
    """The background copier: copy every pending variant, then clean up a little.

    With ``detach`` (POSIX), the work happens in a forked child and the calling process
    returns at once, as ``rez-pkg-cache --daemon`` does.
    """
    if detach and hasattr(os, "fork") and os.fork() > 0:
        return
    try:
        copy_pending(cache, config, wait_for_copying=False)
    finally:
        if detach and hasattr(os, "fork"):
            os._exit(0)


def copy_pending(
    cache: PackageCache,
    config: Config,
    *,
    wait_for_copying: bool,
    copy: Callable[[str, str], object] | None = None,
    echo: bool = False,
    backend: Backend = "asyncio",
) -> dict[str, VariantStatus]:
    """Copy the pending variants into ``cache``, :data:`COPY_JOBS` at a time, as
    orchestrator tasks; variants queued meanwhile are taken too.  Then, with a positive
    ``package_cache_clean_limit``, clean for at most that many seconds, and delete
    logs older than ``package_cache_log_days``.

    A variant that cannot be cached, or whose copy fails, is logged (in the cache's log)
    and dropped from the queue; one being copied by another process stays queued unless
    ``wait_for_copying``, which waits for that copy instead.

    ``backend`` is the anyio backend the tasks run on (``asyncio`` or ``trio``).

    Returns each variant's outcome, by qualified name.
    """
    with cache.logging_to_file(echo=echo) as logger:
        return _copy_pending(cache, config, wait_for_copying, copy, backend, logger)


def _copy_pending(
    cache: PackageCache,
    config: Config,
    wait_for_copying: bool,
    copy: Callable[[str, str], object] | None,
    backend: Backend,
    logger: logging.Logger,
) -> dict[str, VariantStatus]:
    from pkg.repositories.search import RepositoryPool

    cache.delete_old_logs(config.package_cache_log_days)
    pool = RepositoryPool(config)
    outcomes: dict[str, VariantStatus] = {}
    attempted: set[str] = set()
    while True:
        if cache.cache_near_full():
            logger.info(
                "Cache storage has reached the configured threshold of %.2fMB, caching "
                "will now stop.",
                cache.space_buffer / 1024**2,
            )
            break
        batch = [(p, h) for p, h in cache.pending() if p not in attempted]
        if not batch:
            break
        attempted.update(p for p, _h in batch)
        jobs = [(p, h, load_variant(h, pool)) for p, h in batch]
        outcomes.update(_run_copies(cache, config, jobs, wait_for_copying, copy, logger, backend))
    if config.package_cache_clean_limit > 0:
        try:
            cache.clean(
                max_variant_days=config.package_cache_max_variant_days,
                time_limit=config.package_cache_clean_limit,
                logger=logger,
            )
        except (OSError, PackageCacheError):
            logger.exception("An error occurred while cleaning the cache")
    return outcomes


def _run_copies(
    cache: PackageCache,
    config: Config,
    jobs: list[tuple[str, Handle, Variant | None]],
    wait_for_copying: bool,
    copy: Callable[[str, str], object] | None,
    logger: logging.Logger,
    backend: Backend,
) -> dict[str, VariantStatus]:
    import anyio

    from pkg.orchestrator import Graph, Runner, Task

    outcomes: dict[str, VariantStatus] = {}

    def task_for(pending_file: str, handle: Handle, variant: Variant | None) -> Task:
        name = qualified_name(handle)

        async def run(ctx: TaskContext) -> VariantStatus:
            status = await ctx.run_sync(
                _copy_one, cache, config, pending_file, handle, variant, wait_for_copying,
                copy, logger,
            )  # fmt: skip
            outcomes[name] = status
            return status

        return Task(f"{name} {pending_file}", run)

    graph = Graph.from_tasks([task_for(*job) for job in jobs])
    runner = Runner(jobs=COPY_JOBS, keep_going=True)
    anyio.run(runner.run, graph, backend=backend)
    return outcomes


def _copy_one(
    cache: PackageCache,
    config: Config,
    pending_file: str,
    handle: Handle,
    variant: Variant | None,
    wait_for_copying: bool,
    copy: Callable[[str, str], object] | None,
    logger: logging.Logger,
) -> VariantStatus:
    """Copy one pending variant; drop it from the queue unless another process is
    copying it.  Never raises: failures are logged."""
    name = qualified_name(handle)
    status = VariantStatus.NOT_FOUND
    try:
        if variant is None:
            logger.warning("Not cached - variant %s no longer exists", name)
        elif variant.root and not cache.has_room_for(variant.root):
            logger.info("Variant %s is too big to be cached in the space left.", name)
        else:
            logger.info("Started caching of variant %s...", variant.uri)
            status, root = add_variant(
                cache, variant, config, wait_for_copying=wait_for_copying, copy=copy,
                logger=logger,
            )  # fmt: skip
            _log_outcome(logger, status, root)
    except NotCachableError as error:
        logger.warning("%s", error)
    except Exception:  # a failed copy: the variant reads as stalled from now on
        logger.exception("Failed to add variant %s to the cache", name)
    if status is not VariantStatus.COPYING:
        with contextlib.suppress(FileNotFoundError):
            os.remove(pending_file)
    return status


def _log_outcome(logger: logging.Logger, status: VariantStatus, root: str) -> None:
    messages = {
        VariantStatus.FOUND: "Variant was already cached at %s",
        VariantStatus.COPYING: "Variant is already being copied to %s",
        VariantStatus.COPY_STALLED: "Variant is stalled copying to %s",
        VariantStatus.SKIPPED: "Variant skipped (cache size limit) %s",
    }
    logger.info(messages.get(status, "Cached variant to %s"), root)


# -- pkg pkg-cache ---------------------------------------------------------------------


def parse_variant_uri(uri: str) -> tuple[str, int | None] | None:
    """(package uri, variant index) of a variant uri ``<package uri>[<index>]``; None
    when it is not one."""
    head, sep, tail = uri.rpartition("[")
    if not sep or not tail.endswith("]"):
        return None
    text = tail[:-1]
    if not text:
        return head, None
    try:
        return head, int(text)
    except ValueError:
        return None


def variant_from_uri(uri: str, config: Config) -> Variant | None:
    """The variant a uri names (``/repo/foo/1.0/package.py[0]``, ``.../package.py[]``
    without variants, ``/repo/foo/package.py[]`` unversioned), or None."""
    from pkg.repositories.search import RepositoryPool

    parsed = parse_variant_uri(uri)
    if parsed is None:
        return None
    package_uri, index = parsed
    version: str | None = None
    if package_uri.endswith(">") and "<" in package_uri:
        package_uri, _, version = package_uri[:-1].rpartition("<")
    parts = os.path.normpath(package_uri).split(os.sep)
    candidates: list[tuple[str, str, str]] = []
    if version is None and len(parts) >= 4:
        candidates.append((os.sep.join(parts[:-3]), parts[-3], parts[-2]))
    if len(parts) >= 3:
        candidates.append((os.sep.join(parts[:-2]), parts[-2], version or ""))
    if version is not None and len(parts) >= 2:
        stem = os.path.splitext(parts[-1])[0]
        candidates.append((os.sep.join(parts[:-1]), stem, version))
    # A uri does not say where its repository ends: try the readings whose repository
    # is on packages_path first (as Rez does), then the others.
    searched = {os.path.abspath(os.path.expanduser(p)) for p in config.packages_path}
    candidates.sort(key=lambda c: c[0] not in searched)
    pool = RepositoryPool(config)
    for location, name, ver in candidates:
        handle = {
            "variables": {
                "location": location or os.sep,
                "name": name,
                "version": ver,
                "index": index,
                "repository_type": "filesystem",
            }
        }
        variant = load_variant(handle, pool)
        if variant is not None and variant.uri == uri:
            return variant
    return None


def list_variants(cache: PackageCache, config: Config) -> list[ListedVariant]:
    """The cache's variants as ``pkg pkg-cache`` lists them: cached, copying, stalled,
    then pending; by package name within each."""
    from pkg.repositories.search import RepositoryPool

    pool = RepositoryPool(config)
    rows: list[tuple[int, str, ListedVariant]] = []
    for entry in cache.entries():
        variant = load_variant(entry.handle, pool)
        status, order = _LISTED[entry.status]
        name = qualified_name(entry.handle)
        row = ListedVariant(
            status=status,
            package=variant.qualified_package_name if variant else name.rpartition("[")[0],
            variant_uri=variant.uri if variant else name,
            orig_path=(variant.root or "-") if variant else "-",
            cache_path=entry.root or "-",
        )
        rows.append((order, entry.handle["variables"]["name"], row))
    rows.sort(key=lambda item: item[:2])
    return [row for _order, _name, row in rows]


def add_variant_uri(
    cache: PackageCache,
    uri: str,
    config: Config,
    *,
    force: bool = False,
    sync: bool | None = None,
) -> tuple[VariantStatus, str]:
    """Copy the variant ``uri`` names into ``cache`` now (``pkg pkg-cache -a``).

    ``sync`` (default: not ``package_cache_async``) waits for a copy of the same
    variant running in another process.

    Raises:
        PackageCacheError: no such variant; it may not be cached (without ``force``).
        OSError: the copy failed.
    """
    variant = variant_from_uri(uri, config)
    if variant is None:
        raise PackageCacheError(f"No such variant: {uri}")
    if sync is None:
        sync = not config.package_cache_async
    return add_variant(cache, variant, config, force=force, wait_for_copying=sync)


def remove_variant_uri(cache: PackageCache, uri: str, config: Config) -> VariantStatus:
    """Take the variant ``uri`` names out of ``cache`` (``pkg pkg-cache -r``): REMOVED,
    NOT_FOUND or COPYING.

    Raises:
        PackageCacheError: no such variant.
    """
    from pkg.package_cache import handle_of

    variant = variant_from_uri(uri, config)
    if variant is None:
        raise PackageCacheError(f"No such variant: {uri}")
    return cache.remove(handle_of(variant))


def clean_cache(cache: PackageCache, config: Config, *, echo: bool = True) -> list[str]:
    """``pkg pkg-cache --clean``: remove variants unused for more than
    ``package_cache_max_variant_days`` days and stalled copies, delete what was removed,
    and logs older than ``package_cache_log_days``.  Returns the variants removed."""
    cache.delete_old_logs(config.package_cache_log_days)
    with cache.logging_to_file(echo=echo) as logger:
        removed = cache.clean(max_variant_days=config.package_cache_max_variant_days, logger=logger)
    return [qualified_name(h) for h in removed]


def log_lines(cache: PackageCache) -> Iterable[str]:
    """The lines of the cache's logs, oldest first (``pkg pkg-cache --logs``)."""
    for path in cache.log_files():
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                yield from (line.rstrip("\n") for line in f)
        except OSError:
            continue
