"""The ``.rxt`` format: writing a resolve, reading it back, reading Rez's files."""

from __future__ import annotations

import dataclasses
import doctest
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import pkg.context
from pkg.api.resolve import resolve
from pkg.config import load_config
from pkg.context import (
    RXT_KEYS,
    SERIALIZE_VERSION,
    ContextFile,
    ContextFileError,
    VariantHandle,
    context_from_resolve,
    load_context,
    save_context,
)
from pkg.core import Requirement
from pkg.resolver.orderers import SortedOrder

if TYPE_CHECKING:
    from pkg.config import Config

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def config(repo: Path) -> Config:
    return load_config(overrides={"packages_path": [str(repo)], "implicit_packages": []})


def test_module_examples() -> None:
    assert doctest.testmod(pkg.context).failed == 0


def test_a_solved_resolve(repo: Path, config: Config) -> None:
    result = resolve(
        ["foo"], config=config, package_orderers=[{"type": "sorted", "descending": True}]
    )
    context = context_from_resolve(result, config)
    data = context.to_dict()
    assert set(data) == RXT_KEYS
    assert len(RXT_KEYS) == 35
    assert data["serialize_version"] == SERIALIZE_VERSION == "4.9"
    assert data["status"] == "solved"
    assert data["package_requests"] == ["foo"]
    assert data["package_paths"] == [str(repo)]
    assert data["failure_description"] is None
    assert data["resolved_packages"][-1] == {
        "key": "filesystem.variant",
        "variables": {
            "index": 1,
            "location": str(repo),
            "name": "foo",
            "repository_type": "filesystem",
            "version": "2.0",
        },
    }
    assert [h.qualified_name for h in context.resolved_packages] == [
        "bar-1[]",
        "python-3.11[]",
        "foo-2.0[1]",
    ]
    assert data["package_orderers"] == [{"type": "sorted", "descending": True, "packages": ["*"]}]
    assert data["requested_timestamp"] is None
    assert data["timestamp"] == data["created"] == result.created
    assert data["rez_version"] == "3.4.0"
    assert data["num_loaded_packages"] == result.num_loaded_packages
    assert data["graph"].startswith("{'nodes': [")


def test_the_text_is_rez_json(config: Config) -> None:
    context = context_from_resolve(resolve(["bar"], config=config), config)
    text = context.dumps()
    assert not text.endswith("\n")
    assert text.startswith('{\n    "append_sys_path": true,\n    "arch": ')
    assert list(json.loads(text)) == sorted(RXT_KEYS)


def test_round_trip(config: Config, tmp_path: Path) -> None:
    result = resolve(
        ["foo-1", "~python-3"],
        config=config,
        timestamp=2500,
        package_filter=[{"excludes": ["bar-2+"]}],
        package_orderers=[SortedOrder(False)],
    )
    context = context_from_resolve(result, config, requested_timestamp=2500)
    path = save_context(context, tmp_path / "ctx.rxt")
    loaded = load_context(path)
    assert loaded == context
    assert loaded.timestamp == loaded.requested_timestamp == 2500
    assert loaded.package_requests == (Requirement("foo-1"), Requirement("~python-3"))
    assert loaded.resolved_strs() == ["bar-1[]", "foo-1.0[]"]
    assert loaded.to_dict() == context.to_dict()


def test_a_failed_resolve_is_saved_with_rez_wording(config: Config, tmp_path: Path) -> None:
    result = resolve(["foo-1.0", "!bar"], config=config)
    context = context_from_resolve(result, config)
    assert not context.success
    assert context.status == "failed"
    assert context.resolved_packages == ()
    assert context.failure_description is not None
    assert context.failure_description.startswith("The following package conflicts occurred")
    loaded = load_context(save_context(context, tmp_path / "failed.rxt"))
    graph = loaded.resolve_graph()
    assert graph is not None
    assert any(edge.label == "CONFLICT" for edge in graph.edges)


def test_writes_are_atomic_and_leave_no_temporary(config: Config, tmp_path: Path) -> None:
    context = context_from_resolve(resolve(["bar"], config=config), config)
    target = tmp_path / "out" / "ctx.rxt"
    target.parent.mkdir()
    target.write_text("old")
    save_context(context, target)
    assert os.listdir(target.parent) == ["ctx.rxt"]
    assert load_context(target) == context
    with pytest.raises(ContextFileError, match="cannot write"):
        save_context(context, tmp_path / "missing" / "ctx.rxt")


def test_bundle_locations_are_relative(repo: Path, config: Config, tmp_path: Path) -> None:
    bundle = repo.parent
    (bundle / "bundle.yaml").write_text("{}\n")
    context = context_from_resolve(resolve(["bar"], config=config), config)
    path = save_context(context, bundle / "context.rxt")
    written = json.loads(path.read_text())
    assert written["resolved_packages"][0]["variables"]["location"] == "repo"
    loaded = load_context(path)
    assert loaded.resolved_packages[0].location == os.path.realpath(repo)
    (tmp_path / "other").mkdir()
    elsewhere = save_context(context, tmp_path / "other" / "context.rxt")
    assert json.loads(elsewhere.read_text())["resolved_packages"][0]["variables"][
        "location"
    ] == str(repo)


