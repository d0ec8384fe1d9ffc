"""Fixtures for the command-line tests.

Test-only commands are attached to the real root group with :func:`add_command` and
removed again after the test; no real subcommand is ever registered by a test.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from pkg.cli import cli

if TYPE_CHECKING:
    from collections.abc import Callable

    import rich_click as click


@pytest.fixture
def runner() -> CliRunner:
    """A ``CliRunner`` that lets unexpected exceptions escape (so a test sees the bug)."""
    return CliRunner(catch_exceptions=False)


@pytest.fixture
def add_command(monkeypatch: pytest.MonkeyPatch) -> Callable[[click.Command], click.Command]:
    """Attach a test-only command to the root group for the duration of the test."""

    def add(command: click.Command) -> click.Command:
        assert command.name is not None
        monkeypatch.setitem(cli.commands, command.name, command)
        return command

    return add


def _pkg_script() -> list[str]:
    scripts = Path(sys.executable).parent
    for candidate in (scripts / "pkg", scripts / "pkg.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    found = shutil.which("pkg")
    if found is not None:
        return [found]
    return [sys.executable, "-c", "import sys; from pkg.cli import main; sys.exit(main())"]


@pytest.fixture(scope="session")
def pkg_script() -> list[str]:
    """The argv prefix that runs the installed ``pkg`` console script."""
    return _pkg_script()
