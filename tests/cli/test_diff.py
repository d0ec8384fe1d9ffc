"""``pkg diff``: two packages compared by the real ``diff`` program, by their directories
or by their released git source (a real git repository in a temporary directory)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import write_package

from pkg.cli import main

Run = Callable[..., tuple[int, str, str]]

pytestmark = pytest.mark.skipif(shutil.which("diff") is None, reason="diff is not installed")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write_package(root, "foo", "1.0", "")
    write_package(root, "foo", "1.1", "requires = ['bar']\n")
    (root / "foo" / "1.1" / "extra.txt").write_text("data\n")
    write_package(root, "foo", "2.0", "requires = ['bar-2']\n")
    write_package(root, "bar", "1", "")
    write_package(root, "tool", "", "")
    return root


@pytest.fixture
def run(repo: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Run:
    monkeypatch.setenv("PKG_PACKAGES_PATH", str(repo))
    monkeypatch.setenv("PKG_DIFFTOOL", "diff")

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["diff", *args])
        out, err = capfd.readouterr()
        return code, out, err

    return invoke


def test_previous_version_by_default(run: Run, repo: Path) -> None:
    code, out, err = run("foo-2.0")
    assert (code, err) == (0, "")
    diff = shutil.which("diff")
    assert out.splitlines() == [
        f"Opening diff viewer {diff}...",
        f"Only in {repo}/foo/1.1: extra.txt",
        f"diff {repo}/foo/2.0/package.py {repo}/foo/1.1/package.py",
        "2,3c2,3",
        "< version = '2.0'",
        "< requires = ['bar-2']",
        "---",
        "> version = '1.1'",
        "> requires = ['bar']",
    ]


def test_two_packages_and_tool_arguments(
    run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PKG_DIFFTOOL", "diff -u --label old --label new")
    code, out, _ = run("foo-1.0", "bar-1")
    assert code == 0  # as with rez, the tool's status (1: differences) is not passed on
    assert out.splitlines()[2:] == [
        "--- old",
        "+++ new",
        "@@ -1,2 +1,2 @@",
        "-name = 'foo'",
        "-version = '1.0'",
        "+name = 'bar'",
        "+version = '1'",
    ]


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def released(repo: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    """``gp-1.0`` and ``gp-1.1`` released from two commits of a real git repository."""
    source = tmp_path / "source"
    source.mkdir()
    _git(source, "init", "--quiet")
    commits = []
    for version, text in (("1.0", "one\n"), ("1.1", "two\n")):
        (source / "code.txt").write_text(text)
        _git(source, "add", "code.txt")
        _git(source, "commit", "--quiet", "-m", version)
        commits.append(_git(source, "rev-parse", "HEAD"))
        revision = {"fetch_url": str(source), "commit": commits[-1], "branch": "main"}
        write_package(repo, "gp", version, f"vcs = 'git'\nrevision = {revision!r}\n")
    return source, commits


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_released_packages_compare_their_source(run: Run, released: tuple[Path, list[str]]) -> None:
    code, out, err = run("gp-1.1")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == ["Exporting gp-1.1...", "Exporting gp-1.0...", lines[2]]
    assert lines[2].startswith("Opening diff viewer ")
    match = re.fullmatch(r"diff (\S+)/gp-1\.1/code\.txt (\S+)/gp-1\.0/code\.txt", lines[3])
    assert match is not None
    assert lines[4:] == ["1c1", "< two", "---", "> one"]  # no .git, no package.py
    assert not Path(match.group(1)).exists()  # the exports are removed afterwards


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_released_with_unreleased_compares_directories(
    run: Run, repo: Path, released: tuple[Path, list[str]]
) -> None:
    write_package(repo, "gp", "0.9", "")
    code, out, _ = run("gp-1.0", "gp-0.9")
    assert code == 0
    assert "Exporting" not in out
    assert f"diff {repo}/gp/1.0/package.py {repo}/gp/0.9/package.py" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_unknown_commit_is_one_line(run: Run, repo: Path, released: tuple[Path, list[str]]) -> None:
    source, _ = released
    revision = {"fetch_url": str(source), "commit": "0" * 40}
    write_package(repo, "gp", "1.2", f"vcs = 'git'\nrevision = {revision!r}\n")
    code, out, err = run("gp-1.2")
    assert code == 1
    assert out == "Exporting gp-1.2...\n"
    assert err.startswith(f"pkg: error: cannot export gp-1.2 from {source}: ")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "difftool", "status", "message"),
    [
        (["foo-9"], "diff", 1, "package not found: foo-9"),
        (["foo"], "diff", 1, "package not found: foo"),  # exact: the unversioned 'foo'
        (["foo-1.0", "nope-1"], "diff", 1, "package not found: nope-1"),
        (["foo-1.0"], "diff", 1, "no package to diff with: foo-1.0 is the earliest version"),
        (["tool"], "diff", 1, "no package to diff with: tool is the earliest version"),
        (["foo-1.x.."], "diff", 1, "Invalid version '1.x..'"),
        (["foo-1.1"], "no-such-difftool", 1, "difftool 'no-such-difftool' not found"),
        (["foo-1.1"], "", 1, "no diff tool: the difftool setting is empty"),
    ],
)
def test_errors_are_one_line(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    difftool: str,
    status: int,
    message: str,
) -> None:
    monkeypatch.setenv("PKG_DIFFTOOL", difftool)
    code, out, err = run(*args)
    assert (code, out) == (status, "")
    assert err.startswith("pkg: error: ")
    assert message in err
    assert "Traceback" not in err
