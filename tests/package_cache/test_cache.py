"""The package cache on disk: Rez's layout, copies that are never seen half done, one copy
for concurrent adders, the cachability rules and cleaning by age."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

import pytest

from pkg.api.pkg_cache import copy_pending, variant_from_uri
from pkg.config import load_config
from pkg.package_cache import (
    NotCachableError,
    PackageCache,
    VariantStatus,
    add_variant,
    cached_roots,
    handle_of,
    is_cachable,
    open_cache,
)
from tests.package_cache._support import Setup, make_setup

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config
    from pkg.orchestrator import Backend
    from pkg.packages import Variant


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    return make_setup(tmp_path, monkeypatch)


def _variant(setup: Setup, config: Config, name: str, version: str, index: str = "") -> Variant:
    variant = variant_from_uri(setup.uri(name, version, index), config)
    assert variant is not None
    return variant


def _age(path: str | Path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_layout_is_rezs(setup: Setup) -> None:
    config = load_config()
    cache = open_cache(config)
    foo = _variant(setup, config, "foo", "1.0", "0")
    status, root = add_variant(cache, foo, config)
    assert status is VariantStatus.CREATED
    slot = setup.cache / "foo" / "1.0"
    (hash_dir,) = slot.iterdir()
    assert len(hash_dir.name) == 4
    assert root == str(hash_dir / "a")
    assert sorted(p.name for p in hash_dir.iterdir()) == ["a", "a.json"]
    record = json.loads((hash_dir / "a.json").read_text())
    assert record == {
        "handle": {
            "key": "filesystem.variant",
            "variables": {
                "index": 0,
                "location": str(setup.repo),
                "name": "foo",
                "repository_type": "filesystem",
                "version": "1.0",
            },
        },
        "data": ["bar"],
    }
    assert (hash_dir / "a" / "data.txt").read_text() == "payload\n"
    assert sorted(os.listdir(setup.cache / ".sys")) == ["copying", "log", "pending", "to_delete"]
    unversioned = _variant(setup, config, "unversioned", "")
    _status, root = add_variant(cache, unversioned, config)
    assert os.path.relpath(root, setup.cache).split(os.sep)[:2] == ["unversioned", "_NO_VERSION"]


def test_found_variant_is_used_and_marked_used(setup: Setup) -> None:
    config = load_config()
    cache = open_cache(config)
    bar = _variant(setup, config, "bar", "2.0")
    assert cached_roots([bar], config) == {}
    _status, root = add_variant(cache, bar, config)
    _age(root + ".json", 10)
    assert cache.status(handle_of(bar)) == (VariantStatus.FOUND, root)
    assert cached_roots([bar], config) == {"bar": root}
    assert time.time() - os.stat(root + ".json").st_mtime < 86400  # touched: used now
    assert add_variant(cache, bar, config) == (VariantStatus.FOUND, root)


def test_a_copy_in_progress_is_never_used(setup: Setup) -> None:
    config = load_config()
    cache = open_cache(config)
    foo = _variant(setup, config, "foo", "1.0", "0")
    started, release = threading.Event(), threading.Event()
    seen: list[tuple[VariantStatus, str]] = []

    def slow_copy(source: str, dest: str) -> None:
        import shutil

        os.mkdir(dest)
        shutil.copy(os.path.join(source, "data.txt"), dest)  # half the payload
        started.set()
        assert release.wait(30)
        shutil.copytree(source, dest, dirs_exist_ok=True)

    def add() -> None:
        seen.append(add_variant(cache, foo, config, copy=slow_copy))

    worker = threading.Thread(target=add)
    worker.start()
    try:
        assert started.wait(30)
        status, root = cache.status(handle_of(foo))
        assert status is VariantStatus.COPYING
        assert os.listdir(root) == []  # the half-copied payload is not in place
        assert cache.cached_root(handle_of(foo)) is None
        assert cached_roots([foo], config) == {}
        # another adder leaves it to the running copy
        assert add_variant(cache, foo, config) == (VariantStatus.COPYING, root)
    finally:
        release.set()
        worker.join(30)
    assert seen == [(VariantStatus.CREATED, root)]
    assert cached_roots([foo], config) == {"foo": root}
    assert sorted(os.listdir(os.path.dirname(root))) == ["a", "a.json"]
    assert os.listdir(root) == ["data.txt"]
    assert os.listdir(cache.copying_dir) == []


def test_waiting_adder_returns_when_the_other_copy_ends(setup: Setup) -> None:
    config = load_config()
    cache = open_cache(config)
    bar = _variant(setup, config, "bar", "2.0")
    handle = handle_of(bar)
    slot = setup.cache / "bar" / "2.0"
    # claim the slot as a copier (pkg's or Rez's) does, then finish after a moment
    from pkg.package_cache._layout import hash_dirname

    hash_dir = slot / hash_dirname(handle)
    hash_dir.mkdir(parents=True)
    (hash_dir / ".copying-a").touch()
    (hash_dir / "a.json").write_text(json.dumps({"handle": handle}))
    (hash_dir / "a").mkdir()
    timer = threading.Timer(0.5, (hash_dir / ".copying-a").unlink)
    timer.start()
    try:
        status, root = add_variant(cache, bar, config, wait_for_copying=True)
    finally:
        timer.join()
    assert (status, root) == (VariantStatus.FOUND, str(hash_dir / "a"))


def test_a_copy_marked_as_rez_marks_it(setup: Setup) -> None:
    """``.copying-a`` beside ``a.json``: copying while the marker is fresh, stalled once it
    is older than STALL_SECONDS; never used; ``clean()`` removes a stalled copy."""
    config = load_config()
    cache = open_cache(config)
    foo = _variant(setup, config, "foo", "1.0", "0")
    handle = handle_of(foo)
    from pkg.package_cache._layout import hash_dirname

    hash_dir = setup.cache / "foo" / "1.0" / hash_dirname(handle)
    (hash_dir / "a").mkdir(parents=True)
    (hash_dir / "a" / "data.txt").write_text("pay")  # partial
    (hash_dir / "a.json").write_text(json.dumps({"handle": handle}))
    (hash_dir / ".copying-a").touch()
    assert cache.status(handle)[0] is VariantStatus.COPYING
    assert cached_roots([foo], config) == {}
    _age(hash_dir / ".copying-a", 1)
    assert cache.status(handle)[0] is VariantStatus.COPY_STALLED
    assert cached_roots([foo], config) == {}
    assert add_variant(cache, foo, config)[0] is VariantStatus.COPY_STALLED
    # cleaning within a time limit (the copier's) leaves stalled copies alone
    assert cache.clean(max_variant_days=30, time_limit=10) == []
    assert cache.clean(max_variant_days=30) == [handle]
    assert not (setup.cache / "foo").exists()
    assert os.listdir(cache.remove_dir) == []
    assert add_variant(cache, foo, config)[0] is VariantStatus.CREATED


def test_a_failed_copy_stalls_and_leaves_no_scratch(setup: Setup) -> None:
    config = load_config()
    cache = open_cache(config)
    bar = _variant(setup, config, "bar", "2.0")

    def failing_copy(source: str, dest: str) -> None:
        os.mkdir(dest)
        raise PermissionError(13, "denied", source)

    with pytest.raises(PermissionError):
        add_variant(cache, bar, config, copy=failing_copy)
    status, root = cache.status(handle_of(bar))
    assert status is VariantStatus.COPYING
    assert os.listdir(cache.copying_dir) == []
    _age(os.path.join(os.path.dirname(root), ".copying-a"), 1)
    assert cache.status(handle_of(bar))[0] is VariantStatus.COPY_STALLED


def test_concurrent_adders_make_one_copy(setup: Setup) -> None:
    argv = [sys.executable, "-m", "pkg", "pkg-cache", "-a", setup.uri("foo", "1.0", "0")]
    procs = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outputs
    messages = "".join(err for _out, err in outputs)
    assert messages.count("Successfully cached to:") == 1
    (hash_dir,) = (setup.cache / "foo" / "1.0").iterdir()
    assert sorted(os.listdir(hash_dir)) == ["a", "a.json"]
    assert os.listdir(hash_dir / "a") == ["data.txt"]


@pytest.mark.parametrize(
    ("settings", "package", "reason"),
    [
        ({}, "nocache", "package is not cachable"),
        ({"PKG_PACKAGE_CACHE_SAME_DEVICE": "0"}, "bar", "is on same device as cache"),
        ({"PKG_TMPDIR": "{tmp}"}, "bar", "package is in temp repository"),
        ({"PKG_LOCAL_PACKAGES_PATH": "{repo}"}, "bar", "package is local"),
    ],
)
def test_variants_that_may_not_be_cached(
    setup: Setup,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: dict[str, str],
    package: str,
    reason: str,
) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name, value.format(tmp=tmp_path, repo=setup.repo))
    config = load_config()
    cache = open_cache(config)
    version = "1.0" if package == "nocache" else "2.0"
    variant = _variant(setup, config, package, version)
    with pytest.raises(NotCachableError, match=reason):
        add_variant(cache, variant, config)
    assert not (setup.cache / package).exists()
    assert add_variant(cache, variant, config, force=True)[0] is VariantStatus.CREATED


@pytest.mark.parametrize(
    ("settings", "package", "expected"),
    [
        ({}, "foo", True),  # cachable = True
        ({"PKG_DEFAULT_CACHABLE": "1"}, "nocache", False),  # the attribute wins
        ({}, "plain", False),  # default_cachable is False
        ({"PKG_DEFAULT_CACHABLE": "1"}, "plain", True),
        # default_cachable unset: cachable if relocatable
        ({"PKG_DEFAULT_CACHABLE_JSON": "null", "PKG_DEFAULT_RELOCATABLE": "0"}, "reloc", True),
        ({"PKG_DEFAULT_CACHABLE_JSON": "null", "PKG_DEFAULT_RELOCATABLE": "0"}, "plain", False),
        ({"PKG_DEFAULT_CACHABLE_JSON": "null"}, "plain", True),
        ({"PKG_DEFAULT_CACHABLE_PER_PACKAGE_JSON": '{"plain": true}'}, "plain", True),
        (
            {
                "PKG_DEFAULT_CACHABLE_PER_PACKAGE_JSON": '{"plain": true}',
                "PKG_DEFAULT_CACHABLE_PER_REPOSITORY_JSON": '{"{repo}": false}',
            },
            "plain",
            False,
        ),
    ],
)
def test_cachable_rules(
    setup: Setup,
    monkeypatch: pytest.MonkeyPatch,
    settings: dict[str, str],
    package: str,
    expected: bool,
) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name, value.replace("{repo}", str(setup.repo)))
    config = load_config()
    variant = _variant(setup, config, package, "1.0", "0" if package == "foo" else "")
    assert is_cachable(variant.package, config) is expected


def test_clean_by_age(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config()
    cache = open_cache(config)
    _s, old = add_variant(cache, _variant(setup, config, "bar", "2.0"), config)
    _s, recent = add_variant(cache, _variant(setup, config, "foo", "1.0", "0"), config)
    _age(old + ".json", 31)
    _age(recent + ".json", 29)
    assert cache.clean(max_variant_days=0) == []  # 0: no age limit
    removed = cache.clean(max_variant_days=30)
    assert [h["variables"]["name"] for h in removed] == ["bar"]
    assert not os.path.exists(old)
    assert not (setup.cache / "bar").exists()
    assert os.path.isdir(recent)
    assert os.listdir(cache.remove_dir) == []


def test_remove_moves_the_payload_out_then_clean_deletes_it(setup: Setup) -> None:
    config = load_config()
    cache = open_cache(config)
    bar = _variant(setup, config, "bar", "2.0")
    add_variant(cache, bar, config)
    assert cache.remove(handle_of(bar)) is VariantStatus.REMOVED
    assert not (setup.cache / "bar").exists()
    assert len(os.listdir(cache.remove_dir)) == 1
    assert cache.remove(handle_of(bar)) is VariantStatus.NOT_FOUND
    cache.clean(max_variant_days=30)
    assert os.listdir(cache.remove_dir) == []


def test_old_logs_are_deleted(setup: Setup) -> None:
    cache = PackageCache(str(setup.cache))
    with cache.logging_to_file() as logger:
        logger.info("hello")
    old = os.path.join(cache.log_dir, "2000-01-01.log")
    with open(old, "w") as f:
        f.write("old\n")
    _age(old, 8)
    assert cache.delete_old_logs(7) == [old]
    assert [os.path.basename(p) for p in cache.log_files()] == [time.strftime("%Y-%m-%d.log")]


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_copier_copies_every_pending_variant(setup: Setup, backend: Backend) -> None:
    config = load_config()
    cache = open_cache(config)
    variants = [
        _variant(setup, config, "foo", "1.0", "0"),
        _variant(setup, config, "bar", "2.0"),
        _variant(setup, config, "nocache", "1.0"),
    ]
    queued = cache.add_pending([handle_of(v) for v in variants])
    assert len(queued) == 3
    assert cache.add_pending([handle_of(variants[0])]) == []  # already queued
    outcomes = copy_pending(cache, config, wait_for_copying=False, backend=backend)
    assert outcomes == {
        "foo-1.0[0]": VariantStatus.CREATED,
        "bar-2.0[]": VariantStatus.CREATED,
        "nocache-1.0[]": VariantStatus.NOT_FOUND,
    }
    assert os.listdir(cache.pending_dir) == []
    assert set(cached_roots(variants, config)) == {"foo", "bar"}
    (log,) = cache.log_files()
    with open(log) as f:
        text = f.read()
    assert "Not cached - package is not cachable" in text
    assert "Cached variant to" in text


@pytest.mark.parametrize("package_cache_async", [False, True])
def test_update_after_a_resolve(setup: Setup, package_cache_async: bool) -> None:
    from pkg.api.pkg_cache import CacheUpdate, update_package_cache

    config = load_config()
    variants = [_variant(setup, config, "foo", "1.0", "0"), _variant(setup, config, "plain", "1.0")]
    update = update_package_cache(variants, config, package_cache_async=package_cache_async)
    assert update == CacheUpdate(str(setup.cache), ("foo-1.0[0]",), not package_cache_async)
    cache = open_cache(config)
    if not package_cache_async:  # copied before returning
        assert cache.status(handle_of(variants[0]))[0] is VariantStatus.FOUND
    deadline = time.monotonic() + 60  # the background copier: wait for it
    while cache.status(handle_of(variants[0]))[0] is not VariantStatus.FOUND:
        assert time.monotonic() < deadline, os.listdir(cache.pending_dir)
        time.sleep(0.05)
    assert set(cached_roots(variants, config)) == {"foo"}
    again = update_package_cache(variants, config, package_cache_async=package_cache_async)
    assert again is not None
    assert again.queued == ()