@pytest.mark.parametrize(
    ("name", "status", "resolved", "ephemerals"),
    [
        (
            "rez-solved.rxt",
            "solved",
            ["python-2.6.8[]", "pyvariants-2[2]", "pybah-4[]"],
            [".eek-1"],
        ),
        ("rez-failed.rxt", "failed", [], []),
        ("rez-filtered.rxt", "solved", ["python-2.7.0[]"], []),
    ],
)
def test_reads_files_written_by_rez(
    name: str, status: str, resolved: list[str], ephemerals: list[str]
) -> None:
    context = load_context(DATA / name)
    assert context.status == status
    assert context.resolved_strs() == resolved
    assert [str(e) for e in context.resolved_ephemerals] == ephemerals
    assert context.resolved_packages == tuple(
        VariantHandle.from_dict(h)
        for h in json.loads((DATA / name).read_text())["resolved_packages"]
    )
    assert all(h.location == "/tmp/rxt-fixture/packages" for h in context.resolved_packages)
    graph = context.resolve_graph()
    assert graph is not None
    assert graph.nodes
    # Written back, the file says what Rez's said (the graph string included).
    original = json.loads((DATA / name).read_text())
    assert context.to_dict() == original


def test_reads_rez_filters_and_locks() -> None:
    context = load_context(DATA / "rez-filtered.rxt")
    assert context.package_filter.to_pod() == [
        {"excludes": ["glob(python-2.7*)"], "includes": ["range(python-2.7.0)"]}
    ]
    assert context.timestamp == context.requested_timestamp == 5000
    assert str(context.implicit_packages[0]).startswith("~platform==")
    assert context.requested_packages(include_implicit=True)[0] == Requirement("python")
    failed = load_context(DATA / "rez-failed.rxt")
    assert failed.failure_description == (
        "The following package conflicts occurred: (.eek-1 <--!--> .eek-3+)"
    )
    assert not failed.written_by_newer_format


def _rez_dict(name: str = "rez-solved.rxt") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text())
    return data


def test_older_versions_get_rez_defaults() -> None:
    data = _rez_dict()
    for key in (
        "requested_timestamp",
        "parent_suite_path",
        "default_patch_lock",
        "from_cache",
        "package_filter",
        "package_orderers",
        "num_loaded_packages",
        "append_sys_path",
        "package_caching",
        "resolved_ephemerals",
        "package_cache_async",
        "testing",
    ):
        del data[key]
    data["serialize_version"] = "4.0"
    context = ContextFile.from_dict(data)
    assert context.num_loaded_packages == -1
    assert context.resolved_ephemerals == ()
    assert context.requested_timestamp is None
    assert context.package_orderers is None
    assert set(context.to_dict()) == RXT_KEYS
    assert context.to_dict()["serialize_version"] == "4.9"


def test_a_newer_major_version_is_read() -> None:
    data = {**_rez_dict(), "serialize_version": "5.0"}
    assert ContextFile.from_dict(data).written_by_newer_format


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"serialize_version": "3.2"}, "too old"),
        ({"serialize_version": "x"}, "invalid serialize_version"),
        ({"status": "happy"}, "invalid 'status'"),
        ({"package_requests": "foo"}, "'package_requests' must be a list"),
        ({"package_requests": ["foo-<<"]}, "'package_requests'"),
        ({"resolved_packages": [{"key": "x"}]}, "invalid variant handle"),
        ({"package_filter": [{"excludes": ["bogus(x)"]}]}, "invalid 'package_filter'"),
        ({"package_orderers": [{"type": "nope"}]}, "invalid 'package_orderers'"),
        ({"patch_locks": {"foo": "lock_9"}}, "invalid 'patch_locks'"),
        ({"created": "yesterday"}, "invalid 'created'"),
    ],
)
def test_invalid_files(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ContextFileError, match=message):
        ContextFile.from_dict({**_rez_dict(), **change}, source="x.rxt")


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ContextFileError, match="cannot read context file"):
        load_context(tmp_path / "missing.rxt")
    (tmp_path / "a.rxt").write_text("resolved_packages: []\n")
    with pytest.raises(ContextFileError, match="not a JSON context"):
        load_context(tmp_path / "a.rxt")
    (tmp_path / "b.rxt").write_text("{nope")
    with pytest.raises(ContextFileError, match="invalid JSON"):
        load_context(tmp_path / "b.rxt")
    (tmp_path / "c.rxt").write_text("{}")
    with pytest.raises(ContextFileError, match="missing 'serialize_version'"):
        load_context(tmp_path / "c.rxt")
    data = {**_rez_dict(), "graph": "digraph g { }"}
    with pytest.raises(ContextFileError, match="not a compact resolve graph"):
        ContextFile.from_dict(data).resolve_graph()
    assert dataclasses.replace(ContextFile.from_dict(data), graph="").resolve_graph() is None


def test_variant_handles() -> None:
    handle = VariantHandle("foo", "", None, "/repo")
    assert str(handle) == "foo[]"
    assert handle.key == "filesystem.variant"
    assert VariantHandle.from_dict(handle.to_dict()) == handle
    assert str(VariantHandle("foo", "1.0", 2, "/repo")) == "foo-1.0[2]"
