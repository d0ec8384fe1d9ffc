"""``pkg mv`` end to end (in-process through ``pkg.cli.main``): messages and exit codes."""

from __future__ import annotations

import pytest
from tests.repo_ops_data import Repos, cli_repos, run_pkg, write_package

__all__ = ["cli_repos"]

Capsys = pytest.CaptureFixture[str]


def test_move(cli_repos: Repos, capsys: Capsys) -> None:
    src, dst = cli_repos.src, cli_repos.dst
    result = run_pkg(capsys, "mv", "bar-2.0", str(src), "-d", str(dst), "-k")
    assert (result.code, result.out, result.err) == (0, "", "")
    assert (src / "bar/.ignore2.0").exists()
    assert "timestamp = 1000" in (dst / "bar/2.0/package.py").read_text()
    again = run_pkg(capsys, "mv", "bar-2.0", str(src), "--dest-path", str(dst))
    assert (again.code, again.err) == (1, "pkg: error: Package not found.\n")


def test_verbose(cli_repos: Repos, capsys: Capsys) -> None:
    src, dst = cli_repos.src, cli_repos.dst
    result = run_pkg(capsys, "mv", "-v", "bar-2.0", str(src), "-d", str(dst))
    assert result.out == ""
    assert result.err == f"Package {src}/bar/2.0/package.py moved to {dst}/bar/2.0/package.py\n"


def test_force_and_existing_destination(cli_repos: Repos, capsys: Capsys) -> None:
    src, dst = str(cli_repos.src), str(cli_repos.dst)
    refused = run_pkg(capsys, "mv", "foo-2.0", src, "-d", dst)
    assert refused.code == 1
    assert "non-relocatable" in refused.err
    assert run_pkg(capsys, "mv", "foo-2.0", src, "-d", dst, "--force").code == 0
    write_package(cli_repos.src, "other", "1.0")
    exists = run_pkg(capsys, "mv", "other-1.0", src, "-d", dst)
    assert exists.code == 1
    assert "already exists at destination" in exists.err


def test_without_path_lists_the_repositories(cli_repos: Repos, capsys: Capsys) -> None:
    write_package(cli_repos.dst, "bar", "2.0")
    result = run_pkg(capsys, "mv", "bar-2.0", "-d", "/nowhere")
    assert result.code == 0
    assert result.out == (
        "No action taken. Run again, and set PATH to one of:\n"
        f"filesystem@{cli_repos.src}\nfilesystem@{cli_repos.dst}\n"
    )
    missing = run_pkg(capsys, "mv", "bar-7", "-d", "/nowhere")
    assert (missing.code, missing.out, missing.err) == (1, "", "pkg: error: Package not found.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["bar-2.0"], "Missing option '-d' / '--dest-path'"), ([], "Missing argument 'PKG'")],
)
def test_usage_errors(cli_repos: Repos, capsys: Capsys, args: list[str], message: str) -> None:
    result = run_pkg(capsys, "mv", *args)
    assert result.code == 2
    assert message in result.err


def test_bad_version(cli_repos: Repos, capsys: Capsys) -> None:
    result = run_pkg(capsys, "mv", "bar-1+", str(cli_repos.src), "-d", str(cli_repos.dst))
    assert result.code == 1
    assert result.err.startswith("pkg: error: Invalid version")
