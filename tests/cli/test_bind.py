"""``pkg bind``: flags, output and exit codes, like ``rez-bind``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pkg.bind import get_bind_modules, system_facts
from pkg.cli import main
from pkg.config import load_config

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capfd: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["bind", *args])
        out, err = capfd.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def python_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``PATH`` holds only a ``python`` (the running interpreter) and the system dirs."""
    directory = tmp_path / "bin"
    directory.mkdir()
    os.symlink(sys.executable, directory / "python")
    monkeypatch.setenv("PATH", os.pathsep.join([str(directory), "/usr/bin", "/bin"]))
    return directory


def test_list(run: Run) -> None:
    code, out, _err = run("-l")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["PACKAGE      BIND MODULE", "-------      -----------"]
    modules = get_bind_modules()
    assert lines[2:] == [f"{name:<11}  {path}" for name, path in modules.items()]


def test_search(run: Run) -> None:
    bind_dir = str(Path(get_bind_modules()["python"]).parent)
    assert run("-s", "python") == (0, f"searching {bind_dir}...\n", "")
    code, out, _err = run("-s", "pyth")
    assert code == 0
    assert out.splitlines()[1:] == [
        "'pyth' not found. Close matches:",
        f"python  {get_bind_modules()['python']}",
    ]
    assert run("-s", "zzzzzz")[1].splitlines()[1:] == ["No matches."]


def test_pkg_required(run: Run) -> None:
    code, _out, err = run()
    assert code == 2
    assert "PKG required." in err


def test_unknown_package(run: Run, tmp_path: Path) -> None:
    code, out, err = run("-i", str(tmp_path / "repo"), "nosuch")
    assert code == 1
    assert out.splitlines()[-1] == "No matches."
    assert err == "pkg: error: Bind module not found for 'nosuch'\n"
    assert not (tmp_path / "repo").exists()


def test_bind_into_install_path(run: Run, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    code, out, err = run("-i", str(repo), "hello_world")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1] == f"creating package 'hello_world' in {repo}..."
    assert lines[2:] == [
        "The following packages were installed:",
        "",
        "PACKAGE      URI",
        "-------      ---",
        f"hello_world  {repo}/hello_world/1.0/package.py",
    ]
    code, out, err = run("-i", str(repo), "hello_world")
    assert code == 0
    assert "The following packages" not in out
    assert "Skipping installation: Package variant already exists: " in err
    assert f"{repo}/hello_world/1.0/package.py[]" in err


def test_dependencies(run: Run, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    code, out, _err = run("-i", str(repo), "os")
    assert code == 0
    system = system_facts(load_config())
    assert out.splitlines()[-3:] == [
        f"arch      {repo}/arch/{system.arch}/package.py",
        f"os        {repo}/os/{system.os}/package.py",
        f"platform  {repo}/platform/{system.platform}/package.py",
    ]
    other = tmp_path / "other"
    code, out, _err = run("-i", str(other), "--no-deps", "os")
    assert code == 0
    assert out.splitlines()[-1] == f"os       {other}/os/{system.os}/package.py"
    assert sorted(os.listdir(other)) == [".lock.os", "os"]


def test_release_and_local_paths(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    local, release = tmp_path / "local", tmp_path / "release"
    monkeypatch.setenv("PKG_LOCAL_PACKAGES_PATH", str(local))
    monkeypatch.setenv("PKG_RELEASE_PACKAGES_PATH", str(release))
    assert run("platform")[0] == 0
    assert (local / "platform").is_dir()
    assert run("-r", "-i", str(tmp_path / "ignored"), "arch")[0] == 0
    assert (release / "arch").is_dir()
    assert not (tmp_path / "ignored").exists()


def test_out_of_range(run: Run, tmp_path: Path) -> None:
    code, _out, err = run("-i", str(tmp_path / "repo"), "platform-nosuchplatform")
    assert code == 1
    platform = system_facts(load_config()).platform
    assert err == (
        f"pkg: error: cannot bind 'platform': found version {platform} is not within "
        "range nosuchplatform\n"
    )
    assert not (tmp_path / "repo").exists()


def test_bad_request(run: Run) -> None:
    code, _out, err = run("python-<<1")
    assert code == 1
    assert err.startswith("pkg: error: Invalid package request 'python-<<1'")


def test_module_arguments(run: Run, tmp_path: Path) -> None:
    """Everything after PKG goes to the bind module, flags included."""
    code, out, _err = run("-i", str(tmp_path), "python", "-h")
    assert code == 0
    assert "usage: pkg bind python [-h] [--exe PATH] [--copy-builtins]" in out
    code, _out, err = run("-i", str(tmp_path / "repo"), "python", "--no-deps")
    assert code == 2
    assert err == "pkg: error: pkg bind python: unrecognized arguments: --no-deps\n"
    code, out, _err = run(
        "-i", str(tmp_path / "repo"), "--no-deps", "python", "--exe", sys.executable
    )
    assert code == 0
    assert out.splitlines()[-1].startswith("python  ")


def test_quickstart(run: Run, tmp_path: Path, python_path: Path) -> None:
    repo = tmp_path / "repo"
    code, out, _err = run("--quickstart", "-i", str(repo))
    assert code == 0
    lines = out.splitlines()
    order = ["platform", "arch", "os", "python", "setuptools", "pip"]
    assert lines[:6] == [f"Binding {name} into {repo}..." for name in order]
    assert lines[6:9] == [
        "",
        "Successfully converted the following software found on the current system into packages:",
        "",
    ]
    assert [line.split()[0] for line in lines[11:17]] == sorted(order)
    assert lines[-2:] == [
        "To bind other software, see what's available using the command 'pkg bind --list', "
        "then run 'pkg bind <name>'.",
        "",
    ]


def test_registered_command(pkg_script: list[str]) -> None:
    """``pkg bind`` is reachable from the installed console script."""
    done = subprocess.run([*pkg_script, "bind", "-l"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "PACKAGE      BIND MODULE"
