"""Helpers for config tests: every load gets an explicit environment and home."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import pytest

from pkg.config import Config, load_config

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path


class Loader(Protocol):
    def __call__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        files: Mapping[str, str] | None = None,
        home_config: str | None = None,
        overrides: Mapping[str, object] | None = None,
    ) -> Config: ...


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def load(tmp_path: Path, home: Path) -> Loader:
    """Load a config from TOML ``files`` (named, listed in PKG_CONFIG_FILE in order),
    an optional home config, ``env`` and ``overrides``; nothing from the real machine."""
    import os

    def _load(
        *,
        env: Mapping[str, str] | None = None,
        files: Mapping[str, str] | None = None,
        home_config: str | None = None,
        overrides: Mapping[str, object] | None = None,
    ) -> Config:
        environ = {"PATH": os.environ.get("PATH", "")}
        paths = []
        for name, text in (files or {}).items():
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        if paths:
            environ["PKG_CONFIG_FILE"] = os.pathsep.join(paths)
        if home_config is not None:
            (home / ".pkgconfig.toml").write_text(home_config, encoding="utf-8")
        environ.update(env or {})
        return load_config(environ=environ, home=home, overrides=overrides)

    return _load
