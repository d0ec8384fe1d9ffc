"""One package cache, two tools: Rez 3.4.0 lists and uses a cache pkg wrote and vice
versa, ``rez-env`` and ``pkg env`` give the same environment over it, and Rez sees pkg's
copies in progress and stalled copies as its own (skipped without rez).

Rez's ``rez-env`` only *reads* the cache here: it fills it only from a production
install, which a pip-installed rez is not; both tools fill it with ``pkg-cache -a``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pkg.api.pkg_cache import variant_from_uri
from pkg.config import load_config
from pkg.package_cache import VariantStatus, add_variant, handle_of, open_cache
from tests.package_cache._support import Setup, make_setup

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

BIN = Path(sys.executable).parent

#: Variables that name the tool or the run, or that the shell sets by itself.
IGNORED = frozenset(
    {
        "REZ_RXT_FILE",
        "REZ_CONTEXT_FILE",
        "REZ_USED",
        "REZ_USED_VERSION",
        "REZ_USED_TIMESTAMP",
        "REZ_SHELL_INIT_TIMESTAMP",
        "_",
        "SHLVL",
        "PWD",
        "OLDPWD",
        "PS1",
    }
)

COLUMNS = ["-c", "status", "package", "variant_uri", "orig_path", "cache_path"]


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    if not (BIN / "rez-pkg-cache").exists():
        pytest.skip("rez-pkg-cache is not installed")
    found = make_setup(tmp_path, monkeypatch)
    for name in ("PACKAGES_PATH", "CACHE_PACKAGES_PATH", "PACKAGE_CACHE_SAME_DEVICE", "TMPDIR"):
        monkeypatch.setenv(f"REZ_{name}", os.environ[f"PKG_{name}"])
    return found


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [str(BIN / "pkg"), "pkg-cache"] if tool == "pkg" else [str(BIN / "rez-pkg-cache")]
    done = subprocess.run([*argv, *args], capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, (tool, done.stderr)
    return done


def _environment(tool: str, *request: str) -> dict[str, str]:
    argv = [str(BIN / "pkg"), "env"] if tool == "pkg" else [str(BIN / "rez-env")]
    done = subprocess.run(
        [*argv, "--ni", *request, "--shell", "bash", "--norc", "--", "env", "-0"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    pairs = (item.split("=", 1) for item in done.stdout.decode().split("\0") if item)
    return {key: value for key, value in pairs if key not in IGNORED}


@pytest.mark.parametrize("writer", ["pkg", "rez"])
def test_one_cache_for_both_tools(setup: Setup, writer: str) -> None:
    _run(writer, "-a", setup.uri("foo", "1.0", "0"), setup.uri("bar", "2.0"))
    listings = {tool: _run(tool, *COLUMNS).stdout for tool in ("pkg", "rez")}
    assert listings["pkg"] == listings["rez"]
    assert listings["pkg"].count("cached") == 2
    # everything is cached already: pkg env copies nothing more
    ours = _environment("pkg", "foo")
    theirs = _environment("rez", "foo")
    assert ours == theirs
    assert ours["REZ_FOO_ROOT"].startswith(str(setup.cache))
    assert ours["FOO_ROOT_SEEN"] == ours["REZ_FOO_ROOT"]
    assert ours["REZ_FOO_ORIG_ROOT"] == str(setup.repo / "foo" / "1.0" / "bar")
    assert ours["REZ_BAR_ORIG_ROOT"] == str(setup.repo / "bar" / "2.0")


def test_rez_never_uses_a_copy_pkg_has_not_finished(setup: Setup) -> None:
    config = load_config()
    cache = open_cache(config)
    foo = variant_from_uri(setup.uri("foo", "1.0", "0"), config)
    assert foo is not None
    started, release = threading.Event(), threading.Event()
    results: list[tuple[VariantStatus, str]] = []

    def slow_copy(source: str, dest: str) -> None:
        import shutil

        started.set()
        assert release.wait(60)
        shutil.copytree(source, dest)

    def add() -> None:
        results.append(add_variant(cache, foo, config, copy=slow_copy))

    worker = threading.Thread(target=add)
    worker.start()
    try:
        assert started.wait(30)
        assert _run("rez", "-c", "status", "package").stdout == "copying  foo-1.0\n"
        environ = _environment("rez", "foo")
        assert environ["REZ_FOO_ROOT"] == str(setup.repo / "foo" / "1.0" / "bar")
        assert "REZ_FOO_ORIG_ROOT" not in environ
    finally:
        release.set()
        worker.join(60)
    ((status, root),) = results
    assert status is VariantStatus.CREATED
    assert _environment("rez", "foo")["REZ_FOO_ROOT"] == root


def test_rez_cleans_a_stalled_pkg_copy(setup: Setup) -> None:
    config = load_config()
    cache = open_cache(config)
    bar = variant_from_uri(setup.uri("bar", "2.0"), config)
    assert bar is not None

    def failing_copy(source: str, dest: str) -> None:
        raise PermissionError(13, "denied", source)

    with pytest.raises(PermissionError):
        add_variant(cache, bar, config, copy=failing_copy)
    _status, root = cache.status(handle_of(bar))
    old = time.time() - 60
    os.utime(os.path.join(os.path.dirname(root), ".copying-a"), (old, old))
    assert _run("rez", "-c", "status", "package").stdout == "stalled  bar-2.0\n"
    assert _run("pkg", "-c", "status", "package").stdout == "stalled  bar-2.0\n"
    _run("rez", "--clean")
    assert not (setup.cache / "bar").exists()
    assert cache.status(handle_of(bar))[0] is VariantStatus.NOT_FOUND
