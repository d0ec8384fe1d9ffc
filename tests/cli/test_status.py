"""``pkg status``: the current context, its tools, and what a name is."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from tests.conftest import write_package

from pkg.cli import main

if TYPE_CHECKING:
    from pathlib import Path

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    write_package(root, "bar", "1", "tools = ['barbie']\n")
    write_package(root, "bar", "2", "")
    write_package(root, "foo", "1.0", "requires = ['bar-1']\ntools = ['footool', 'fooctl']\n")
    write_package(root, "clash", "1", "tools = ['fooctl']\n")
    tool = root / "foo" / "1.0" / "bin" / "footool"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PKG_PACKAGES_PATH", str(root))
    monkeypatch.setenv("PKG_LOCAL_PACKAGES_PATH", str(tmp_path / "local"))
    monkeypatch.setenv("PKG_IMPLICIT_PACKAGES_JSON", "[]")
    return root


@pytest.fixture
def run(repo: Path, capfd: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capfd.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def current(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``foo-1 clash`` saved by ``pkg env -o`` and made the current context."""
    path = tmp_path / "ctx.rxt"
    assert run("env", "foo-1", "clash", "-o", str(path))[0] == 0
    monkeypatch.setenv("REZ_RXT_FILE", str(path))
    return path


def test_outside_a_context(run: Run) -> None:
    assert run("status") == (
        0,
        "Using pkg v0.1.0\n\nNo active context.\n\nNo visible suites.\n",
        "",
    )
    assert run("status", "-t") == (1, "No matching tools.\n", "")


def test_in_a_context(run: Run, current: Path) -> None:
    assert run("status") == (
        0,
        f"Using pkg v0.1.0\n\nActive Context: {current}\n\nNo visible suites.\n",
        "",
    )


def test_tools(run: Run, current: Path) -> None:
    code, out, _ = run("status", "-t")
    assert code == 0
    assert out.splitlines() == [
        "TOOL     ALIASING  PACKAGE  SOURCE          ",
        "----     --------  -------  ------          ",
        "barbie   -         bar-1    active context  ",
        "fooctl   -         clash-1  active context  (in conflict)",
        "fooctl   -         foo-1.0  active context  (in conflict)",
        "footool  -         foo-1.0  active context  ",
    ]
    _, out, _ = run("status", "-t", "foot*")
    assert [line.split()[0] for line in out.splitlines()] == ["TOOL", "----", "footool"]
    assert run("status", "-t", "zz*") == (1, "No matching tools.\n", "")


def test_tool_object(run: Run, current: Path, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{repo}/foo/1.0/bin{os.pathsep}{os.environ['PATH']}")
    assert run("status", "footool") == (
        0,
        "'footool' is a tool in the active context:\n"
        "Tool:     footool\n"
        f"Context:  {current}\n"
        "Package:  foo-1.0\n\n",
        "",
    )


def test_package_objects(run: Run, current: Path, repo: Path) -> None:
    assert run("status", "bar") == (
        0,
        "'bar' is a package in the active context:\n"
        "Package:  bar-1\n"
        f"URI:      {repo}/bar/1/package.py[]\n"
        f"Context:  {current}\n\n",
        "",
    )
    assert run("status", "bar-2") == (
        0,
        "'bar' is a package. The latest version in the range '2' is:\n"
        "Package:  bar-2\n"
        f"URI:      {repo}/bar/2/package.py\n\n",
        "",
    )


def test_latest_package_outside_a_context(run: Run, repo: Path) -> None:
    code, out, _ = run("status", "foo")
    assert code == 0
    assert out.splitlines()[:2] == [
        "'foo' is a package. The latest version is:",
        "Package:  foo-1.0",
    ]


def test_context_file_and_unknown_objects(run: Run, current: Path) -> None:
    assert run("status", str(current)) == (
        0,
        f"'{current}' is a context. Use 'pkg context' for more information.\n\n",
        "",
    )
    assert run("status", "nothing-here") == (1, "pkg does not know what 'nothing-here' is\n", "")


def test_inside_a_pkg_env_shell(repo: Path, pkg_script: list[str]) -> None:
    script = " ".join(pkg_script)
    done = subprocess.run(
        [*pkg_script, "env", "foo-1", "--", "sh", "-c", f"{script} status; {script} status foo"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[2].startswith("Active Context: ")
    assert lines[2].endswith(".rxt")
    assert "'foo' is a package in the active context:" in lines
