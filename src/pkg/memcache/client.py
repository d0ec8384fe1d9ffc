"""A small memcached client for the text protocol: bytes in, bytes out.

* Keys are any strings: each is hashed to a valid memcached key (``<namespace>:<sha1>``,
  at most 250 bytes, no spaces), see :meth:`Client.wire_key`.
* With several servers, a key always goes to the same one: the CRC-32 of its wire key
  picks it (so every process spreads keys the same way).
* Values are bytes.  Those longer than ``min_compress_len`` are stored zlib-compressed
  when that makes them smaller, with :data:`FLAG_ZLIB` set in the item's flags.
* Data commands (:meth:`~Client.get`, :meth:`~Client.get_multi`, :meth:`~Client.set`,
  :meth:`~Client.delete`) never raise for an unreachable server: a cache that is down is
  a cache miss.  The failure is kept in :attr:`Client.last_error`.
* Administrative commands (:meth:`~Client.stats`, :meth:`~Client.flush_all`,
  :meth:`~Client.reset_stats`) answer per server, failures included, so that a caller can
  say which server did not respond.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from pkg.memcache._connection import Connection, MemcacheError, ServerAddress, protocol_error

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from types import TracebackType

__all__ = ["FLAG_ZLIB", "MAX_KEY_LENGTH", "Client", "ServerResult"]

#: Item flag: the value is zlib-compressed.
FLAG_ZLIB = 1 << 3
#: memcached's limit on key length, in bytes.
MAX_KEY_LENGTH = 250
#: Keys sent in one ``get`` command by :meth:`Client.get_multi`.
_BATCH = 100
_UNSAFE = re.compile(r"[^0-9A-Za-z._:/@+=-]+")

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class ServerResult(Generic[_T]):
    """What one server answered to an administrative command.

    Attributes:
        server: ``host:port``.
        value: the answer (None when ``error`` is set).
        error: why the server did not answer, or None.
    """

    server: str
    value: _T | None = None
    error: MemcacheError | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        """True if the server answered."""
        return self.error is None


class Client:
    """A connection to one or more memcached servers.

    Args:
        servers: ``host:port`` strings (see :meth:`ServerAddress.parse`); none makes a
            client that misses every ``get`` and stores nothing (it is falsy).
        timeout: seconds allowed to connect and for each read or write; keep it short, a
            cache must never be slower than the work it saves.
        min_compress_len: compress values longer than this many bytes (0: never).
        namespace: the prefix of every wire key, so that other users of the same
            servers never see the same keys.
        readable_keys: put the (sanitised, truncated) key text in the wire key after
            its hash, so that ``memcached -vv`` shows what is stored (Rez's
            ``debug_memcache``).
        retry_after: seconds during which a server that failed is not tried again.

    Raises:
        ConfigError: a server address is malformed.
    """

    def __init__(
        self,
        servers: Iterable[str],
        *,
        timeout: float = 0.5,
        min_compress_len: int = 0,
        namespace: str = "pkg",
        readable_keys: bool = False,
        retry_after: float = 30.0,
    ) -> None:
        self.addresses = tuple(ServerAddress.parse(s) for s in servers)
        self.min_compress_len = min_compress_len
        self.namespace = namespace
        self.readable_keys = readable_keys
        self.last_error: MemcacheError | None = None
        self._connections = tuple(
            Connection(a, timeout=timeout, retry_after=retry_after) for a in self.addresses
        )

    def __bool__(self) -> bool:
        return bool(self._connections)

    def __repr__(self) -> str:
        return f"Client({[str(a) for a in self.addresses]!r})"

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every connection (later commands reconnect)."""
        for connection in self._connections:
            connection.close()

    @property
    def servers(self) -> tuple[str, ...]:
        """The servers, as ``host:port``."""
        return tuple(str(a) for a in self.addresses)

    # -- keys --------------------------------------------------------------------------------

    def wire_key(self, key: str) -> str:
        """The memcached key that stands for ``key``.

        >>> Client([]).wire_key("resolve request")
        'pkg:3e92c1ae8719f3cf381650da3a1ab7734ba0ee80'
        """
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
        if not self.readable_keys:
            return f"{self.namespace}:{digest}"
        text = _UNSAFE.sub("_", key)
        return f"{self.namespace}:{digest[:16]}:{text}"[:MAX_KEY_LENGTH]

    def server_for(self, key: str) -> str:
        """The server (``host:port``) that holds ``key``."""
        return self._connection(self.wire_key(key)).name

    def _connection(self, wire: str) -> Connection:
        connections = self._connections
        if len(connections) == 1:
            return connections[0]
        return connections[zlib.crc32(wire.encode("ascii")) % len(connections)]

    # -- data commands ---------------------------------------------------------------------

    def get(self, key: str) -> bytes | None:
        """The value stored under ``key``, or None (absent, or server unreachable)."""
        return self.get_multi([key]).get(key)

    def get_multi(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The values found for ``keys`` (absent keys and unreachable servers are left
        out), one request per server."""
        if not self._connections:
            return {}
        by_server: dict[Connection, dict[str, str]] = {}
        for key in keys:
            wire = self.wire_key(key)
            by_server.setdefault(self._connection(wire), {})[wire] = key
        found: dict[str, bytes] = {}
        for connection, wanted in by_server.items():
            wires = list(wanted)
            for start in range(0, len(wires), _BATCH):
                batch = wires[start : start + _BATCH]
                command = ("get " + " ".join(batch) + "\r\n").encode("ascii")
                try:
                    items = connection.request(command, _read_values)
                except MemcacheError as error:
                    self.last_error = error
                    break
                for wire, (flags, data) in items.items():
                    asked = wanted.get(wire)
                    value = _decode(flags, data)
                    if asked is not None and value is not None:
                        found[asked] = value
        return found

    def set(
        self, key: str, value: bytes, *, exptime: int = 0, min_compress_len: int | None = None
    ) -> bool:
        """Store ``value`` under ``key``; False if the server refused it (too large) or
        is unreachable.

        Args:
            exptime: seconds until it expires (0: never; above 30 days, an epoch time).
            min_compress_len: overrides the client's threshold for this value.
        """
        if not self._connections:
            return False
        threshold = self.min_compress_len if min_compress_len is None else min_compress_len
        flags = 0
        if threshold and len(value) > threshold:
            packed = zlib.compress(value)
            if len(packed) < len(value):
                value, flags = packed, FLAG_ZLIB
        wire = self.wire_key(key)
        command = b"%s %d %d %d\r\n%s\r\n" % (
            f"set {wire}".encode("ascii"),
            flags,
            int(exptime),
            len(value),
            value,
        )
        try:
            reply = self._connection(wire).request(command, _read_line)
        except MemcacheError as error:
            self.last_error = error
            return False
        return reply == b"STORED"

    def delete(self, key: str) -> bool:
        """Remove ``key``; True if it was there."""
        if not self._connections:
            return False
        wire = self.wire_key(key)
        try:
            reply = self._connection(wire).request(f"delete {wire}\r\n".encode("ascii"), _read_line)
        except MemcacheError as error:
            self.last_error = error
            return False
        return reply == b"DELETED"

    # -- administrative commands -------------------------------------------------------------

    def stats(self, argument: str = "") -> list[ServerResult[dict[str, str]]]:
        """``stats [argument]`` of every server: ``{name: value}`` as the server wrote
        them (``argument`` is e.g. ``settings``, ``items``, ``slabs``)."""
        command = f"stats {argument}".strip() + "\r\n"
        return self._each(command.encode("ascii"), _read_stats)

    def reset_stats(self) -> list[ServerResult[None]]:
        """``stats reset`` on every server."""
        return self._each(b"stats reset\r\n", _expect(b"RESET"))

    def flush_all(self) -> list[ServerResult[None]]:
        """``flush_all`` on every server: every item, of every user, becomes invalid."""
        return self._each(b"flush_all\r\n", _expect(b"OK"))

    def version(self) -> list[ServerResult[str]]:
        """The version of every server."""
        return self._each(b"version\r\n", _read_version)

    def _each(self, command: bytes, reader: Callable[[Connection], _T]) -> list[ServerResult[_T]]:
        """One result per server, in server order."""
        results: list[ServerResult[_T]] = []
        for connection in self._connections:
            try:
                results.append(ServerResult(connection.name, connection.request(command, reader)))
            except MemcacheError as error:
                self.last_error = error
                results.append(ServerResult(connection.name, error=error))
        return results


# -- answers -------------------------------------------------------------------------------


def _read_line(connection: Connection) -> bytes:
    return connection.readline()


def _read_values(connection: Connection) -> dict[str, tuple[int, bytes]]:
    items: dict[str, tuple[int, bytes]] = {}
    while True:
        line = connection.readline()
        if line == b"END":
            return items
        parts = line.split()
        if len(parts) < 4 or parts[0] != b"VALUE" or not parts[3].isdigit():
            raise protocol_error(line)
        data = connection.read_block(int(parts[3]))
        items[parts[1].decode("ascii", "replace")] = (int(parts[2]), data)


def _decode(flags: int, data: bytes) -> bytes | None:
    if flags == 0:
        return data
    if flags == FLAG_ZLIB:
        try:
            return zlib.decompress(data)
        except zlib.error:
            return None
    return None  # written by another kind of client: not ours to read


def _read_stats(connection: Connection) -> dict[str, str]:
    stats: dict[str, str] = {}
    while True:
        line = connection.readline()
        if line == b"END":
            return stats
        parts = line.decode("utf-8", "replace").split(" ", 2)
        if parts[0] != "STAT" or len(parts) < 2:
            raise _unexpected(connection, line)
        stats[parts[1]] = parts[2] if len(parts) > 2 else ""


def _expect(word: bytes) -> Callable[[Connection], None]:
    def read(connection: Connection) -> None:
        line = connection.readline()
        if line != word:
            raise _unexpected(connection, line)

    return read


def _read_version(connection: Connection) -> str:
    line = connection.readline()
    if not line.startswith(b"VERSION "):
        raise _unexpected(connection, line)
    return line[8:].decode("ascii", "replace")


def _unexpected(connection: Connection, line: bytes) -> Exception:
    """An error line (the stream is still in step), else a protocol error."""
    text = line.decode("utf-8", "replace")
    if text.startswith(("ERROR", "CLIENT_ERROR", "SERVER_ERROR")):
        return MemcacheError(connection.name, text)
    return protocol_error(line)
