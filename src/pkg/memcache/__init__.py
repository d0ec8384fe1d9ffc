"""A small, typed memcached client (text protocol over sockets; no other dependency).

>>> from pkg.memcache import Client
>>> client = Client([])  # no server: every get misses, nothing is stored
>>> bool(client), client.get("key"), client.set("key", b"value")
(False, None, False)

pkg uses it for the resolve cache (``memcached_uri``) and ``pkg memcache``.  See
``docs/caching.md``.
"""

from __future__ import annotations

from pkg.memcache._connection import DEFAULT_PORT, MemcacheError, ServerAddress
from pkg.memcache.client import FLAG_ZLIB, MAX_KEY_LENGTH, Client, ServerResult

__all__ = [
    "DEFAULT_PORT",
    "FLAG_ZLIB",
    "MAX_KEY_LENGTH",
    "Client",
    "MemcacheError",
    "ServerAddress",
    "ServerResult",
]


def __dir__() -> list[str]:
    return sorted(__all__)
