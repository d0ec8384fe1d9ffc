"""``pkg pkg-cache`` and the package cache in ``pkg env``: listing, adding, removing,
cleaning, logs, and contexts that run cached variants (``REZ_<PKG>_ROOT`` and
``REZ_<PKG>_ORIG_ROOT``) only once their copy is complete."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
from tests.package_cache._support import Setup, make_setup

from pkg.cli import main
from pkg.config import load_config
from pkg.package_cache import VariantStatus, handle_of, open_cache
from pkg.package_cache._layout import hash_dirname

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.packages import Variant


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    return make_setup(tmp_path, monkeypatch)


def _pkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pkg", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _env(*args: str) -> dict[str, str]:
    """The environment of ``pkg env ARGS -- env -0`` (bash, no rc files)."""
    done = subprocess.run(
        [sys.executable, "-m", "pkg", "env", *args, "--shell", "bash", "--norc", "--", "env", "-0"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    pairs = (item.split("=", 1) for item in done.stdout.decode().split("\0") if item)
    return dict(pairs)


def _foo(setup: Setup) -> Variant:
    from pkg.api.pkg_cache import variant_from_uri

    variant = variant_from_uri(setup.uri("foo", "1.0", "0"), load_config())
    assert variant is not None
    return variant


def _wait_until_cached(setup: Setup, variant: Variant) -> str:
    """The cached root of ``variant`` once the background copier has made it."""
    cache = open_cache(load_config())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, root = cache.status(handle_of(variant))
        if status is VariantStatus.FOUND:
            return root
        time.sleep(0.05)
    raise AssertionError(f"{variant} was not cached: {os.listdir(setup.cache)}")


def test_add_list_and_remove(setup: Setup, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["pkg-cache"]) == 0
    assert capfd.readouterr() == ("", "No cached packages.\n")
    foo, bar = setup.uri("foo", "1.0", "0"), setup.uri("bar", "2.0")
    assert main(["pkg-cache", "-a", foo, bar]) == 0
    err = capfd.readouterr().err
    foo_root = str(setup.cache / "foo" / "1.0" / hash_dirname(handle_of(_foo(setup))) / "a")
    assert f"Adding variant '{foo}' to package cache at {setup.cache}:" in err
    assert f"Successfully cached to: {foo_root}" in err
    assert main(["pkg-cache", "-a", foo]) == 0
    assert f"Already exists: {foo_root}" in capfd.readouterr().err
    assert main(["pkg-cache"]) == 0
    lines = capfd.readouterr().out.splitlines()
    assert [line.split() for line in lines] == [
        ["cached", "bar-2.0", bar, lines[0].split()[-1]],
        ["cached", "foo-1.0", foo, foo_root],
    ]
    assert lines[0].index(bar) == lines[1].index(foo)  # aligned columns
    # as in Rez, -c takes every value that follows: DIR goes first
    assert main(["pkg-cache", str(setup.cache), "-c", "package", "orig_path"]) == 0
    assert capfd.readouterr().out.split() == [
        "bar-2.0",
        str(setup.repo / "bar" / "2.0"),
        "foo-1.0",
        str(setup.repo / "foo" / "1.0" / "bar"),
    ]
    assert main(["pkg-cache", "-r", bar]) == 0
    assert "Variant successfully removed" in capfd.readouterr().err
    assert main(["pkg-cache", "-r", bar]) == 0
    assert "No such variant found in cache" in capfd.readouterr().err
    assert main(["pkg-cache", "-c", "status", "package"]) == 0
    assert capfd.readouterr().out == "cached  foo-1.0\n"


def test_bad_input_is_one_line(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    missing = str(setup.repo / "nope" / "1.0" / "package.py[]")
    assert main(["pkg-cache", "-a", missing]) == 1
    err = capfd.readouterr().err
    assert f"No such variant: {missing}" in err
    assert "Traceback" not in err
    assert main(["pkg-cache", "-a", setup.uri("nocache", "1.0")]) == 1
    assert "Not cached - package is not cachable" in capfd.readouterr().err
    assert main(["pkg-cache", "-f", "-a", setup.uri("nocache", "1.0")]) == 0
    assert "Successfully cached" in capfd.readouterr().err
    assert main(["pkg-cache", "--clean", "--logs"]) == 2
    assert "--logs is not allowed with --clean" in capfd.readouterr().err
    assert main(["pkg-cache", str(setup.repo / "no-such-dir")]) == 1
    assert "not a directory" in capfd.readouterr().err
    monkeypatch.delenv("PKG_CACHE_PACKAGES_PATH")
    assert main(["pkg-cache"]) == 2
    assert "DIR must be specified" in capfd.readouterr().err


def test_clean_by_age_and_logs(setup: Setup, capfd: pytest.CaptureFixture[str]) -> None:
    foo, bar = setup.uri("foo", "1.0", "0"), setup.uri("bar", "2.0")
    assert main(["pkg-cache", "-a", foo, bar]) == 0
    capfd.readouterr()
    (bar_json,) = (setup.cache / "bar" / "2.0").glob("*/a.json")
    old = time.time() - 31 * 86400
    os.utime(bar_json, (old, old))
    assert main(["pkg-cache", "--clean"]) == 0
    err = capfd.readouterr().err
    assert "Removed unused variant bar-2.0[] from cache" in err
    assert not (setup.cache / "bar").exists()
    assert (setup.cache / "foo").is_dir()
    assert os.listdir(setup.cache / ".sys" / "to_delete") == []
    assert main(["pkg-cache", "--logs"]) == 0
    logged = capfd.readouterr().out
    assert "Removed unused variant bar-2.0[] from cache" in logged
    assert "Deleted " in logged


def test_env_sync_runs_cached_variants(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    environ = _env("foo", "--pkg-cache-mode", "sync")
    foo_root = _wait_until_cached(setup, _foo(setup))  # cached already: no wait
    orig = str(setup.repo / "foo" / "1.0" / "bar")
    assert environ["REZ_FOO_ROOT"] == foo_root
    assert environ["REZ_FOO_ORIG_ROOT"] == orig
    assert environ["FOO_ROOT_SEEN"] == foo_root  # {root} in the package's commands
    assert environ["REZ_BAR_ORIG_ROOT"] == str(setup.repo / "bar" / "2.0")
    assert environ["REZ_BAR_ROOT"].startswith(str(setup.cache))
    assert os.listdir(setup.cache / ".sys" / "pending") == []
    # the context says not to use the cache
    environ = _env("foo", "--no-pkg-cache")
    assert environ["REZ_FOO_ROOT"] == orig
    assert "REZ_FOO_ORIG_ROOT" not in environ
    # or the setting does
    monkeypatch.setenv("PKG_READ_PACKAGE_CACHE", "0")
    environ = _env("foo")
    assert environ["REZ_FOO_ROOT"] == orig
    assert "REZ_FOO_ORIG_ROOT" not in environ


def test_env_async_copies_in_the_background(setup: Setup) -> None:
    environ = _env("foo")
    foo_root = _wait_until_cached(setup, _foo(setup))
    assert environ["REZ_FOO_ROOT"] in (foo_root, str(setup.repo / "foo" / "1.0" / "bar"))
    environ = _env("foo")
    assert environ["REZ_FOO_ROOT"] == foo_root
    log = "".join(p.read_text() for p in (setup.cache / ".sys" / "log").iterdir())
    assert "Cached variant to" in log


def test_env_no_pkg_cache_copies_nothing(setup: Setup) -> None:
    _env("foo", "--no-pkg-cache", "--pkg-cache-mode", "sync")
    assert not (setup.cache / "foo").exists()
    assert not (setup.cache / "bar").exists()


def test_env_never_runs_a_variant_being_copied(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A copy in progress, marked as Rez marks it (``.copying-a`` beside ``a.json``): the
    context runs the original until the marker is gone."""
    foo = _foo(setup)
    handle = handle_of(foo)
    hash_dir = setup.cache / "foo" / "1.0" / hash_dirname(handle)
    (hash_dir / "a").mkdir(parents=True)
    (hash_dir / "a.json").write_text(json.dumps({"handle": handle}))
    (hash_dir / ".copying-a").touch()
    monkeypatch.setenv("PKG_WRITE_PACKAGE_CACHE", "0")  # only the "other process" copies
    environ = _env("foo")
    assert environ["REZ_FOO_ROOT"] == str(setup.repo / "foo" / "1.0" / "bar")
    assert "REZ_FOO_ORIG_ROOT" not in environ
    assert main(["pkg-cache", "-c", "status", "package"]) == 0
    assert capfd.readouterr().out.split()[0] in ("copying", "stalled")
    (hash_dir / ".copying-a").unlink()  # the copy completes
    environ = _env("foo")
    assert environ["REZ_FOO_ROOT"] == str(hash_dir / "a")
    assert environ["REZ_FOO_ORIG_ROOT"] == str(setup.repo / "foo" / "1.0" / "bar")


