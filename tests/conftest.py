"""Test isolation shared by the whole suite.

Every test runs with a throw-away ``HOME``, no ``PKG_*`` (or ``REZ_*``) variables from the
developer's shell, no home configuration, no colours and an 80-column terminal, so results
never depend on the machine the tests run on.  Subprocesses started by a test inherit the
same environment.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Pin the environment of each test; return the temporary home directory."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("PKG_", "REZ_")) or name in {"XDG_CONFIG_HOME", "XDG_CACHE_HOME"}:
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("PKG_DISABLE_HOME_CONFIG", "1")
    monkeypatch.setenv("REZ_DISABLE_HOME_CONFIG", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return home
