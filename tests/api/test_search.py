"""pkg.api.search: kinds, ranges, latest, time filters, broken definitions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.api.search import format_result, nonlocal_paths, search
from pkg.config import load_config

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config


@pytest.fixture
def config(repo: Path, tmp_path: Path) -> Config:
    return load_config(
        environ={"PKG_DISABLE_HOME_CONFIG": "1", "PKG_PACKAGES_PATH": str(repo)},
        home=tmp_path,
    )


@pytest.mark.parametrize(
    ("request_", "kind", "names"),
    [
        (None, "family", ["bar", "bar_plugin", "baz", "broken", "cmake", "foo", "python", "tool"]),
        ("b*", "family", ["bar", "bar_plugin", "baz", "broken"]),
        ("foo", "package", ["foo-1.0", "foo-1.1", "foo-2.0"]),
        ("foo-1", "package", ["foo-1.0", "foo-1.1"]),
        ("foo>1.0", "package", ["foo-1.1", "foo-2.0"]),
        ("py*-3.10+", "package", ["python-3.11"]),
        ("tool", "package", ["tool"]),
        ("nothing*", "family", []),
        ("p*-3.10+", "package", ["python-3.11"]),
        ("foo-1+<<", "family", []),  # not a range: the whole text is the glob
    ],
)
def test_auto_kind(config: Config, request_: str | None, kind: str, names: list[str]) -> None:
    found = search(request_, config)
    assert found.kind == kind
    assert [r.name for r in found.results] == names


def test_variants_and_latest(config: Config) -> None:
    found = search("foo", config, kind="variant")
    assert [r.name for r in found.results] == ["foo-1.0[]", "foo-1.1[]", "foo-2.0[0]", "foo-2.0[1]"]
    latest = search("*", config, kind="package", latest=True)
    assert "foo-2.0" in [r.name for r in latest.results]
    assert "foo-1.0" not in [r.name for r in latest.results]


@pytest.mark.parametrize(
    ("after", "before", "names"),
    [
        (0, 0, ["foo-1.0", "foo-1.1", "foo-2.0"]),
        (2000, 0, ["foo-1.1", "foo-2.0"]),
        (0, 2000, ["foo-1.0"]),
        (1500, 2500, ["foo-1.1"]),
    ],
)
def test_time_filters(config: Config, after: int, before: int, names: list[str]) -> None:
    found = search("foo", config, after=after, before=before)
    assert [r.name for r in found.results] == names


def test_broken_definitions_are_listed_and_reported(config: Config) -> None:
    found = search("broken", config)
    assert [(r.name, r.resource is None) for r in found.results] == [
        ("broken-0.9", False),
        ("broken-1.0", True),
    ]
    assert [r.name for r in search("broken", config, kind="variant").results] == ["broken-0.9[]"]
    assert len(found.load_errors) == 1
    assert "broken/1.0/package.py" in str(found.load_errors[0])
    validated = search("broken", config, validate=True)
    assert [(r.name, r.error is not None) for r in validated.results] == [
        ("broken-0.9", False),
        ("broken-1.0", True),
    ]


def test_format_result(config: Config) -> None:
    found = search("foo-2", config, kind="variant")
    lines = format_result(found.results[0], "{q} {i}\\n{requires}|{variants}|{nope}")
    assert lines == [
        "foo-2.0[0] 0",
        "bar python-3.9|[PackageRequest('python-3.9')] [PackageRequest('python-3.11')]|{nope}",
    ]
    family = search(None, config).results[0]
    assert format_result(family, "{q}") == ["bar"]


def test_no_local(config: Config, repo: Path, tmp_path: Path) -> None:
    local = load_config(
        environ={
            "PKG_DISABLE_HOME_CONFIG": "1",
            "PKG_PACKAGES_PATH": str(repo),
            "PKG_LOCAL_PACKAGES_PATH": str(repo),
        },
        home=tmp_path,
    )
    assert nonlocal_paths(local) == []
    assert search(None, local, no_local=True).results == []
    assert search(None, local).results


def test_validate_reports_what_is_checked_on_use(config: Config, repo: Path) -> None:
    old = repo / "oldcmds" / "1"
    old.mkdir(parents=True)
    (old / "package.py").write_text("name = 'oldcmds'\nversion = '1'\ncommands = ['export A=1']\n")
    assert [r.name for r in search("oldcmds", config).results] == ["oldcmds-1"]
    validated = search("oldcmds", config, validate=True).results
    assert validated[0].error is not None
    assert "old-style" in validated[0].error
