"""Quality gates: the whole tree is ruff-clean, ruff-formatted and passes ``mypy --strict``.

The tools run as subprocesses of the current interpreter from the repository root, with
their configuration from ``pyproject.toml``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

GATES = {
    "ruff check": ["-m", "ruff", "check", "--no-cache", "."],
    "ruff format": ["-m", "ruff", "format", "--check", "--no-cache", "."],
    "mypy": ["-m", "mypy"],
}


@pytest.mark.parametrize("gate", sorted(GATES))
def test_gate_is_clean(gate: str) -> None:
    result = subprocess.run(
        [sys.executable, *GATES[gate]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, f"{gate} failed:\n{result.stdout}{result.stderr}"
