"""Shared helpers for the rex tests: a default config and variants written to disk."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pytest

from pkg.config import Config, load_config
from pkg.packages import Package, RepositoryRef, Variant, load_definition
from pkg.rex import RexExecutor

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

#: The parent environment most tests run in.
PARENT = {"PATH": "/usr/bin:/bin", "HOME": "/home/u", "LANG": "C"}


@pytest.fixture(scope="session")
def config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    return load_config(environ={}, home=tmp_path_factory.mktemp("home"))


@pytest.fixture
def make_executor(config: Config) -> Callable[..., RexExecutor]:
    def make(
        parent: Mapping[str, str] | None = None,
        overrides: Mapping[str, object] | None = None,
        **kwargs: object,
    ) -> RexExecutor:
        cfg = config.with_overrides(overrides) if overrides else config
        environ = PARENT if parent is None else parent
        return RexExecutor(cfg, environ, pathsep=":", shebang=False, **kwargs)  # type: ignore[arg-type]

    return make


def write_variant(
    repo: Path, name: str, version: str, body: str, *, index: int | None = None
) -> Variant:
    """Write ``<repo>/<name>/<version>/package.py`` (``body`` after name and version)."""
    directory = repo / name / version
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "package.py"
    path.write_text(f"name = {name!r}\nversion = {version!r}\n" + textwrap.dedent(body))
    package = Package(load_definition(path), RepositoryRef("filesystem", str(repo)))
    return Variant(package, index)


@pytest.fixture
def variant_factory(tmp_path: Path) -> Callable[..., Variant]:
    def make(name: str, version: str, body: str = "", index: int | None = None) -> Variant:
        return write_variant(tmp_path / "repo", name, version, body, index=index)

    return make
