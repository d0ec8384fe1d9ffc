"""Finding the Python and pip of ``pkg pip`` (``pkg.api.pip.find_pip``) in rez-pip's order,
and the pip command line (``pkg.api.pip.pip_command``)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

from pkg.api.pip import PythonPip, find_pip, pip_command
from pkg.config import load_config
from pkg.core import Version

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config


def _python_package(root: Path, version: str, script: str) -> Path:
    """``python-<version>`` whose commands put ``bin/python<major.minor>`` on PATH."""
    base = root / "python" / version
    (base / "bin").mkdir(parents=True)
    exe = base / "bin" / f"python{Version(version).trim(2)}"
    exe.write_text(f"#!/bin/sh\n{script}\n")
    exe.chmod(0o755)
    (base / "package.py").write_text(
        f"name = 'python'\nversion = '{version}'\n"
        "def commands():\n    env.PATH.prepend('{root}/bin')\n"
    )
    return exe


def _config(root: Path) -> Config:
    return load_config(overrides={"packages_path": [str(root)], "implicit_packages": []})


def test_python_package_with_pip(tmp_path: Path) -> None:
    exe = _python_package(tmp_path, "3.11.4", f'exec {sys.executable} "$@"')
    warnings: list[str] = []
    found = find_pip(_config(tmp_path), warn=warnings.append)
    assert (found.executable, found.version, found.source) == (
        str(exe),
        Version("3.11.4"),
        "python",
    )
    assert found.pip_version.split(".")[0].isdigit()
    assert found.env is not None
    assert found.env["PATH"].startswith(str(exe.parent))
    assert warnings == []


def test_old_pip_falls_back_to_own_interpreter(tmp_path: Path) -> None:
    exe = _python_package(tmp_path, "3.11", "printf 18.1")
    warnings: list[str] = []
    found = find_pip(_config(tmp_path), warn=warnings.append)
    assert (found.executable, found.source, found.env) == (sys.executable, "fallback", None)
    assert found.version.trim(2) == Version(f"{sys.version_info[0]}.{sys.version_info[1]}")
    assert warnings[0] == f"{exe} has pip 18.1; pip >= 19 is needed"
    assert warnings[-1].startswith("no python/pip package with pip found; using pkg's own")


def test_missing_python_version_falls_back(tmp_path: Path) -> None:
    _python_package(tmp_path, "3.11", f'exec {sys.executable} "$@"')
    found = find_pip(_config(tmp_path), python_version="3.9", warn=lambda _m: None)
    assert found.source == "fallback"
    found = find_pip(_config(tmp_path), python_version="3.11.2", warn=lambda _m: None)
    assert found.source == "python"


def test_no_python_package(tmp_path: Path) -> None:
    warnings: list[str] = []
    found = find_pip(_config(tmp_path), warn=warnings.append)
    assert found.source == "fallback"
    assert warnings[0] == "found no python package"


_PY = PythonPip("/py", Version("3.11"), "24.0", None, "fallback")


@pytest.mark.parametrize(
    ("extra", "no_deps", "expected"),
    [
        ((), False, ["--use-pep517", "--target=/t", "foo"]),
        ((), True, ["--use-pep517", "--target=/t", "--no-deps", "foo"]),
        (
            ("--no-use-pep517", "--no-deps"),
            True,
            ["--target=/t", "--no-use-pep517", "--no-deps", "foo"],
        ),
        (("-t", "/mine"), False, ["--use-pep517", "-t", "/mine", "foo"]),
        (("--target=/mine",), False, ["--use-pep517", "--target=/mine", "foo"]),
    ],
)
def test_pip_command(extra: tuple[str, ...], no_deps: bool, expected: list[str]) -> None:
    argv = pip_command(_PY, "foo", "/t", extra, no_deps=no_deps)
    assert list(argv) == ["/py", "-m", "pip", "install", *expected]
