"""``pkg.memcache.Client`` against a real memcached on loopback."""

from __future__ import annotations

import socket
import threading
import time
import zlib
from typing import TYPE_CHECKING

import pytest

from pkg.errors import ConfigError
from pkg.memcache import FLAG_ZLIB, MAX_KEY_LENGTH, Client, MemcacheError, ServerAddress
from tests.memcached_server import free_port, raw_command

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.memcached_server import MemcachedServer


@pytest.fixture
def client(memcached: MemcachedServer) -> Iterator[Client]:
    with Client([memcached.uri]) as made:
        yield made


def _raw_get(server: MemcachedServer, wire: str) -> tuple[int, bytes] | None:
    answer = raw_command(server.port, f"get {wire}\r\n".encode(), end=b"END\r\n")
    if answer == b"END\r\n":
        return None
    head, _, rest = answer.partition(b"\r\n")
    _value, _key, flags, size = head.split()
    return int(flags), rest[: int(size)]


# -- data commands -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [b"hello", b"", b"line\r\nEND\r\nVALUE x 0 1\r\n", bytes(256)])
def test_set_then_get(client: Client, value: bytes) -> None:
    assert client.set("some key", value)
    assert client.get("some key") == value
    assert client.get("another key") is None


def test_set_replaces_and_delete_removes(client: Client) -> None:
    assert client.set("k", b"1")
    assert client.set("k", b"2")
    assert client.get("k") == b"2"
    assert client.delete("k") is True
    assert client.delete("k") is False
    assert client.get("k") is None


def test_exptime_in_the_past_expires_at_once(client: Client) -> None:
    assert client.set("k", b"v", exptime=-1)
    assert client.get("k") is None


def test_values_above_the_threshold_are_compressed(
    memcached: MemcachedServer, client: Client
) -> None:
    text = b"python-3.11 " * 100
    assert client.set("big", text, min_compress_len=100)
    flags, stored = _raw_get(memcached, client.wire_key("big")) or (None, b"")
    assert flags == FLAG_ZLIB
    assert zlib.decompress(stored) == text
    assert client.get("big") == text
    assert client.set("small", b"abc " * 10, min_compress_len=100)
    assert _raw_get(memcached, client.wire_key("small")) == (0, b"abc " * 10)


def test_the_client_threshold_applies_and_incompressible_values_stay_plain(
    memcached: MemcachedServer,
) -> None:
    noise = bytes(range(256))
    with Client([memcached.uri], min_compress_len=10) as client:
        assert client.set("noise", noise)
        assert client.set("text", b"a" * 64)
        assert _raw_get(memcached, client.wire_key("noise")) == (0, noise)
        assert (_raw_get(memcached, client.wire_key("text")) or (0, b""))[0] == FLAG_ZLIB
        assert client.get_multi(["noise", "text"]) == {"noise": noise, "text": b"a" * 64}


def test_items_of_other_clients_are_misses(memcached: MemcachedServer, client: Client) -> None:
    wire = client.wire_key("pickled")
    raw_command(memcached.port, f"set {wire} 1 0 3\r\nabc\r\n".encode())
    assert client.get("pickled") is None
    raw_command(memcached.port, f"set {wire} {FLAG_ZLIB} 0 3\r\nabc\r\n".encode())
    assert client.get("pickled") is None  # not zlib data


def test_get_multi(client: Client) -> None:
    keys = [f"key {i}" for i in range(250)]  # more than one batch
    for i, key in enumerate(keys[::2]):
        assert client.set(key, str(i).encode())
    found = client.get_multi(keys)
    assert found == {key: str(i).encode() for i, key in enumerate(keys[::2])}
    assert client.get_multi([]) == {}


def test_too_large_values_are_refused(client: Client) -> None:
    assert client.set("huge", bytes(2 << 20)) is False
    assert client.set("after", b"ok")  # the connection is still usable
    assert client.get("after") == b"ok"


def test_keys_are_spread_over_servers_stably(memcached: MemcachedServer) -> None:
    other = f"127.0.0.1:{memcached.port}"
    servers = [memcached.uri, f"localhost:{memcached.port}", other]
    with Client(servers) as first, Client(servers) as second:
        chosen = {first.server_for(f"k{i}") for i in range(60)}
        assert len(chosen) > 1
        assert all(first.server_for(f"k{i}") == second.server_for(f"k{i}") for i in range(60))
        for i in range(20):
            assert first.set(f"k{i}", b"x")
        assert len(second.get_multi([f"k{i}" for i in range(20)])) == 20


