"""Small writable repositories for the tests of ``pkg cp/mv/rm/pkg-ignore`` and their API.

:func:`make_repos` writes two repositories under a directory:

``src``
    ``foo-1.0.0`` (variants ``python-2`` and ``python-3``, a file in each variant),
    ``foo-2.0`` (no variants, ``relocatable = False``), ``bar-2.0`` (no variants, a
    payload file and a relative symlink to it) and ``empty_family/`` (no version).
``dst``
    ``other-1.0``, so that it is not an empty repository.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pkg.config import Config, load_config
from pkg.packages import load_definition

if TYPE_CHECKING:
    from collections.abc import Mapping


def write_package(
    root: Path,
    family: str,
    version: str,
    body: str = "",
    files: Mapping[str, str] | None = None,
) -> Path:
    """Write ``root/family/version/package.py`` (``body`` after name and version) and the
    payload ``files`` (relative path -> text); returns the package directory."""
    directory = root / family / version if version else root / family
    directory.mkdir(parents=True, exist_ok=True)
    head = f"name = {family!r}\n" + (f"version = {version!r}\n" if version else "")
    (directory / "package.py").write_text(head + body)
    for relative, text in (files or {}).items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return directory


@dataclass(frozen=True)
class Repos:
    src: Path
    dst: Path


def make_repos(base: Path) -> Repos:
    src, dst = base / "src", base / "dst"
    write_package(
        src,
        "foo",
        "1.0.0",
        "relocatable = True\nvariants = [['python-2'], ['python-3']]\n",
        {"python-2/a.txt": "two\n", "python-3/b.txt": "three\n"},
    )
    write_package(src, "foo", "2.0", "relocatable = False\n")
    bar = write_package(src, "bar", "2.0", "timestamp = 1000\n", {"data.txt": "data\n"})
    os.symlink("data.txt", bar / "link.txt")
    (src / "empty_family").mkdir()
    write_package(dst, "other", "1.0")
    return Repos(src, dst)


def config_for(home: Path, *packages_path: Path) -> Config:
    """A configuration whose ``packages_path`` is ``packages_path`` (the first one local)."""
    overrides: dict[str, object] = {"packages_path": [str(p) for p in packages_path]}
    if packages_path:
        overrides["local_packages_path"] = str(packages_path[0])
    return load_config(environ={"PKG_DISABLE_HOME_CONFIG": "1"}, home=home, overrides=overrides)


def tree(root: Path) -> dict[str, str]:
    """Every entry under ``root`` -> a summary: ``dir``, ``link:<target>``, the package
    attributes of a definition (without ``timestamp``), or a file's text.  Lock files of
    the repository layer (``.lock.*``) are left out."""
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            relative = os.path.relpath(path, root)
            if name.startswith(".lock"):
                continue
            if os.path.islink(path):
                found[relative] = "link:" + os.readlink(path)
            elif os.path.isdir(path):
                found[relative] = "dir"
            elif name in ("package.py", "package.yaml"):
                data = dict(load_definition(Path(path)).data)
                data.pop("timestamp", None)
                found[relative] = repr(sorted((k, repr(v)) for k, v in data.items()))
            else:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    found[relative] = handle.read()
    return found


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run_pkg(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    """Run ``pkg ARGS...`` in-process through :func:`pkg.cli.main`."""
    from pkg.cli import main

    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@pytest.fixture
def cli_repos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repos:
    """:func:`make_repos` under ``tmp_path``, with ``packages_path`` = src, dst (src local)."""
    repos = make_repos(tmp_path)
    monkeypatch.setenv("PKG_PACKAGES_PATH", os.pathsep.join([str(repos.src), str(repos.dst)]))
    monkeypatch.setenv("PKG_LOCAL_PACKAGES_PATH", str(repos.src))
    return repos
