"""Fixtures for repository tests: a config, an index directory and a package writer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import pytest

from pkg.config import Config, load_config
from pkg.repositories import FilesystemRepository

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path


class Writer(Protocol):
    def __call__(
        self, family: str, version: str = "1.0", body: str = "", *, root: Path | None = None
    ) -> Path: ...


class RepoMaker(Protocol):
    def __call__(self, root: Path | None = None, **kwargs: object) -> FilesystemRepository: ...


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def make_config(home: Path, overrides: Mapping[str, object] | None = None) -> Config:
    return load_config(
        environ={"PKG_DISABLE_HOME_CONFIG": "1"}, home=home, overrides=overrides or {}
    )


@pytest.fixture
def config(home: Path) -> Config:
    return make_config(home)


@pytest.fixture
def repo_dir(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    return path


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def package_py(family: str, version: str, body: str = "") -> str:
    head = f"name = {family!r}\n" + (f"version = {version!r}\n" if version else "")
    return head + body


@pytest.fixture
def write(repo_dir: Path) -> Writer:
    """Write ``<root>/<family>/<version>/package.py`` (unversioned when version is "")."""

    def write(
        family: str, version: str = "1.0", body: str = "", *, root: Path | None = None
    ) -> Path:
        base = (root or repo_dir) / family
        directory = base / version if version else base
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "package.py"
        path.write_text(package_py(family, version, body))
        return path

    return write


@pytest.fixture
def make_repo(repo_dir: Path, config: Config, index_dir: Path) -> RepoMaker:
    def make(root: Path | None = None, **kwargs: object) -> FilesystemRepository:
        options: dict[str, object] = {"index_dir": index_dir}
        options.update(kwargs)
        return FilesystemRepository(root or repo_dir, config, **options)  # type: ignore[arg-type]

    return make


def versions(repo: FilesystemRepository, family: str) -> list[str]:
    return [str(p.version) for p in repo.iter_packages(family)]