# -- keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize("readable", [False, True])
def test_wire_keys_are_valid_memcached_keys(readable: bool) -> None:
    client = Client([], readable_keys=readable)
    for key in ["a", "with spaces\tand\ncontrol", "é" * 300, "x" * 1000]:
        wire = client.wire_key(key)
        assert len(wire.encode()) <= MAX_KEY_LENGTH
        assert wire.isascii()
        assert not any(c.isspace() or ord(c) < 32 for c in wire)
        assert wire.startswith("pkg:")
    assert client.wire_key("a") != client.wire_key("b")
    assert Client([], namespace="other").wire_key("a").startswith("other:")


def test_readable_keys_show_the_key() -> None:
    assert "resolve:abc" in Client([], readable_keys=True).wire_key("resolve:abc")


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("localhost", ("localhost", 11211)),
        ("127.0.0.1:11311", ("127.0.0.1", 11311)),
        (" cache.example:1 ", ("cache.example", 1)),
        ("inet:host:2", ("host", 2)),
        ("[::1]:5", ("::1", 5)),
        ("[::1]", ("::1", 11211)),
        ("::1", ("::1", 11211)),
    ],
)
def test_server_addresses(uri: str, expected: tuple[str, int]) -> None:
    address = ServerAddress.parse(uri)
    assert (address.host, address.port) == expected
    assert ServerAddress.parse(str(address)) == address


@pytest.mark.parametrize("uri", ["", ":11211", "host:0", "host:99999", "host:x", "[::1", "a:b:c"])
def test_bad_server_addresses(uri: str) -> None:
    with pytest.raises(ConfigError, match=r"memcached_uri.*invalid memcached server"):
        Client([uri])


# -- administrative commands -----------------------------------------------------------------


def test_stats_and_reset(memcached: MemcachedServer, client: Client) -> None:
    client.set("k", b"v")
    client.get("k")
    client.get("missing")
    [result] = client.stats()
    assert result.ok
    assert result.server == memcached.uri
    assert result.value is not None
    assert (result.value["get_hits"], result.value["get_misses"]) == ("1", "1")
    assert result.value["cmd_set"] == "1"
    assert "version" in result.value
    assert [r.ok for r in client.reset_stats()] == [True]
    stats = client.stats()[0].value or {}
    assert (stats["get_hits"], stats["get_misses"]) == ("0", "0")
    settings = client.stats("settings")[0].value or {}
    assert settings["tcpport"] == str(memcached.port)
    assert client.version()[0].value == memcached.stats()["version"]


def test_flush_all(client: Client) -> None:
    client.set("k", b"v")
    assert [r.ok for r in client.flush_all()] == [True]
    assert client.get("k") is None


def test_a_bad_stats_argument_is_an_error_of_that_server(client: Client) -> None:
    [result] = client.stats("no-such-group")
    assert not result.ok
    assert result.error is not None
    assert "ERROR" in str(result.error)
    assert client.set("k", b"v")  # still in step with the server


# -- unreachable servers -------------------------------------------------------------------


def test_an_unreachable_server_is_a_miss() -> None:
    dead = f"127.0.0.1:{free_port()}"
    client = Client([dead], retry_after=60)
    start = time.perf_counter()
    assert client.get("k") is None
    assert client.set("k", b"v") is False
    assert client.delete("k") is False
    assert client.get_multi(["a", "b"]) == {}
    assert time.perf_counter() - start < 1
    assert isinstance(client.last_error, MemcacheError)
    assert str(client.last_error) == (
        f"memcached server {dead}: not responding (connection refused) (not retried yet)"
    )
    [result] = client.stats()
    assert not result.ok
    assert result.value is None
    assert result.error is not None
    assert result.error.server == dead


def test_one_server_down_leaves_the_others_working(memcached: MemcachedServer) -> None:
    dead = f"127.0.0.1:{free_port()}"
    with Client([memcached.uri, dead]) as client:
        results = client.stats()
        assert [r.ok for r in results] == [True, False]
        stored = [k for k in (f"k{i}" for i in range(20)) if client.set(k, b"v")]
        assert 0 < len(stored) < 20
        assert set(client.get_multi([f"k{i}" for i in range(20)])) == set(stored)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        yield f"127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for sock in accepted:
            sock.close()
        listener.close()


def test_a_silent_server_times_out(silent_server: str) -> None:
    client = Client([silent_server], timeout=0.1)
    start = time.perf_counter()
    assert client.get("k") is None
    assert time.perf_counter() - start < 1
    assert str(client.last_error).endswith("not responding (timed out)")


def test_no_servers() -> None:
    client = Client([])
    assert not client
    assert client.get("k") is None
    assert client.set("k", b"v") is False
    assert client.delete("k") is False
    assert client.stats() == []
    assert repr(client) == "Client([])"
