"""``pkg memcache``: query and manage the memcached servers of ``memcached_uri``.

The command line renders what these functions return; nothing here prints.  Every
function that talks to the servers answers per server, so that an unreachable server
is reported by name (the resolve cache, by contrast, treats it as a cache miss).  See
``docs/caching.md``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from pkg.errors import ConfigError, PkgError
from pkg.memcache import Client, MemcacheError, ServerResult

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from pkg.config import Config

__all__ = [
    "MemcacheError",
    "MemcacheServersError",
    "PollRow",
    "ServerSummary",
    "columns",
    "failures",
    "flush",
    "make_client",
    "poll",
    "readable_duration",
    "readable_size",
    "require_client",
    "reset_stats",
    "server_stats",
    "summarise",
    "summary_rows",
    "warm",
]

#: Seconds allowed for connecting to a server and for each read or write.
TIMEOUT = 0.5
_POLL_KEY = "__pkg_memcache_poll__"
_T = TypeVar("_T")


def make_client(config: Config, *, timeout: float = TIMEOUT) -> Client:
    """A client for ``memcached_uri`` (readable wire keys with ``debug_memcache``).

    Raises:
        ConfigError: a malformed server address.
    """
    return Client(config.memcached_uri, timeout=timeout, readable_keys=config.debug_memcache)


def require_client(config: Config) -> Client:
    """:func:`make_client`, for commands that need a server.

    Raises:
        ConfigError: ``memcached_uri`` is empty, or holds a malformed address.
    """
    if not config.memcached_uri:
        raise ConfigError("memcaching is not enabled (memcached_uri is empty)")
    return make_client(config)


class MemcacheServersError(PkgError):
    """One or more memcached servers did not answer.

    Attributes:
        errors: one error per server, naming it and saying why.
    """

    def __init__(self, errors: Sequence[MemcacheError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


def failures(results: Sequence[ServerResult[_T]]) -> list[MemcacheError]:
    """The errors of the servers that did not answer."""
    return [r.error for r in results if r.error is not None]


def server_stats(config: Config) -> list[ServerResult[dict[str, str]]]:
    """``stats`` of every server, unreachable ones included (with their error)."""
    with require_client(config) as client:
        return client.stats()


def flush(config: Config) -> list[ServerResult[None]]:
    """Invalidate every item on every server, then reset their statistics (as Rez's
    ``--flush`` does).  This affects every user of the servers."""
    with require_client(config) as client:
        results = client.flush_all()
        reset = {r.server: r for r in client.reset_stats()}
    return [r if not r.ok else reset.get(r.server, r) for r in results]


def reset_stats(config: Config) -> list[ServerResult[None]]:
    """``stats reset`` on every server."""
    with require_client(config) as client:
        return client.reset_stats()


# -- the summary table -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerSummary:
    """The figures of one server that ``pkg memcache`` shows.

    Attributes:
        server: ``host:port``.
        uptime: seconds since the server started.
        hits, misses: ``get`` hits and misses.
        memory: the memory limit (bytes).
        used: bytes used by items.
    """

    server: str
    uptime: int
    hits: int
    misses: int
    memory: int
    used: int

    @property
    def hit_percent(self) -> int:
        """Hits as a percentage of gets, rounded down."""
        return self.hits * 100 // max(self.hits + self.misses, 1)

    @property
    def used_percent(self) -> int:
        """Memory used as a percentage of the limit, rounded down."""
        return self.used * 100 // max(self.memory, 1)


def _int(stats: dict[str, str], name: str) -> int:
    try:
        return int(float(stats.get(name, "0")))
    except ValueError:
        return 0


def summarise(server: str, stats: dict[str, str]) -> ServerSummary:
    """The summary of one server's ``stats``."""
    return ServerSummary(
        server,
        _int(stats, "uptime"),
        _int(stats, "get_hits"),
        _int(stats, "get_misses"),
        _int(stats, "limit_maxbytes"),
        _int(stats, "bytes"),
    )


_HEADER = ("CACHE SERVER", "UPTIME", "HITS", "MISSES", "HIT RATIO", "MEMORY", "USED")


def summary_rows(summaries: Sequence[ServerSummary]) -> list[tuple[str, ...]]:
    """The table Rez's ``rez-memcache`` prints: a header, dashes, one row per server."""
    rows: list[tuple[str, ...]] = [_HEADER, tuple("-" * len(title) for title in _HEADER)]
    for s in summaries:
        rows.append(
            (
                s.server,
                readable_duration(s.uptime),
                str(s.hits),
                str(s.misses),
                f"{s.hit_percent}%",
                readable_size(s.memory),
                f"{readable_size(s.used)} ({s.used_percent}%)",
            )
        )
    return rows


def columns(rows: Sequence[Sequence[str]], padding: int = 2) -> list[str]:
    """``rows`` as lines of left-aligned columns, ``padding`` spaces apart (the last
    column is not padded).

    >>> columns([("a", "bb", "c"), ("ddd", "e", "f")])
    ['a    bb  c', 'ddd  e   f']
    """
    widths: dict[int, int] = {}
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths.get(i, 0), len(cell))
    return [
        "".join(
            cell if i == len(row) - 1 else cell.ljust(widths[i] + padding)
            for i, cell in enumerate(row)
        )
        for row in rows
    ]


