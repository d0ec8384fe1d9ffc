"""Wheels written in a temporary directory, and one real ``pip install --target`` of them."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.wheels import write_wheels

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="session")
def wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheels of :data:`tests.wheels.WHEELS`."""
    return write_wheels(tmp_path_factory.mktemp("wheels"))


@pytest.fixture(scope="session")
def pip_target(wheel_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``pip install --target`` of every test wheel (read-only for the tests)."""
    target = tmp_path_factory.mktemp("target")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(wheel_dir),
            f"--target={target}",
            "marked",
            "hello-cli",
            "fastmath",
            "chain-a",
        ],
        check=True,
        env={"PATH": "/usr/bin:/bin", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"},
    )
    return target
