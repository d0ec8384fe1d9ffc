"""``pkg pkg-ignore`` end to end (in-process through ``pkg.cli.main``)."""

from __future__ import annotations

import pytest
from tests.repo_ops_data import Repos, cli_repos, run_pkg, write_package

__all__ = ["cli_repos"]

Capsys = pytest.CaptureFixture[str]

IGNORED = "Package is now ignored and will not be visible to resolves\n"
ALREADY_IGNORED = "No action taken - package was already ignored\n"
VISIBLE = "Package is now visible to resolves once more\n"
ALREADY_VISIBLE = "No action taken - package was already visible\n"
CHOOSE = "No action taken. Run again, and set PATH to one of:\n"


def test_ignore_and_unignore(cli_repos: Repos, capsys: Capsys) -> None:
    src = str(cli_repos.src)
    steps = [
        ([], IGNORED),
        ([], ALREADY_IGNORED),
        (["-u"], VISIBLE),
        (["--unignore"], ALREADY_VISIBLE),
    ]
    for flags, expected in steps:
        result = run_pkg(capsys, "pkg-ignore", "bar-2.0", src, *flags)
        assert (result.code, result.out) == (0, expected)


def test_missing_package(cli_repos: Repos, capsys: Capsys) -> None:
    src = str(cli_repos.src)
    for flags in ([], ["-u"]):
        result = run_pkg(capsys, "pkg-ignore", "bar-9", src, *flags)
        assert (result.code, result.out, result.err) == (1, "", "pkg: error: Package not found\n")
    allowed = run_pkg(capsys, "pkg-ignore", "bar-9", src, "-a")
    assert (allowed.code, allowed.out) == (0, IGNORED)
    assert (cli_repos.src / "bar/.ignore9").exists()
    again = run_pkg(capsys, "pkg-ignore", "bar-9", src, "--allow-missing")
    assert again.out == ALREADY_IGNORED


def test_without_path(cli_repos: Repos, capsys: Capsys) -> None:
    src, dst = cli_repos.src, cli_repos.dst
    write_package(dst, "bar", "2.0")
    listed = run_pkg(capsys, "pkg-ignore", "bar-2.0")
    assert listed.out == f"{CHOOSE}filesystem@{src}\nfilesystem@{dst}\n"
    only_dst = run_pkg(capsys, "pkg-ignore", "other-1.0")
    assert only_dst.out == f"{CHOOSE}filesystem@{dst}\n"
    missing = run_pkg(capsys, "pkg-ignore", "bar-9")
    assert (missing.code, missing.err) == (1, "pkg: error: Package not found.\n")
    every = run_pkg(capsys, "pkg-ignore", "bar-9", "-a")
    assert (every.code, every.out) == (0, f"{CHOOSE}filesystem@{src}\nfilesystem@{dst}\n")


def test_errors(capsys: Capsys) -> None:
    assert run_pkg(capsys, "pkg-ignore").code == 2
    bad = run_pkg(capsys, "pkg-ignore", "foo-1+", "/x")
    assert bad.code == 1
    assert bad.err.startswith("pkg: error: Invalid version")
