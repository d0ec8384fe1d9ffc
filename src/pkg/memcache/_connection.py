"""One socket to one memcached server: addresses, connecting, reading lines and blocks.

A :class:`Connection` connects on first use and keeps its socket open.  Any socket
error closes it and marks the server *down* for ``retry_after`` seconds, so that a
process talking to an unreachable server pays the connection timeout once, not on every
request.  Errors come out as :class:`MemcacheError`, one line naming the server.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from pkg.errors import ConfigError, PkgError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["DEFAULT_PORT", "Connection", "MemcacheError", "ServerAddress"]

#: memcached's standard port, used when a server is given without one.
DEFAULT_PORT = 11211

_T = TypeVar("_T")


class MemcacheError(PkgError):
    """A memcached server could not be reached, or did not answer as expected.

    Attributes:
        server: the server, as ``host:port``.
        detail: what went wrong, without the server.
    """

    def __init__(self, server: str, detail: str) -> None:
        self.server = server
        self.detail = detail
        super().__init__(f"memcached server {server}: {detail}")


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """Where one memcached server listens.

    >>> ServerAddress.parse("cache.example:11311")
    ServerAddress(host='cache.example', port=11311)
    >>> str(ServerAddress.parse("[::1]"))
    '[::1]:11211'
    """

    host: str
    port: int = DEFAULT_PORT

    @classmethod
    def parse(cls, uri: str) -> ServerAddress:
        """``host``, ``host:port``, ``[ipv6]`` or ``[ipv6]:port`` (an ``inet:`` prefix is
        allowed, as python-memcached allows it).

        Raises:
            ConfigError: not one of these forms, or a bad port.
        """
        text = uri.strip()
        text = text.removeprefix("inet:").removeprefix("inet6:")
        port_text = ""
        if text.startswith("["):
            host, bracket, rest = text[1:].partition("]")
            if not bracket or (rest and not rest.startswith(":")):
                raise _bad_uri(uri, "unclosed '[' or text after ']'")
            port_text = rest[1:]
        elif text.count(":") == 1:
            host, _, port_text = text.partition(":")
        elif ":" in text:
            host = text  # a bare IPv6 address
            try:
                ipaddress.IPv6Address(host)
            except ValueError:
                raise _bad_uri(uri, "too many ':'") from None
        else:
            host = text
        if not host or any(c.isspace() for c in host):
            raise _bad_uri(uri, "no host name")
        if not port_text:
            return cls(host)
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise _bad_uri(uri, f"invalid port {port_text!r}")
        return cls(host, int(port_text))

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _bad_uri(uri: str, reason: str) -> ConfigError:
    return ConfigError(
        f"invalid memcached server {uri!r} ({reason}); expected host:port",
        key_path="memcached_uri",
    )


class _ProtocolError(Exception):
    """The server sent something this client does not understand (the stream is lost)."""


class Connection:
    """A lazily opened, thread-safe connection to one server.

    Args:
        address: the server.
        timeout: seconds allowed for connecting and for each socket operation.
        retry_after: seconds during which a server that failed is not tried again.
    """

    def __init__(self, address: ServerAddress, *, timeout: float, retry_after: float) -> None:
        self.address = address
        self.timeout = timeout
        self.retry_after = retry_after
        self._sock: socket.socket | None = None
        self._pid = os.getpid()
        self._buffer = bytearray()
        self._down_until = 0.0
        self._down_reason = ""
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """``host:port``."""
        return str(self.address)

    def request(self, command: bytes, reader: Callable[[Connection], _T]) -> _T:
        """Send ``command`` and parse the answer with ``reader``, atomically.

        Raises:
            MemcacheError: the server is down (or was, less than ``retry_after`` ago),
                or it answered something unparseable.
        """
        with self._lock:
            try:
                sock = self._socket()
                sock.sendall(command)
                return reader(self)
            except OSError as error:
                self._fail(_describe(error))
                raise MemcacheError(self.name, self._down_reason) from error
            except _ProtocolError as error:
                self.close()
                raise MemcacheError(self.name, f"unexpected answer: {error}") from error

    def _socket(self) -> socket.socket:
        if self._pid != os.getpid():  # forked: the parent owns that socket
            self._sock = None
            self._buffer.clear()
            self._pid = os.getpid()
        if self._sock is not None:
            return self._sock
        if time.monotonic() < self._down_until:
            raise MemcacheError(self.name, f"{self._down_reason} (not retried yet)")
        sock = socket.create_connection((self.address.host, self.address.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self._buffer.clear()
        return sock

    def _fail(self, reason: str) -> None:
        self.close()
        self._down_reason = reason
        self._down_until = time.monotonic() + self.retry_after

    def close(self) -> None:
        """Close the socket (the next request reconnects)."""
        sock, self._sock = self._sock, None
        self._buffer.clear()
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()

    # -- reading (called by readers, under the lock) ----------------------------------------

    def _fill(self) -> None:
        assert self._sock is not None
        chunk = self._sock.recv(65536)
        if not chunk:
            raise ConnectionResetError("connection closed by the server")
        self._buffer += chunk

    def readline(self) -> bytes:
        """The next line, without its ``\\r\\n``."""
        while True:
            end = self._buffer.find(b"\r\n")
            if end >= 0:
                line = bytes(self._buffer[:end])
                del self._buffer[: end + 2]
                return line
            self._fill()

    def read_block(self, size: int) -> bytes:
        """The next ``size`` bytes and the ``\\r\\n`` that ends them."""
        while len(self._buffer) < size + 2:
            self._fill()
        if self._buffer[size : size + 2] != b"\r\n":
            raise _ProtocolError("a data block does not end with CRLF")
        data = bytes(self._buffer[:size])
        del self._buffer[: size + 2]
        return data


def protocol_error(line: bytes) -> _ProtocolError:
    """The error for an unexpected answer line."""
    return _ProtocolError(line.decode("ascii", "replace")[:200] or "an empty line")


def _describe(error: OSError) -> str:
    if isinstance(error, TimeoutError):
        return "not responding (timed out)"
    if isinstance(error, ConnectionRefusedError):
        return "not responding (connection refused)"
    if isinstance(error, socket.gaierror):
        return f"unknown host ({error.strerror or error})"
    return f"not responding ({error.strerror or error})"