#: (size of the unit, plural name, value up to which one decimal is kept)
_DURATIONS = (
    (365 * 86400, "years", 10),
    (30 * 86400, "months", 12),
    (7 * 86400, "weeks", 5),
    (86400, "days", 7),
    (3600, "hours", 10),
    (60, "minutes", 10),
    (1, "seconds", 60),
)
_SIZES = (
    (1 << 40, "Tb", 128),
    (1 << 30, "Gb", 64),
    (1 << 20, "Mb", 32),
    (1 << 10, "Kb", 16),
    (1, "bytes", 1024),
)


def _readable(value: int, units: tuple[tuple[int, str, int], ...], *, singular: bool) -> str:
    if value == 0:
        return f"0 {units[-1][1]}"
    sign = "-" if value < 0 else ""
    size, name, limit = next((u for u in units if abs(value) >= u[0]), units[-1])
    amount = abs(value) / size
    amount = round(amount) if amount > limit else round(amount, 1)
    amount = int(amount * 10) / 10  # at most one decimal, never rounded up again
    if singular and amount == 1:
        name = name[:-1]
    return f"{sign}{amount:g} {name}"


def readable_duration(seconds: int) -> str:
    """``2 seconds``, ``1 minute``, ``3.5 hours``: the largest unit that fits.

    >>> readable_duration(90), readable_duration(3600), readable_duration(0)
    ('1.5 minutes', '1 hour', '0 seconds')
    """
    return _readable(seconds, _DURATIONS, singular=True)


def readable_size(size: int) -> str:
    """``64 Mb``, ``1.5 Kb``, ``0 bytes``: the largest unit that fits.

    >>> readable_size(67108864), readable_size(1536), readable_size(12)
    ('64 Mb', '1.5 Kb', '12 bytes')
    """
    return _readable(size, _SIZES, singular=False)


# -- polling ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PollRow:
    """One server over one polling interval.

    Attributes:
        server: ``host:port``.
        connections: open connections (``curr_connections``).
        gets_per_second, sets_per_second: over the interval.
        test_get, test_set: seconds a test ``get`` and ``set`` took.
    """

    server: str
    connections: int
    gets_per_second: float
    sets_per_second: float
    test_get: float
    test_set: float


def poll(
    config: Config,
    interval: float = 1.0,
    *,
    count: int | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[list[PollRow]]:
    """Every ``interval`` seconds, the activity of each answering server since the
    previous poll (``count`` times, or forever).  Unreachable servers are left out.
    ``sleep`` waits between polls (default: :func:`time.sleep`)."""
    wait = time.sleep if sleep is None else sleep
    client = require_client(config)
    probes = {server: Client([server], timeout=TIMEOUT) for server in client.servers}
    previous: tuple[float, dict[str, dict[str, str]]] | None = None
    done = 0
    try:
        while count is None or done < count:
            now = time.monotonic()
            current = {r.server: r.value for r in client.stats() if r.value is not None}
            if previous is not None:
                elapsed = max(now - previous[0], 1e-9)
                rows = []
                for server, stats in current.items():
                    before = previous[1].get(server)
                    if before is not None:
                        rows.append(_poll_row(server, stats, before, elapsed, probes[server]))
                yield rows
                done += 1
            previous = (now, current)
            if count is None or done < count:
                wait(interval)
    finally:
        client.close()
        for probe in probes.values():
            probe.close()


def _poll_row(
    server: str, stats: dict[str, str], before: dict[str, str], elapsed: float, probe: Client
) -> PollRow:
    gets = _int(stats, "cmd_get") - _int(before, "cmd_get")
    sets = _int(stats, "cmd_set") - _int(before, "cmd_set")
    start = time.perf_counter()
    probe.set(_POLL_KEY, b"1")
    middle = time.perf_counter()
    probe.get(_POLL_KEY)
    end = time.perf_counter()
    return PollRow(
        server,
        _int(stats, "curr_connections"),
        gets / elapsed,
        sets / elapsed,
        end - middle,
        middle - start,
    )


# -- warming ---------------------------------------------------------------------------


def warm(
    config: Config,
    *,
    paths: Sequence[str] | None = None,
    on_package: Callable[[str], None] | None = None,
) -> int:
    """Read every package of the non-local repositories (or of ``paths``), so that their
    metadata index is complete; returns how many packages were read.

    Rez's ``--warm`` puts package definitions in memcached.  pkg keeps them in each
    repository's on-disk index instead, and that is what this fills.  ``on_package`` is
    called with each package's qualified name.
    """
    from pkg.api.repository_ops import nonlocal_packages_path
    from pkg.repositories import PackageSearchPath

    search = PackageSearchPath.from_paths(
        nonlocal_packages_path(config) if paths is None else paths, config
    )
    count = 0
    for family in search.iter_family_names():
        for package in search.iter_packages(family, errors=[]):
            count += 1
            if on_package is not None:
                on_package(package.qualified_name)
    return count
