"""A small repository and an empty package cache, with the settings that let tmp
directories be cached (same disk device, and ``tmpdir`` elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.conftest import write_package

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

PACKAGES = [
    (
        "foo",
        "1.0",
        """
        cachable = True
        variants = [["bar"]]

        def commands():
            env.FOO_ROOT_SEEN = "{root}"
        """,
    ),
    ("bar", "2.0", "cachable = True\n"),
    ("nocache", "1.0", "cachable = False\n"),
    ("plain", "1.0", ""),
    ("reloc", "1.0", "relocatable = True\n"),
    ("unversioned", "", "cachable = True\n"),
]


@dataclass(frozen=True)
class Setup:
    repo: Path
    cache: Path

    def uri(self, name: str, version: str = "", index: str = "") -> str:
        """The variant uri of a package of :data:`PACKAGES`."""
        base = self.repo / name / version if version else self.repo / name
        return f"{base / 'package.py'}[{index}]"


def make_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    """Write the repository, create the cache and point the PKG_* settings at them."""
    repo = tmp_path / "repo"
    for family, version, body in PACKAGES:
        write_package(repo, family, version, body)
    (repo / "foo" / "1.0" / "bar").mkdir()
    (repo / "foo" / "1.0" / "bar" / "data.txt").write_text("payload\n")
    (repo / "bar" / "2.0" / "bin").mkdir()
    (repo / "bar" / "2.0" / "bin" / "tool").write_text("#!/bin/sh\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for name, value in {
        "PKG_PACKAGES_PATH": str(repo),
        "PKG_CACHE_PACKAGES_PATH": str(cache),
        "PKG_PACKAGE_CACHE_SAME_DEVICE": "1",
        "PKG_TMPDIR": str(scratch),
        "PKG_IMPLICIT_PACKAGES_JSON": "[]",
    }.items():
        monkeypatch.setenv(name, value)
    return Setup(repo, cache)
