"""Fixtures for the bind tests: a configuration, an empty repository, and a ``PATH``
whose ``python`` is the interpreter running the tests (so binds are deterministic)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import pytest

from pkg.config import load_config

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config


@pytest.fixture
def config() -> Config:
    return load_config()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository directory that does not exist yet."""
    return tmp_path / "packages"


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A directory holding ``python``, a symbolic link to the running interpreter."""
    directory = tmp_path / "bin"
    directory.mkdir()
    os.symlink(sys.executable, directory / "python")
    return directory


@pytest.fixture
def environ(bin_dir: Path) -> dict[str, str]:
    """The environment binds run in: only :func:`bin_dir` and the system directories on
    ``PATH`` (no cmake, no pip unless a test adds them)."""
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin"}
