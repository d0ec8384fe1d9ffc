"""``pkg pip``: real ``pip install`` runs of local wheels (``-e --no-index --find-links``),
then the packages resolved with ``pkg env`` and their scripts run in the context."""

from __future__ import annotations

import doctest
import io
import os
import platform
import tarfile
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from tests.conftest import write_package
from tests.wheels import write_wheels

import pkg.cli.pip
from pkg.cli import main

if TYPE_CHECKING:
    from pathlib import Path

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = write_wheels(tmp_path_factory.mktemp("wheels"))
    _write_broken_sdist(directory)
    return directory


def _write_broken_sdist(directory: Path) -> None:
    """``broken-1.0.tar.gz``: an sdist whose ``setup.py`` fails."""
    setup = b"raise SystemExit('broken: this package cannot be built')\n"
    with tarfile.open(directory / "broken-1.0.tar.gz", "w:gz") as archive:
        for name, data in (
            ("broken-1.0/setup.py", setup),
            ("broken-1.0/PKG-INFO", b"Metadata-Version: 2.1\nName: broken\nVersion: 1.0\n"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with python-3.11, platform and arch packages, used as the local one."""
    root = tmp_path / "packages"
    write_package(root, "python", "3.11", "")
    write_package(root, "platform", "linux", "")
    write_package(root, "arch", platform.machine(), "")
    monkeypatch.setenv("PKG_PACKAGES_PATH", str(root))
    monkeypatch.setenv("PKG_LOCAL_PACKAGES_PATH", str(root))
    monkeypatch.setenv("PKG_RELEASE_PACKAGES_PATH", str(tmp_path / "released"))
    monkeypatch.setenv("PKG_IMPLICIT_PACKAGES_JSON", "[]")
    return root


@pytest.fixture
def run(repo: Path, wheels: Path, capfd: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str, pip: bool = True) -> tuple[int, str, str]:
        extra = ["-e", "--no-index", "--find-links", str(wheels)] if pip else []
        code = main([*args, *extra])
        out, err = capfd.readouterr()
        return code, out, err

    return invoke


def test_install_and_run_console_scripts(run: Run, repo: Path) -> None:
    code, out, err = run("pip", "-i", "hello-cli")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"Installed hello_cli-2.0.1 into {repo}/hello_cli/2.0.1/")
    assert lines[1:] == ["1 package(s) were installed."]
    assert "using pkg's own interpreter" in err
    package_py = (repo / "hello_cli" / "2.0.1" / "package.py").read_text()
    assert "pip_name = 'hello-cli (2.0.1)'" in package_py
    assert f"variants = [['platform-linux', 'arch-{platform.machine()}', 'python-3.11']]" in (
        package_py
    )
    code, out, err = run("env", "hello_cli", "--", "hello-cli", "a", "b", pip=False)
    assert (code, out) == (0, "hello from hello-cli a b\n"), err
    code, out, err = run("env", "hello_cli", "--", "hello-gui", pip=False)
    assert (code, out) == (0, "hello from hello-cli \n"), err
    # A second run skips the installed variant and leaves its files alone.
    script = next((repo / "hello_cli" / "2.0.1").glob("*/bin/hello-cli"))
    before = script.stat().st_mtime_ns
    code, out, err = run("pip", "-i", "hello-cli")
    assert code == 0, err
    assert out.splitlines()[0].startswith("Skipped hello_cli-2.0.1 (already installed in ")
    assert out.splitlines()[-1] == "1 package(s) were already installed."
    assert script.stat().st_mtime_ns == before


def test_dependency_chain(run: Run, repo: Path) -> None:
    code, out, err = run("pip", "-i", "chain-a")
    assert code == 0, err
    assert [line.split(" into ")[0] for line in out.splitlines()[:-1]] == [
        "Installed chain_a-1.0",
        "Installed chain_b-2.5",
        "Installed chain_c-3.1.4",
    ]
    assert "requires = ['chain_b-2']" in (repo / "chain_a" / "1.0" / "package.py").read_text()
    assert "requires = ['chain_c-3.1+']" in (repo / "chain_b" / "2.5" / "package.py").read_text()
    code, out, err = run(
        "env",
        "chain_a",
        "--",
        "python3",
        "-c",
        "import chain_a, chain_b, chain_c; print(chain_c.VERSION)",
        pip=False,
    )
    assert (code, out) == (0, "3.1.4\n"), err


def test_markers_compiled_and_dry_run(run: Run, repo: Path) -> None:
    code, out, err = run("pip", "--dry-run", "marked")
    assert code == 0, err
    assert out.splitlines() == [
        "Would install chain_c-3.1.4 [python-3.11] into " + str(repo),
        "Would install marked-0.3.rc1 [python-3.11, chain_c-3.1+<4] into " + str(repo),
        "Would install purelib-1.2.0 [python-3.11] into " + str(repo),
        "3 package(s) would be considered; nothing was installed.",
    ]
    assert _visible(repo) == ["arch", "platform", "python"]
    code, out, err = run("pip", "-i", "--no-deps", "fastmath")
    assert code == 0, err
    assert out.splitlines()[-1] == "1 package(s) were installed."
    text = (repo / "fastmath" / "1.0.post2" / "package.py").read_text()
    assert "is_pure_python = False" in text
    assert next((repo / "fastmath" / "1.0.post2").glob("*/python/fastmath/_speed.*.so"))


def test_prefix_and_release(run: Run, repo: Path, tmp_path: Path) -> None:
    code, _out, err = run("pip", "-i", "-p", str(tmp_path / "custom"), "--no-deps", "chain-a")
    assert code == 0, err
    assert _visible(tmp_path / "custom") == ["chain_a"]
    code, _out, err = run("pip", "-i", "-r", "--no-deps", "chain-c")
    assert code == 0, err
    assert _visible(tmp_path / "released") == ["chain_c"]


def test_no_matching_distribution(run: Run) -> None:
    code, out, err = run("pip", "-i", "no-such-thing")
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (
        "pkg: error: pip found no distribution matching 'no-such-thing' (check the name and "
        "version, and the index or --find-links given with -e)"
    )
    assert "  ERROR: No matching distribution found for no-such-thing" in err.splitlines()
    assert "Traceback" not in err


def test_sdist_that_fails_to_build(run: Run, wheels: Path) -> None:
    code, out, err = main_pip(run, str(wheels / "broken-1.0.tar.gz"), "--no-build-isolation")
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (
        f"pkg: error: pip could not build '{wheels / 'broken-1.0.tar.gz'}' from its source "
        "distribution; pip's output ends with the build's error (above)"
    )
    assert "broken: this package cannot be built" in err
    assert "Traceback (most recent call last)" not in err.split("pip's output ended with:")[0]


def main_pip(run: Run, source: str, *pip_args: str) -> tuple[int, str, str]:
    return run("pip", "-i", source, "-e", "--no-index", *pip_args, pip=False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pip", "hello-cli"), "expected one of: --install (or --dry-run)"),
        (
            ("pip", "-i", "--no-deps", "--min-deps", "x"),
            "--no-deps and --min-deps exclude each other",
        ),
        (("pip", "-i", "-r", "-p", "x", "y"), "-r/--release and -p/--prefix exclude each other"),
        (
            ("pip", "-i", "--python-version", "3..1", "x"),
            "--python-version '3..1' is not a version",
        ),
    ],
)
def test_usage_errors(run: Run, args: tuple[str, ...], message: str) -> None:
    code, _out, err = run(*args, pip=False)
    assert code != 0
    assert message in " ".join(err.split())
    assert "Traceback" not in err


def test_split_extra_doctest() -> None:
    result = doctest.testmod(pkg.cli.pip)
    assert (result.attempted, result.failed) == (2, 0)


def _visible(directory: Path) -> list[str]:
    """The entries of ``directory``, without hidden ones (family lock files)."""
    return sorted(name for name in os.listdir(directory) if not name.startswith("."))
