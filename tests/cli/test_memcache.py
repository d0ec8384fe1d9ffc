"""``pkg memcache``: the summary table, --stats, --flush, --reset-stats, --poll, --warm."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from tests.memcached_server import free_port

from pkg.api import memcache as api
from pkg.cli import main
from pkg.config import load_config
from pkg.memcache import Client

if TYPE_CHECKING:
    from pathlib import Path

    from tests.memcached_server import MemcachedServer


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["memcache", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def server(memcached: MemcachedServer, monkeypatch: pytest.MonkeyPatch) -> MemcachedServer:
    monkeypatch.setenv("PKG_MEMCACHED_URI", memcached.uri)
    return memcached


def test_summary_table(server: MemcachedServer, capsys: pytest.CaptureFixture[str]) -> None:
    with Client([server.uri]) as client:
        client.set("k", b"v" * 1000)
        client.get("k")
        client.get("k")
        client.get("nothing")
    code, out, err = _run(capsys)
    assert (code, err) == (0, "")
    header, dashes, row = out.splitlines()
    assert header.split("  ")[0] == "CACHE SERVER"
    assert re.split(r"\s{2,}", header) == [
        "CACHE SERVER",
        "UPTIME",
        "HITS",
        "MISSES",
        "HIT RATIO",
        "MEMORY",
        "USED",
    ]
    assert dashes.split() == [len(title) * "-" for title in re.split(r"\s{2,}", header)]
    cells = re.split(r"\s{2,}", row)
    assert cells[0] == server.uri
    assert re.fullmatch(r"\d+(\.\d)? (seconds?|minutes?)", cells[1])
    assert cells[2:6] == ["2", "1", "66%", "64 Mb"]
    assert re.fullmatch(r"\d+(\.\d)? (bytes|Kb) \(0%\)", cells[6])
    assert row.index(cells[1]) == header.index("UPTIME")


def test_stats_are_yaml(server: MemcachedServer, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "--stats")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"- - {server.uri}"
    assert lines[1].startswith("  - accepting_conns: '1'")
    assert f"    tcpport: '{server.port}'" not in out  # plain stats, not settings
    assert "    curr_connections: " in out
    assert "    limit_maxbytes: '67108864'" in out


def test_flush(server: MemcachedServer, capsys: pytest.CaptureFixture[str]) -> None:
    with Client([server.uri]) as client:
        client.set("k", b"v")
        assert _run(capsys, "--flush") == (0, "memcached servers are flushed.\n", "")
        assert client.get("k") is None
    assert server.stats()["cmd_set"] == "0"  # statistics reset too, as Rez does


def test_reset_stats(server: MemcachedServer, capsys: pytest.CaptureFixture[str]) -> None:
    with Client([server.uri]) as client:
        client.get("k")
    assert server.stats()["get_misses"] == "1"
    assert _run(capsys, "--reset-stats") == (0, "memcached servers are stat reset.\n", "")
    assert server.stats()["get_misses"] == "0"


def test_not_enabled(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys)
    assert (code, out) == (1, "")
    assert err == "pkg: error: memcaching is not enabled (memcached_uri is empty)\n"


@pytest.mark.parametrize("args", [[], ["--stats"], ["--flush"], ["--reset-stats"]])
def test_unreachable_server(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    dead = f"127.0.0.1:{free_port()}"
    monkeypatch.setenv("PKG_MEMCACHED_URI", dead)
    code, out, err = _run(capsys, *args)
    assert (code, out) == (1, "")
    assert err == f"pkg: error: memcached server {dead}: not responding (connection refused)\n"


def test_one_server_down(
    server: MemcachedServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = f"127.0.0.1:{free_port()}"
    monkeypatch.setenv("PKG_MEMCACHED_URI", f"{server.uri} {dead}")
    code, out, err = _run(capsys)
    assert code == 1
    assert out.splitlines()[2].startswith(server.uri)
    assert err == f"warning: memcached server {dead}: not responding (connection refused)\n"
    code, out, err = _run(capsys, "--flush")
    assert (code, out) == (1, "")
    assert dead in err


def test_bad_uri(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PKG_MEMCACHED_URI", "host:port")
    code, _out, err = _run(capsys)
    assert code == 1
    assert "invalid memcached server 'host:port' (invalid port 'port')" in err


def test_poll(
    server: MemcachedServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr("time.sleep", sleep)
    code, out, _err = _run(capsys, "--poll", "--interval", "0.25")
    assert code == 130
    assert sleeps == [0.25, 0.25, 0.25]
    header, *rows = out.splitlines()
    assert header.split() == ["SERVER", "CONNS", "GET/s", "SET/s", "TEST_GET", "TEST_SET"]
    assert len(rows) == 2
    assert all(row.split()[0] == server.uri for row in rows)


def test_poll_api(server: MemcachedServer) -> None:
    config = load_config(overrides={"memcached_uri": [server.uri]})
    intervals = list(api.poll(config, 0.01, count=2))
    assert len(intervals) == 2
    [row] = intervals[1]
    assert row.server == server.uri
    assert row.connections >= 1
    assert row.gets_per_second > 0  # the previous interval's test get
    assert row.sets_per_second > 0
    assert 0 <= row.test_get < 1
    assert 0 <= row.test_set < 1


def test_warm(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PKG_PACKAGES_PATH", str(repo))
    code, out, _err = _run(capsys, "--warm", "-v")
    assert code == 0
    lines = out.splitlines()
    assert "warming: foo-2.0" in lines
    assert "warming: tool" in lines
    assert lines[-1] == f"package index is warmed ({len(lines) - 1} packages)."
    assert _run(capsys, "--warm")[1] == lines[-1] + "\n"


def test_help_lists_rez_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, "--help")
    assert code == 0
    for flag in ("--flush", "--stats", "--reset-stats", "--poll", "--interval", "--warm", "-v"):
        assert flag in out


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 seconds"),
        (1, "1 second"),
        (59, "59 seconds"),
        (60, "1 minute"),
        (90, "1.5 minutes"),
        (3600 * 5, "5 hours"),
        (86400 * 8, "1.1 weeks"),
        (86400 * 365, "1 year"),
        (86400 * 400, "1.1 years"),
    ],
)
def test_readable_duration(seconds: int, text: str) -> None:
    assert api.readable_duration(seconds) == text


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1000, "1000 bytes"),
        (1024, "1 Kb"),
        (1536, "1.5 Kb"),
        (64 << 20, "64 Mb"),
        (3 << 30, "3 Gb"),
        (-2048, "-2 Kb"),
    ],
)
def test_readable_size(size: int, text: str) -> None:
    assert api.readable_size(size) == text
