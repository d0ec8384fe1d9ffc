"""``pkg memcache`` against ``rez-memcache`` on the same memcached server.

rez runs as a subprocess (``REZ_MEMCACHED_URI``); stdout and the exit status are compared
(rez's stderr carries a pip-install warning).  Deliberate differences, checked here rather
than skipped: pkg names a server ``host:port`` where Rez adds python-memcached's weight
(``host:port (1)``), and an unreachable server is an error naming it (Rez prints
"memcached servers are not responding." for the summary and claims success for
``--flush``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pkg.cli import main
from tests.memcached_server import free_port

if TYPE_CHECKING:
    from tests.memcached_server import MemcachedServer

pytest.importorskip("rez")
pytestmark = pytest.mark.parity


def _rez(uri: str, *args: str) -> tuple[int, str]:
    script = shutil.which("rez-memcache", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip(f"rez-memcache is not installed next to {sys.executable}")
    env = dict(os.environ, REZ_MEMCACHED_URI=uri)
    done = subprocess.run(
        [script, *args], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    return done.returncode, done.stdout


def _pkg(
    uri: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str]:
    monkeypatch.setenv("PKG_MEMCACHED_URI", uri)
    code = main(["memcache", *args])
    return code, capsys.readouterr().out


def _stat_names(text: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^    ([a-z_0-9]+): ", text, re.MULTILINE)}


def test_stats_have_the_same_fields(
    memcached: MemcachedServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rez_code, rez_out = _rez(memcached.uri, "--stats")
    pkg_code, pkg_out = _pkg(memcached.uri, capsys, monkeypatch, "--stats")
    assert rez_code == pkg_code == 0
    assert rez_out.splitlines()[0] == f"- - {memcached.uri} (1)"
    assert pkg_out.splitlines()[0] == f"- - {memcached.uri}"
    assert _stat_names(pkg_out) == _stat_names(rez_out)
    assert len(_stat_names(pkg_out)) > 50
    for fixed in ("limit_maxbytes", "pointer_size", "threads", "version"):
        pattern = re.compile(rf"^    {fixed}: .*$", re.MULTILINE)
        assert pattern.findall(pkg_out) == pattern.findall(rez_out)


def test_summary_is_the_same(
    memcached: MemcachedServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rez_code, rez_out = _rez(memcached.uri)
    pkg_code, pkg_out = _pkg(memcached.uri, capsys, monkeypatch)
    assert rez_code == pkg_code == 0
    rez_lines, pkg_lines = rez_out.splitlines(), pkg_out.splitlines()
    # Column widths follow the cells (the uptime may take more room on one side).
    assert [x.split() for x in pkg_lines[:2]] == [x.split() for x in rez_lines[:2]]
    rez_row = re.split(r"\s{2,}", rez_lines[2])
    pkg_row = re.split(r"\s{2,}", pkg_lines[2])
    assert pkg_row[0] == rez_row[0] == memcached.uri
    assert pkg_row[2:] == rez_row[2:]  # uptime may tick between the two
    if pkg_row[1] == rez_row[1]:
        assert pkg_out == rez_out


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("--flush", "memcached servers are flushed.\n"),
        ("--reset-stats", "memcached servers are stat reset.\n"),
    ],
)
def test_flush_and_reset_say_the_same(
    memcached: MemcachedServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    flag: str,
    message: str,
) -> None:
    assert _rez(memcached.uri, flag) == (0, message)
    assert _pkg(memcached.uri, capsys, monkeypatch, flag) == (0, message)


def test_an_unreachable_server_fails_both(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = f"127.0.0.1:{free_port()}"
    assert _rez(dead) == (1, "")
    assert _pkg(dead, capsys, monkeypatch) == (1, "")
    assert _rez(dead, "--flush") == (0, "memcached servers are flushed.\n")  # Rez's claim
    assert _pkg(dead, capsys, monkeypatch, "--flush") == (1, "")
