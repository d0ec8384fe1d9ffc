"""Writing bound packages: atomic, under the family lock, never half-installed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.bind import BoundPackage
from pkg.bind._tools import rex_function
from pkg.bind._write import write_bound
from pkg.core import Version
from pkg.packages import load_definition
from pkg.repositories import FilesystemRepository

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config


def _payload(root: Path) -> None:
    (root / "bin").mkdir()
    (root / "bin" / "tool").write_text("#!/bin/sh\n")


def _failing(root: Path) -> None:
    (root / "half").write_text("written before the failure")
    raise OSError("disk full")


def test_writes_definition_and_payload(config: Config, repo: Path) -> None:
    bound = BoundPackage(
        "thing",
        Version("1.2"),
        {
            "tools": ["tool"],
            "variants": [["platform-linux"]],
            "commands": rex_function("commands", "env.PATH.append('{this.root}/bin')"),
        },
        _payload,
    )
    result = write_bound(bound, FilesystemRepository(repo, config))
    assert not result.skipped
    assert result.variant.root == str(repo / "thing" / "1.2" / "platform-linux")
    assert (repo / "thing" / "1.2" / "platform-linux" / "bin" / "tool").is_file()
    data = load_definition(repo / "thing" / "1.2" / "package.py").data
    assert data["variants"] == [["platform-linux"]]
    assert data["tools"] == ["tool"]
    assert (
        "env.PATH.append('{this.root}/bin')" in (repo / "thing" / "1.2" / "package.py").read_text()
    )
    again = write_bound(bound, FilesystemRepository(repo, config))
    assert again.skipped
    assert again.variant.uri == result.variant.uri


@pytest.mark.parametrize("variants", [None, [["platform-linux"]]])
def test_failed_payload_leaves_repository_unchanged(
    config: Config, repo: Path, variants: list[list[str]] | None
) -> None:
    data: dict[str, object] = {"variants": variants} if variants else {}
    write_bound(BoundPackage("other", Version("1"), {}), FilesystemRepository(repo, config))
    before = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if ".lock" not in p.name)
    with pytest.raises(OSError, match="disk full"):
        write_bound(
            BoundPackage("thing", Version("1.0"), data, _failing),
            FilesystemRepository(repo, config),
        )
    after = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if ".lock" not in p.name)
    assert after == before


def test_new_variant_joins_existing_package(config: Config, repo: Path) -> None:
    """A second system's variant is added to the package bound on the first."""
    for platform in ("linux", "osx"):
        bound = BoundPackage(
            "thing", Version("1"), {"variants": [[f"platform-{platform}"]]}, _payload
        )
        write_bound(bound, FilesystemRepository(repo, config))
    data = load_definition(repo / "thing" / "1" / "package.py").data
    assert data["variants"] == [["platform-linux"], ["platform-osx"]]
    assert (repo / "thing" / "1" / "platform-osx" / "bin" / "tool").is_file()
