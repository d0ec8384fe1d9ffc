"""The resolve cache: solved resolves kept on disk and in memcached, checked on every read.

An entry is stored under a key made of everything that decides a resolve (see
:func:`resolve_key`).  It holds the solver's result, the definitions of the resolved
packages (so that a hit reads no repository index), and what the solver saw of the
repositories: the state of every family it listed and of every definition it loaded
(:mod:`pkg.api._resolve_state`).  A read checks those states again; any change (a package
added to or removed from a family the solve looked at, an edited definition) makes the
entry a miss, and it is removed.  An entry whose check had to look closer (young stamps)
is written back with fresher states, so that the next read is fast again.

Entries are :mod:`marshal` data behind a header naming the entry format and the
interpreter (marshal's format belongs to a Python version; another one's entry is a miss):
decoding one is several times faster than JSON.  The definitions the solve read besides
the resolved packages (checked only with ``resolve_cache_strict``) are a nested blob,
decoded only then.  On disk, one file per key, written to a temporary file and renamed
into place; in memcached, zlib-compressed (``memcached_resolve_min_compress_len``).  Only
solved resolves over filesystem repositories are kept (a memory repository has no state
to check).  See ``docs/caching.md``.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import json
import marshal
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pkg import __version__
from pkg.api._resolve_state import (
    RecordingSearchPath,
    check_families,
    check_files,
    pack_files,
    roots,
)
from pkg.core import Version, parse_requirement
from pkg.packages import Package, PackageDefinition, Variant
from pkg.repositories import FilesystemRepository, PackageSearchPath
from pkg.resolver import ResolvedVariant, SolveResult, WhyEdge, WhyGraph

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import Config
    from pkg.core import Requirement
    from pkg.memcache import Client
    from pkg.repositories import Repository
    from pkg.resolver.filters import PackageFilterList
    from pkg.resolver.orderers import Orderer

__all__ = [
    "CACHE_FORMAT",
    "CachedResolve",
    "RecordingSearchPath",
    "ResolveCache",
    "decode_entry",
    "default_cache_dir",
    "encode_entry",
    "load_read_files",
    "resolve_key",
    "shared_client",
]

#: Changes whenever the key or the entry layout changes (entries hold `Version` keys, so
#: a change to their layout counts too); old entries are then ignored.
CACHE_FORMAT = 5
#: The first line of every entry starts with its format, the interpreter and marshal's
#: version; the length of the main part follows (see :func:`encode_entry`).
_HEADER = f"pkg-resolve {CACHE_FORMAT} {sys.implementation.cache_tag} {marshal.version} ".encode()


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/pkg/resolves`` (``~/.cache/pkg/resolves`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pkg" / "resolves"


def _cache_dir(config: Config) -> Path | None:
    setting = config.resolve_cache_path
    if setting is None:
        return default_cache_dir()
    return Path(setting) if setting else None


def resolve_key(
    *,
    requests: Sequence[Requirement],
    implicit_packages: Sequence[Requirement],
    repositories: Sequence[Repository],
    package_filter: PackageFilterList,
    orderers: Sequence[Orderer],
    variant_select_mode: str,
    building: bool,
    timestamp: int | None,
    max_fails: int,
    config: Config,
) -> str:
    """The cache key of a resolve: a hash of everything that decides its outcome.

    That is Rez's key (request, repositories, filter, orderers, building) plus the
    implicit packages, ``variant_select_mode``, the timestamp,
    ``error_on_missing_variant_requires``, ``max_fails``, the settings that decide what a
    repository lists, pkg's version and :data:`CACHE_FORMAT`.  Repositories are named
    by their ``uid`` (path and inode of the directory).
    """
    fs = config.plugins.package_repository.filesystem
    material = [
        "resolve",
        CACHE_FORMAT,
        __version__,
        [str(r) for r in requests],
        [str(r) for r in implicit_packages],
        [r.uid for r in repositories],
        package_filter.to_pod(),
        [o.to_pod() for o in orderers],
        variant_select_mode,
        building,
        timestamp or 0,
        config.error_on_missing_variant_requires,
        max_fails,
        [config.allow_unversioned_packages, list(fs.package_filenames)],
        fs.check_package_definition_files,
    ]
    text = json.dumps(material, separators=(",", ":"), sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# -- entries -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CachedResolve:
    """A solved resolve read from the cache.

    Attributes:
        result: the solver's result, rebuilt.
        variants: the resolved variants, in resolve order.
        solve_time: how long the original solve took (seconds).
        num_loaded_packages: how many definitions the original solve used.
        source: ``"disk"`` or ``"memcached"``.
    """

    result: SolveResult
    variants: tuple[Variant, ...]
    solve_time: float
    num_loaded_packages: int
    source: str


def _encode(
    key: str,
    result: SolveResult,
    variants: Sequence[Variant],
    search_path: RecordingSearchPath,
    *,
    solve_time: float,
    num_loaded_packages: int,
) -> dict[str, Any] | None:
    refs = [r.ref for r in search_path.repositories]
    packages = []
    for variant in variants:
        package = variant.package
        if package.repository not in refs:
            return None
        packages.append(
            [refs.index(package.repository), package.base, tuple(package.definition.to_record())]
        )
    return {
        "format": CACHE_FORMAT,
        "key": key,
        "solve_time": solve_time,
        "num_loaded_packages": num_loaded_packages,
        "resolved": [
            [v.name, str(v.version), v.version._key, v.index, "\n".join(map(str, v.requires))]
            for v in result.resolved
        ],
        "ephemerals": [str(e) for e in result.ephemerals],
        "num_solves": result.num_solves,
        "num_fails": result.num_fails,
        "nodes": list(result.graph.nodes),
        "edges": "\n".join(
            f"{e.source}\t{e.target}\t{e.requirement}\t{e.kind}" for e in result.graph.edges
        ),
        "packages": packages,
        "families": [s for states in search_path.families.values() for s in states],
        **_files(search_path, variants),
    }


def _files(search_path: RecordingSearchPath, variants: Sequence[Variant]) -> dict[str, Any]:
    """The stamps of the definitions the solve read: ``files`` those of the resolved
    packages, ``read_files`` the others (checked only with ``resolve_cache_strict``)."""
    resolved = {v.package.definition.filepath for v in variants}
    mine = [line for path, line in search_path.files.items() if path in resolved]
    others = [line for path, line in search_path.files.items() if path not in resolved]
    return {"files": pack_files(mine), "read_files": pack_files(others)}


def _validate(
    entry: dict[str, Any], repositories: Sequence[Repository], strict: bool
) -> tuple[bool, dict[str, Any] | None]:
    """(still valid, the entry with fresher states if a check had to look closer).

    Always checked: every family listed (a version added or removed anywhere in it) and
    the definitions of the resolved packages; with ``strict``, every other definition
    the solve read too (``entry["read_files"]``, which must then be loaded: see
    :func:`load_read_files`)."""
    bases = roots(repositories)
    families = check_families(entry["families"], repositories, bases)
    if families is None:
        return False, None
    fresher: dict[str, list[Any]] = {}
    for name in ("files", "read_files") if strict else ("files",):
        packed = entry[name]
        checked = check_files(packed, bases)
        if checked is None:
            return False, None
        if checked is not packed:
            fresher[name] = checked
    if families is entry["families"] and not fresher:
        return True, None
    return True, dict(entry, families=families, **fresher)


#: The kinds of why-graph edges, by name (an unknown name is a damaged entry).
_EDGE_KINDS: dict[str, Literal["request", "requires", "conflict", "cycle"]] = {
    "request": "request",
    "requires": "requires",
    "conflict": "conflict",
    "cycle": "cycle",
}


def _edge(line: str) -> WhyEdge:
    source, target, requirement, kind = line.split("\t")
    return WhyEdge(source, target, requirement, _EDGE_KINDS[kind])


def _graph(nodes: list[Any], edges: str) -> WhyGraph:
    """The why-graph of an entry, rebuilt when first used (most callers never look)."""
    if not isinstance(nodes, list) or not isinstance(edges, str):
        raise TypeError("damaged why-graph")
    for line in edges.split("\n", 1)[:1]:
        if line:
            _edge(line)  # a damaged first edge is a damaged entry now, not later

    def build() -> tuple[tuple[str, ...], tuple[WhyEdge, ...]]:
        return (
            tuple(str(n) for n in nodes),
            tuple(_edge(line) for line in edges.split("\n") if line),
        )

    return WhyGraph.deferred(build)


def _rebuild(
    entry: dict[str, Any], repositories: Sequence[Repository], config: Config, source: str
) -> CachedResolve:
    """The resolve of a (validated) entry.  Versions are rebuilt from their stored keys
    and requirements are parsed only when read: a hit of a large resolve rebuilds
    hundreds of packages, and that must stay well under a millisecond or two."""
    refs = [r.ref for r in repositories]
    resolved = []
    variants = []
    trusted_version = Version._trusted
    unparsed = ResolvedVariant.unparsed
    from_record = PackageDefinition.from_record
    trusted_variant = Variant.trusted
    for (name, text, key, index, requires), (repo, base, record) in zip(
        entry["resolved"], entry["packages"], strict=True
    ):
        if (
            type(name) is not str
            or type(text) is not str
            or type(key) is not tuple
            or type(requires) is not str
            or not (index is None or type(index) is int)
        ):
            raise TypeError("damaged resolved variant")
        version = trusted_version(text, key)
        item = unparsed(name, version, index, requires)
        resolved.append(item)
        package = Package(
            from_record(record), refs[repo], base="" if base is None else str(base), config=config
        )
        variants.append(trusted_variant(package, index, version))
    result = SolveResult(
        "solved",
        tuple(resolved),
        tuple(parse_requirement(e) for e in entry["ephemerals"]),
        num_solves=int(entry["num_solves"]),
        num_fails=int(entry["num_fails"]),
        graph=_graph(entry["nodes"], entry["edges"]),
    )
    return CachedResolve(
        result,
        tuple(variants),
        float(entry["solve_time"]),
        int(entry["num_loaded_packages"]),
        source,
    )


# -- backends ------------------------------------------------------------------------------

_CORRUPT = (KeyError, TypeError, ValueError, IndexError, AttributeError)


class ResolveCache:
    """The backends of the resolve cache for one configuration and search path
    (:meth:`open` makes one from the settings).

    Args:
        config: the configuration packages are rebuilt with; its
            ``memcached_resolve_min_compress_len`` applies to memcached entries.
        repositories: the search path's repositories (all filesystem repositories).
        directory: the on-disk cache (None: none).
        client: the memcached client (None: none).
    """

    def __init__(
        self,
        config: Config,
        repositories: Sequence[Repository],
        *,
        directory: Path | None = None,
        client: Client | None = None,
    ) -> None:
        self.config = config
        self.repositories = tuple(repositories)
        self.directory = directory
        self.client = client

    @classmethod
    def open(cls, config: Config, search_path: PackageSearchPath) -> ResolveCache | None:
        """The cache for ``search_path``, or None if there is nothing to cache with (no
        backend, or a repository that is not on the file system)."""
        repositories = search_path.repositories
        if type(search_path) is not PackageSearchPath:  # a subclass may answer otherwise
            return None
        if not all(isinstance(r, FilesystemRepository) for r in repositories):
            return None
        directory = _cache_dir(config)
        client = shared_client(config) if config.memcached_uri else None
        if directory is None and client is None:
            return None
        return cls(config, repositories, directory=directory, client=client)

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / f"{key}.entry"

    @staticmethod
    def _memcached_key(key: str, part: str = "") -> str:
        return f"resolve:{key}{part}"

    def lookup(self, key: str) -> CachedResolve | None:
        """The valid entry for ``key``, or None.  An invalid entry is removed.

        The cyclic garbage collector is paused meanwhile (as during a solve): a hit of a
        large resolve makes some 20,000 objects and no cycles, and the collections those
        allocations set off found nothing and took up to a third of the time."""
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            return self._lookup(key)
        finally:
            if paused:
                gc.enable()

    def _lookup(self, key: str) -> CachedResolve | None:
        if self.directory is not None:
            try:
                data: bytes | None = self._path(key).read_bytes()
            except OSError:
                data = None
            if data is not None:
                found = self._use(key, data, "disk")
                if found is not None:
                    return found
                with contextlib.suppress(OSError):
                    self._path(key).unlink()
        if self.client is not None:
            data = self.client.get(self._memcached_key(key))
            if data is not None:
                found = self._use(key, data, "memcached")
                if found is not None:
                    return found
                self.client.delete(self._memcached_key(key))
                self.client.delete(self._memcached_key(key, _READ))
        return None

    def _use(self, key: str, data: bytes, source: str) -> CachedResolve | None:
        strict = self.config.resolve_cache_strict
        try:
            entry, tail = decode_entry(data)
            if entry["format"] != CACHE_FORMAT or entry["key"] != key:
                return None
            if strict:
                if tail is None and self.client is not None:
                    tail = self.client.get(self._memcached_key(key, _READ))
                read_files = load_read_files(entry, tail)
                if read_files is None:
                    return None
                entry["read_files"] = read_files
            valid, fresher = _validate(entry, self.repositories, strict)
            if not valid:
                return None
            found = _rebuild(entry, self.repositories, self.config, source)
        except _CORRUPT:
            return None
        if fresher is not None:
            if strict:  # read_files loaded: written afresh, under a new token
                main, tail = encode_entry(fresher)
            else:
                main = _encode_main(fresher, fresher["read_token"])
                tail = None if source == "memcached" else tail
            self._write(key, main, tail, memcached=source == "memcached")
        elif source == "memcached" and self.directory is not None:
            self._write(key, data, tail, memcached=False)  # the next read stays local
        return found

    def store(
        self,
        key: str,
        result: SolveResult,
        variants: Sequence[Variant],
        search_path: RecordingSearchPath,
        *,
        solve_time: float,
        num_loaded_packages: int,
    ) -> bool:
        """Keep a solved resolve; False if it cannot be kept (not solved, or a package
        from outside the search path)."""
        if result.status != "solved":
            return False
        entry = _encode(
            key,
            result,
            variants,
            search_path,
            solve_time=solve_time,
            num_loaded_packages=num_loaded_packages,
        )
        if entry is None:
            return False
        main, tail = encode_entry(entry)
        self._write(key, main, tail, memcached=True)
        return True

    def _write(self, key: str, main: bytes, tail: bytes | None, *, memcached: bool) -> None:
        """Write an entry: on disk its main part and its tail (when known) in one file;
        in memcached under two keys, the tail first (a main part naming a tail that is
        not there yet is only a miss for ``resolve_cache_strict``)."""
        if self.directory is not None:
            _write_atomically(self._path(key), main if tail is None else main + tail)
        if memcached and self.client is not None:
            threshold = self.config.memcached_resolve_min_compress_len
            if tail is not None:
                self.client.set(self._memcached_key(key, _READ), tail, min_compress_len=threshold)
            self.client.set(self._memcached_key(key), main, min_compress_len=threshold)


#: The suffix of the memcached key of an entry's tail.
_READ = ":read"
#: The length of the token that ties a tail to its main part.
_TOKEN_LEN = 8


def _encode_main(entry: dict[str, Any], token: bytes) -> bytes:
    body = {name: value for name, value in entry.items() if name != "read_files"}
    body["read_token"] = token
    data = marshal.dumps(body)
    return b"%s%d\n%s" % (_HEADER, len(data), data)


def encode_entry(entry: dict[str, Any]) -> tuple[bytes, bytes]:
    """``(main, tail)``: what an entry is stored as.

    ``main`` is a header line (the entry format, the interpreter, marshal's version and
    the length of what follows) and the marshalled entry without ``read_files``; ``tail``
    is a random token, also kept in ``main``, followed by the marshalled ``read_files``,
    which only ``resolve_cache_strict`` reads.  A hit of a large resolve thus decodes
    (and, from memcached, fetches and decompresses) less than half of the entry.
    """
    token = os.urandom(_TOKEN_LEN)
    return _encode_main(entry, token), token + marshal.dumps(entry["read_files"])


def decode_entry(data: bytes) -> tuple[dict[str, Any], bytes | None]:
    """The entry stored as ``data`` (without ``read_files``), and its tail if ``data``
    holds one (see :func:`encode_entry`).

    Raises:
        ValueError: ``data`` is not an entry of this format and interpreter, or damaged.
    """
    if not data.startswith(_HEADER):
        raise ValueError("not a resolve cache entry of this format")
    end = data.find(b"\n", len(_HEADER), len(_HEADER) + 12)
    try:
        if end < 0:
            raise ValueError("no header line")
        start = end + 1
        stop = start + int(data[len(_HEADER) : end])
        if stop > len(data):
            raise ValueError("truncated")
        entry = marshal.loads(memoryview(data)[start:stop])
    except (EOFError, TypeError, ValueError) as error:
        raise ValueError(f"damaged resolve cache entry: {error}") from None
    if type(entry) is not dict:
        raise ValueError("damaged resolve cache entry")
    return entry, data[stop:] or None


def load_read_files(entry: dict[str, Any], tail: bytes | None) -> list[Any] | None:
    """The ``read_files`` of ``entry`` from its ``tail``; None if there is no tail or it
    belongs to another version of the entry."""
    token = entry.get("read_token")
    if tail is None or type(token) is not bytes or not tail.startswith(token):
        return None
    try:
        packed = marshal.loads(memoryview(tail)[len(token) :])
    except (EOFError, TypeError, ValueError):
        return None
    return packed if type(packed) is list else None


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary sibling, then rename it into place; failures (read-only or
    full disk) are ignored: the cache is an optimisation."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    try:
        try:
            tmp.write_bytes(data)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


# -- shared memcached clients ------------------------------------------------------------


class _ClientPool:
    """Process-wide memcached clients, one per server list: connections are reused across
    resolves, and a forked child starts afresh."""

    def __init__(self) -> None:
        self._clients: dict[tuple[object, ...], Client] = {}
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def get(self, config: Config) -> Client:
        from pkg.api.memcache import make_client

        wanted = (tuple(config.memcached_uri), config.debug_memcache)
        with self._lock:
            if self._pid != os.getpid():
                self._clients.clear()
                self._pid = os.getpid()
            client = self._clients.get(wanted)
            if client is None:
                client = self._clients[wanted] = make_client(config)
            return client

    def close(self) -> None:
        """Close every connection (at exit: sockets are not left to the collector)."""
        with self._lock:
            for client in self._clients.values():
                client.close()


_POOL = _ClientPool()
atexit.register(_POOL.close)


def shared_client(config: Config) -> Client:
    """The process-wide client for ``config.memcached_uri``."""
    return _POOL.get(config)
