"""The resolve cache of ``pkg.api.resolve``: hits, invalidation, keys and backends."""

from __future__ import annotations

import marshal
import os
import shutil
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pkg.api import _resolve_state
from pkg.api._resolve_cache import _HEADER, decode_entry, default_cache_dir, encode_entry
from pkg.api.resolve import Resolve, resolve
from pkg.config import load_config
from pkg.memcache import FLAG_ZLIB, Client
from pkg.repositories import MemoryRepository, PackageSearchPath
from tests.conftest import write_package
from tests.memcached_server import free_port, raw_command

if TYPE_CHECKING:
    from pkg.config import Config
    from tests.memcached_server import MemcachedServer

DEMO = Path(__file__).resolve().parents[2] / "demo" / "packages"


@pytest.fixture
def config(repo: Path) -> Config:
    return load_config(overrides={"packages_path": [str(repo)], "implicit_packages": []})


@pytest.fixture(params=["young", "trusted"])
def stamps(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the fresh files of the test repository checked as written just now
    (hashes and listings), and as if they were old enough for their stamps to be
    trusted."""
    if request.param == "trusted":
        monkeypatch.setattr(_resolve_state, "RACY_NS", 0)
    return str(request.param)


def _framed(body: bytes) -> bytes:
    return b"%s%d\n%s" % (_HEADER, len(body), body)


def _entries(directory: Path | None = None) -> list[Path]:
    directory = directory or default_cache_dir()
    return sorted(directory.glob("*.entry")) if directory.is_dir() else []


def _same(a: Resolve, b: Resolve) -> None:
    assert a.status == b.status == "solved"
    assert a.resolved_strs() == b.resolved_strs()
    assert a.resolved_packages == b.resolved_packages
    assert [v.root for v in a.resolved_packages] == [v.root for v in b.resolved_packages]
    assert [v.uri for v in a.resolved_packages] == [v.uri for v in b.resolved_packages]
    assert a.resolved_ephemerals == b.resolved_ephemerals
    assert a.num_loaded_packages == b.num_loaded_packages
    assert a.solve_time == b.solve_time
    assert a.result.resolved == b.result.resolved
    assert [v.requires for v in a.result.resolved] == [v.requires for v in b.result.resolved]
    assert a.result.graph == b.result.graph
    assert (a.result.num_solves, a.result.num_fails) == (b.result.num_solves, b.result.num_fails)


# -- hits ----------------------------------------------------------------------------------


def test_a_second_resolve_is_read_from_the_cache(config: Config, stamps: str) -> None:
    first = resolve(["foo", ".eph-1"], config=config)
    assert not first.from_cache
    assert len(_entries()) == 1
    second = resolve(["foo", ".eph-1"], config=config)
    assert second.from_cache
    _same(first, second)
    assert second.resolved_strs() == ["bar-1[]", "python-3.11[]", "foo-2.0[1]"]
    assert [str(e) for e in second.resolved_ephemerals] == [".eph-1"]
    assert second.result.resolved_strs()[-1] == ".eph-1"
    assert second.result.ok
    assert second.failure_description is None
    assert second.result.graph.why("bar")
    foo = second.resolved_packages[-1]
    assert foo.package.description == "The foo library."
    assert [str(r) for r in foo.requires] == ["bar", "python-3.11"]
    assert str(second) == str(first)
    assert resolve(["foo", ".eph-1"], config=config).from_cache


def test_the_cache_is_under_the_xdg_cache_dir(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    resolve(["bar"], config=config)
    assert len(_entries(tmp_path / "xdg" / "pkg" / "resolves")) == 1


def test_resolve_cache_path_setting(config: Config, tmp_path: Path) -> None:
    custom = config.with_overrides({"resolve_cache_path": str(tmp_path / "mine")})
    resolve(["bar"], config=custom)
    assert resolve(["bar"], config=custom).from_cache
    assert len(_entries(tmp_path / "mine")) == 1
    assert _entries() == []
    none = config.with_overrides({"resolve_cache_path": ""})
    resolve(["bar"], config=none)
    assert not resolve(["bar"], config=none).from_cache


def test_failed_resolves_are_not_cached(config: Config) -> None:
    assert resolve(["foo-1.0", "!bar"], config=config).status == "failed"
    assert _entries() == []
    assert not resolve(["foo-1.0", "!bar"], config=config).from_cache


def test_no_cache(config: Config) -> None:
    resolve(["bar"], config=config, caching=False)
    assert _entries() == []
    resolve(["bar"], config=config)
    assert not resolve(["bar"], config=config, caching=False).from_cache
    off = config.with_overrides({"resolve_caching": False})
    assert not resolve(["bar"], config=off).from_cache
    # as in Rez, caching=True (what the CLI passes without --no-cache) does not turn on
    # a cache the setting turns off
    assert not resolve(["bar"], config=off, caching=True).from_cache


def test_memory_repositories_are_not_cached(config: Config) -> None:
    search = PackageSearchPath([MemoryRepository({"bar": {"1": {}}}, location="m")])
    assert resolve(["bar"], config=config, search_path=search).success
    assert not resolve(["bar"], config=config, search_path=search).from_cache
    assert _entries() == []


def test_an_explicit_search_path_of_directories_is_cached(config: Config, repo: Path) -> None:
    search = PackageSearchPath.from_paths([str(repo)], config)
    resolve(["bar"], config=config, search_path=search)
    assert resolve(["bar"], config=config, search_path=search).from_cache
    assert resolve(["bar"], config=config).from_cache  # the same repository, the same key


def test_a_hit_is_fast(tmp_path: Path) -> None:
    """The demo request, end to end through ``resolve`` (configuration excluded)."""
    config = load_config(overrides={"packages_path": [str(DEMO)]})
    assert not resolve(["hello"], config=config).from_cache
    times = []
    for _ in range(20):
        start = time.perf_counter()
        hit = resolve(["hello"], config=config)
        times.append(time.perf_counter() - start)
        assert hit.from_cache
    assert min(times) < 0.005, statistics.median(times)


# -- invalidation --------------------------------------------------------------------------


def _cached(config: Config, request: list[str], **kwargs: Any) -> Resolve:
    """Resolve twice; the second must be a hit."""
    first = resolve(request, config=config, **kwargs)
    second = resolve(request, config=config, **kwargs)
    assert second.from_cache
    assert second.resolved_strs() == first.resolved_strs()
    return second


def test_a_new_version_in_range_is_a_miss(config: Config, repo: Path, stamps: str) -> None:
    _cached(config, ["foo"])
    write_package(repo, "bar", "1.5", "")
    again = resolve(["foo"], config=config)
    assert not again.from_cache
    assert again.resolved_strs()[0] == "bar-1.5[]"
    assert resolve(["foo"], config=config).from_cache


def test_a_new_version_out_of_range_is_a_miss_too(config: Config, repo: Path) -> None:
    _cached(config, ["foo-1.0"])
    write_package(repo, "foo", "0.5", "")
    again = resolve(["foo-1.0"], config=config)
    assert not again.from_cache
    assert again.resolved_strs() == ["bar-1[]", "foo-1.0[]"]


def test_a_removed_version_is_a_miss(config: Config, repo: Path, stamps: str) -> None:
    _cached(config, ["foo"])
    shutil.rmtree(repo / "python" / "3.11")
    again = resolve(["foo"], config=config)
    assert not again.from_cache
    assert again.resolved_strs() == ["bar-1[]", "python-3.9[]", "foo-2.0[0]"]


def test_an_ignored_version_is_a_miss(config: Config, repo: Path, stamps: str) -> None:
    _cached(config, ["foo"])
    (repo / "foo" / ".ignore2.0").touch()
    again = resolve(["foo"], config=config)
    assert not again.from_cache
    assert again.resolved_strs()[-1] == "foo-1.1[]"


def test_an_edited_definition_is_a_miss(config: Config, repo: Path, stamps: str) -> None:
    _cached(config, ["foo"])
    write_package(repo, "foo", "2.0", "requires = ['bar', 'cmake']\n")
    again = resolve(["foo"], config=config)
    assert not again.from_cache
    assert again.resolved_strs() == ["bar-1[]", "cmake-3.25[]", "foo-2.0[]"]


def test_an_edited_definition_that_was_not_resolved(
    config: Config, repo: Path, stamps: str
) -> None:
    # foo-1.1 was read (foo-2.0 won); an edit of it is seen only in strict mode, as Rez
    # checks only what it resolved.  Added and removed versions are always seen.
    _cached(config, ["foo"])
    write_package(repo, "foo", "1.1", "requires = ['bar-1+', '!eek']\ntimestamp = 2001\n")
    assert resolve(["foo"], config=config).from_cache
    strict = config.with_overrides({"resolve_cache_strict": True})
    again = resolve(["foo"], config=strict)
    assert not again.from_cache
    assert again.resolved_strs() == ["bar-1[]", "python-3.11[]", "foo-2.0[1]"]
    assert resolve(["foo"], config=strict).from_cache


def test_the_definitions_checked_only_in_strict_mode_are_kept_apart(config: Config) -> None:
    _cached(config, ["foo"])
    [path] = _entries()
    data = path.read_bytes()
    entry, tail = decode_entry(data)
    assert "read_files" not in entry
    assert tail is not None
    assert len(tail) > 8 + 100  # the token, then the stamps of foo-1.1 and others
    strict = config.with_overrides({"resolve_cache_strict": True})
    path.write_bytes(data[: -len(tail)])  # no tail: fine unless strict
    assert resolve(["foo"], config=config).from_cache
    assert not resolve(["foo"], config=strict).from_cache
    assert resolve(["foo"], config=strict).from_cache


def test_a_tail_of_another_version_of_the_entry_is_a_strict_miss(config: Config) -> None:
    _cached(config, ["foo"])
    [path] = _entries()
    entry, tail = decode_entry(path.read_bytes())
    assert tail is not None
    main, _ = encode_entry({**entry, "read_files": []})  # a new token
    path.write_bytes(main + tail)
    assert resolve(["foo"], config=config).from_cache
    assert not resolve(
        ["foo"], config=config.with_overrides({"resolve_cache_strict": True})
    ).from_cache


def test_an_edited_release_time_under_a_lock_is_a_miss(config: Config, repo: Path) -> None:
    _cached(config, ["foo"], timestamp=2500)
    write_package(repo, "foo", "1.1", "requires = ['bar-1+']\ntimestamp = 2600\n")
    again = resolve(["foo"], config=config, timestamp=2500)
    assert not again.from_cache
    assert again.resolved_strs()[-1] == "foo-1.0[]"


def test_a_family_that_appears_in_another_repository_is_a_miss(
    repo: Path, tmp_path: Path, stamps: str
) -> None:
    second = tmp_path / "second"
    second.mkdir()
    config = load_config(
        overrides={"packages_path": [str(repo), str(second)], "implicit_packages": []}
    )
    _cached(config, ["foo"])
    write_package(second, "python", "3.12", "")  # not a variant of foo: same result
    again = resolve(["foo"], config=config)
    assert not again.from_cache
    assert again.resolved_strs() == ["bar-1[]", "python-3.11[]", "foo-2.0[1]"]


def test_a_new_repository_version_that_hides_nothing_is_a_miss(repo: Path, tmp_path: Path) -> None:
    second = tmp_path / "second"
    write_package(second, "other", "1", "")
    config = load_config(
        overrides={"packages_path": [str(repo), str(second)], "implicit_packages": []}
    )
    _cached(config, ["foo"])
    write_package(second, "bar", "1.7", "")
    again = resolve(["foo"], config=config)
    assert not again.from_cache
    assert again.resolved_strs()[0] == "bar-1.7[]"


def test_an_unrelated_change_in_a_family_keeps_the_entry(config: Config, repo: Path) -> None:
    _cached(config, ["foo"])
    [entry] = _entries()
    before, _ = decode_entry(entry.read_bytes())
    (repo / "bar" / ".keep").touch()  # changes the directory, not its versions
    again = resolve(["foo"], config=config)
    assert again.from_cache
    after, _ = decode_entry(entry.read_bytes())
    changed = [
        old[1]
        for old, new in zip(before["families"], after["families"], strict=True)
        if old[2] != new[2]
    ]
    assert changed == ["bar"]  # written back with the new stamp


def test_a_family_being_installed_is_listed_again(config: Config, repo: Path) -> None:
    (repo / "bar" / ".building2").touch()
    (repo / "bar" / "2").mkdir()
    _cached(config, ["bar"])
    (repo / "bar" / "2" / "package.py").write_text("name = 'bar'\nversion = '2'\n")
    again = resolve(["bar"], config=config)
    assert not again.from_cache
    assert again.resolved_strs() == ["bar-2[]"]


# -- keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variation",
    [
        {"package_filter": [{"excludes": ["python-3.11"]}]},
        {"package_orderers": [{"type": "sorted", "descending": False}]},
        {"timestamp": 2500},
        {"building": True},
        {"implicit_packages": ["~python-3.9"]},
        {"variant_select_mode": "intersection_priority"},
        {"max_fails": 1},
    ],
    ids=lambda v: next(iter(v)),
)
def test_different_settings_have_different_keys(config: Config, variation: dict[str, Any]) -> None:
    plain = _cached(config, ["foo"])
    varied = resolve(["foo"], config=config, **variation)
    assert not varied.from_cache
    assert resolve(["foo"], config=config, **variation).from_cache
    assert len(_entries()) == 2
    if "max_fails" not in variation and "variant_select_mode" not in variation:
        assert varied.resolved_strs() != plain.resolved_strs()


def test_config_settings_in_the_key(config: Config) -> None:
    _cached(config, ["foo"])
    for overrides in (
        {"package_filter": [{"excludes": ["foo-2*"]}]},
        {"package_orderers": [{"type": "sorted", "descending": False}]},
        {"error_on_missing_variant_requires": False},
        {"allow_unversioned_packages": False},
    ):
        assert not resolve(["foo"], config=config.with_overrides(overrides)).from_cache


# -- damaged entries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not an entry",
        _framed(marshal.dumps([])),
        _framed(marshal.dumps({"format": 3})),
        _framed(b"\x00\xff" * 10),
        _HEADER + b"12345678901234567890\n",
        b'{"format": 2}',
        None,
    ],
    ids=[
        "empty",
        "not-an-entry",
        "list",
        "partial",
        "binary",
        "no-header-end",
        "old-json",
        "truncated",
    ],
)
def test_a_damaged_entry_is_a_miss(config: Config, content: bytes | None) -> None:
    _cached(config, ["foo"])
    [entry] = _entries()
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2] if content is None else content)
    again = resolve(["foo"], config=config)
    assert not again.from_cache
    assert again.resolved_strs() == ["bar-1[]", "python-3.11[]", "foo-2.0[1]"]
    assert resolve(["foo"], config=config).from_cache


@pytest.mark.parametrize(
    ("field", "value"),
    [(0, 5), (1, None), (2, "1.0"), (3, "1"), (4, ["bar"])],
    ids=["name", "version", "version-key", "index", "requires"],
)
def test_a_damaged_resolved_variant_is_a_miss(config: Config, field: int, value: object) -> None:
    _cached(config, ["foo"])
    [path] = _entries()
    entry, _tail = decode_entry(path.read_bytes())
    entry["resolved"][0][field] = value
    main, tail = encode_entry({**entry, "read_files": []})
    path.write_bytes(main + tail)
    again = resolve(["foo"], config=config)
    assert not again.from_cache
    assert again.resolved_strs() == ["bar-1[]", "python-3.11[]", "foo-2.0[1]"]


def _by_size(entries: list[Path]) -> list[Path]:
    return sorted(entries, key=lambda p: len(decode_entry(p.read_bytes())[0]["resolved"]))


def test_an_entry_of_another_key_is_a_miss(config: Config) -> None:
    resolve(["foo"], config=config)
    resolve(["bar"], config=config)
    bar, foo = _by_size(_entries())
    foo.write_bytes(bar.read_bytes())
    again = resolve(["foo"], config=config)
    assert not again.from_cache
    assert again.resolved_strs() == ["bar-1[]", "python-3.11[]", "foo-2.0[1]"]


def test_an_unwritable_cache_does_not_fail_a_resolve(config: Config, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    broken = config.with_overrides({"resolve_cache_path": str(blocker / "cache")})
    assert resolve(["foo"], config=broken).success
    assert not resolve(["foo"], config=broken).from_cache


# -- memcached -----------------------------------------------------------------------------


def _with_memcached(config: Config, uri: str, *, disk: bool = False) -> Config:
    overrides: dict[str, object] = {"memcached_uri": [uri]}
    if not disk:
        overrides["resolve_cache_path"] = ""
    return config.with_overrides(overrides)


def test_memcached_backend(config: Config, repo: Path, memcached: MemcachedServer) -> None:
    shared = _with_memcached(config, memcached.uri)
    first = resolve(["foo"], config=shared)
    assert not first.from_cache
    assert memcached.stats()["cmd_set"] == "2"  # the entry and its tail
    second = resolve(["foo"], config=shared)
    assert second.from_cache
    _same(first, second)
    assert _entries() == []
    write_package(repo, "bar", "1.5", "")
    assert not resolve(["foo"], config=shared).from_cache
    assert resolve(["foo"], config=shared).resolved_strs()[0] == "bar-1.5[]"


def test_memcached_strict_reads_the_tail(
    config: Config, repo: Path, memcached: MemcachedServer
) -> None:
    shared = _with_memcached(config, memcached.uri)
    strict = shared.with_overrides({"resolve_cache_strict": True})
    resolve(["foo"], config=shared)
    gets = int(memcached.stats()["cmd_get"])
    assert resolve(["foo"], config=shared).from_cache
    assert int(memcached.stats()["cmd_get"]) == gets + 1  # the entry alone
    assert resolve(["foo"], config=strict).from_cache
    assert int(memcached.stats()["cmd_get"]) == gets + 3  # the entry and its tail
    write_package(repo, "foo", "1.1", "requires = ['bar-1+', '!eek']\ntimestamp = 2001\n")
    assert resolve(["foo"], config=shared).from_cache
    assert not resolve(["foo"], config=strict).from_cache
    assert resolve(["foo"], config=strict).from_cache


def _raw_flags(memcached: MemcachedServer, key: str) -> int:
    wire = Client([memcached.uri]).wire_key(f"resolve:{key}")
    answer = raw_command(memcached.port, f"get {wire}\r\n".encode(), end=b"END\r\n")
    return int(answer.split(b"\r\n")[0].split()[2])


def test_memcached_entries_are_compressed(config: Config, memcached: MemcachedServer) -> None:
    shared = _with_memcached(config, memcached.uri, disk=True)
    resolve(["foo"], config=shared)
    [foo] = _entries()
    assert _raw_flags(memcached, foo.stem) == FLAG_ZLIB
    plain = shared.with_overrides({"memcached_resolve_min_compress_len": 0})
    resolve(["bar"], config=plain)
    bar, _foo = _by_size(_entries())
    assert _raw_flags(memcached, bar.stem) == 0


def test_a_memcached_hit_fills_the_disk_cache(
    config: Config, memcached: MemcachedServer, tmp_path: Path
) -> None:
    a = _with_memcached(config, memcached.uri, disk=True).with_overrides(
        {"resolve_cache_path": str(tmp_path / "a")}
    )
    b = a.with_overrides({"resolve_cache_path": str(tmp_path / "b")})
    resolve(["foo"], config=a)
    assert resolve(["foo"], config=b).from_cache
    assert len(_entries(tmp_path / "b")) == 1
    hits = int(memcached.stats()["get_hits"])
    assert resolve(["foo"], config=b).from_cache
    assert int(memcached.stats()["get_hits"]) == hits  # read from disk this time


def test_a_stale_memcached_entry_is_deleted(
    config: Config, repo: Path, memcached: MemcachedServer
) -> None:
    shared = _with_memcached(config, memcached.uri)
    resolve(["foo-1.0", "!bar"], config=shared)  # failed: nothing stored
    resolve(["foo"], config=shared)
    assert memcached.stats()["cmd_set"] == "2"
    (repo / "foo" / ".ignore2.0").touch()
    blocked = resolve(["foo", "!bar"], config=shared)  # failed, different key
    assert not blocked.success
    assert resolve(["foo"], config=shared).resolved_strs()[-1] == "foo-1.1[]"
    assert int(memcached.stats()["delete_hits"]) == 2  # the entry and its tail


def test_an_unreachable_memcached_is_a_miss(config: Config) -> None:
    dead = _with_memcached(config, f"127.0.0.1:{free_port()}")
    start = time.perf_counter()
    for _ in range(3):
        result = resolve(["foo"], config=dead)
        assert result.success
        assert not result.from_cache
    assert time.perf_counter() - start < 2


def test_environment_variable_location(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PKG_RESOLVE_CACHE_PATH", str(tmp_path / "env"))
    from_env = load_config(
        overrides={"packages_path": list(config.packages_path), "implicit_packages": []}
    )
    resolve(["bar"], config=from_env)
    assert len(_entries(tmp_path / "env")) == 1
    assert os.listdir(tmp_path / "env")