def test_stalled_copy_is_listed_and_cleaned(
    setup: Setup, capfd: pytest.CaptureFixture[str]
) -> None:
    foo = _foo(setup)
    handle = handle_of(foo)
    hash_dir = setup.cache / "foo" / "1.0" / hash_dirname(handle)
    (hash_dir / "a").mkdir(parents=True)
    (hash_dir / "a.json").write_text(json.dumps({"handle": handle}))
    (hash_dir / ".copying-a").touch()
    assert main(["pkg-cache", "-c", "status", "package"]) == 0
    assert capfd.readouterr().out == "copying  foo-1.0\n"
    old = time.time() - 60
    os.utime(hash_dir / ".copying-a", (old, old))
    assert main(["pkg-cache", "-c", "status", "package"]) == 0
    assert capfd.readouterr().out == "stalled  foo-1.0\n"
    assert main(["pkg-cache", "--clean"]) == 0
    assert "Removed stalled variant foo-1.0[0] from cache" in capfd.readouterr().err
    assert not (setup.cache / "foo").exists()


def test_pending_variants_are_listed(setup: Setup, capfd: pytest.CaptureFixture[str]) -> None:
    cache = open_cache(load_config())
    cache.add_pending([handle_of(_foo(setup))])
    assert main(["pkg-cache", "-c", "status", "variant_uri", "cache_path"]) == 0
    assert capfd.readouterr().out.split() == ["pending", setup.uri("foo", "1.0", "0"), "-"]
    done = _pkg("pkg-cache", "--daemon")
    assert done.returncode == 0, done.stderr
    _wait_until_cached(setup, _foo(setup))


def test_env_input_caches_as_the_saved_context_says(
    setup: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``pkg env -i`` queues the context's variants as Rez does on loading a context: by
    the context's own ``package_cache_async`` (here False: copied before the shell)."""
    rxt = tmp_path / "ctx.rxt"
    monkeypatch.setenv("PKG_WRITE_PACKAGE_CACHE", "0")
    monkeypatch.setenv("PKG_PACKAGE_CACHE_ASYNC", "0")
    done = _pkg("env", "foo", "-o", str(rxt))
    assert done.returncode == 0, done.stderr
    assert json.loads(rxt.read_text())["package_cache_async"] is False
    assert not (setup.cache / "foo").exists()
    monkeypatch.delenv("PKG_WRITE_PACKAGE_CACHE")
    monkeypatch.delenv("PKG_PACKAGE_CACHE_ASYNC")
    environ = _env("-i", str(rxt))
    assert environ["REZ_FOO_ROOT"].startswith(str(setup.cache))
    assert environ["REZ_FOO_ORIG_ROOT"] == str(setup.repo / "foo" / "1.0" / "bar")
