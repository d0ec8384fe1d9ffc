"""``pkg rm`` end to end (in-process through ``pkg.cli.main``): messages and exit codes."""

from __future__ import annotations

import subprocess
import time

import pytest
from tests.repo_ops_data import Repos, cli_repos, run_pkg

__all__ = ["cli_repos"]

Capsys = pytest.CaptureFixture[str]


def test_remove_package(cli_repos: Repos, capsys: Capsys) -> None:
    src = str(cli_repos.src)
    assert run_pkg(capsys, "pkg-ignore", "bar-2.0", src).code == 0
    result = run_pkg(capsys, "rm", "-p", "bar-2.0", src)
    assert (result.code, result.out) == (0, "Package removed.\n")
    assert not (cli_repos.src / "bar/2.0").exists()
    again = run_pkg(capsys, "rm", "--package", "bar-2.0", src)
    assert (again.code, again.out, again.err) == (1, "", "pkg: error: Package not found.\n")


def test_remove_family(cli_repos: Repos, capsys: Capsys) -> None:
    src = str(cli_repos.src)
    result = run_pkg(capsys, "rm", "-f", "empty_family", src)
    assert (result.code, result.out) == (0, "Package family removed.\n")
    missing = run_pkg(capsys, "rm", "--family", "empty_family", src)
    assert (missing.code, missing.err) == (1, "pkg: error: Package family not found.\n")
    full = run_pkg(capsys, "rm", "-f", "foo", src)
    assert full.code == 1
    assert "annot remove non-empty package family 'foo'" in full.err
    forced = run_pkg(capsys, "rm", "-f", "foo", "--force-family", src)
    assert (forced.code, forced.out) == (0, "Package family removed.\n")
    assert not (cli_repos.src / "foo").exists()


def test_remove_ignored_since(
    cli_repos: Repos, capsys: Capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = str(cli_repos.src)
    run_pkg(capsys, "pkg-ignore", "bar-2.0", src)
    run_pkg(capsys, "pkg-ignore", "foo-7", src, "-a")
    none = run_pkg(capsys, "rm", "-i", "1", src)
    assert (none.code, none.out) == (0, "No packages were removed.\n")
    dry = run_pkg(capsys, "rm", "--ignored-since", "0", "--dry-run", "-v")
    assert (dry.code, dry.out) == (0, "2 packages would be removed.\n")
    assert dry.err.splitlines() == [
        f"Searching filesystem@{src}...",
        f"Searching filesystem@{cli_repos.dst}...",
        f"Would remove bar-2.0 from filesystem@{src}",
        f"Would remove foo-7 from filesystem@{src}",
    ]
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 2 * 86400)
    done = run_pkg(capsys, "rm", "-i", "2", src, "-v")
    assert (done.code, done.out) == (0, "1 packages were removed.\n")
    assert f"Removed bar-2.0 from filesystem@{src}" in done.err
    assert not (cli_repos.src / "bar/2.0").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Must specify either --package or --ignored-since"),
        (["/repo"], "Must specify either --package or --ignored-since"),
        (["-p", "foo-1", "--dry-run", "/repo"], "--dry-run is not supported with --package"),
        (["-p", "foo-1"], "Must specify PATH with --package"),
        (["-f", "foo", "--dry-run", "/repo"], "--dry-run is not supported with --family"),
        (["-f", "foo"], "Must specify PATH with --family"),
        (["-f", "foo-1", "/repo"], "Expected package name, not version"),
        (
            ["-p", "foo-1", "-f", "foo"],
            "argument -f/--family: not allowed with argument -p/--package",
        ),
        (["-p", "foo-1", "-i", "3"], "not allowed with argument -p/--package"),
        (["-f", "foo", "-i", "3"], "argument -i/--ignored-since: not allowed with argument -f"),
        (["--force-family", "/repo"], "--force-family needs the family"),
        (["-i", "x"], "'x' is not a valid integer"),
    ],
)
def test_usage_errors(capsys: Capsys, args: list[str], message: str) -> None:
    result = run_pkg(capsys, "rm", *args)
    assert result.code == 2
    assert "Usage: pkg rm" in result.err
    assert message in " ".join(result.err.replace("│", " ").split())


def test_in_a_real_process(cli_repos: Repos, pkg_script: list[str]) -> None:
    src = str(cli_repos.src)
    ok = subprocess.run(
        [*pkg_script, "rm", "-f", "empty_family", src], capture_output=True, text=True, check=False
    )
    assert (ok.returncode, ok.stdout) == (0, "Package family removed.\n")
    missing = subprocess.run(
        [*pkg_script, "rm", "-p", "nope-1", src], capture_output=True, text=True, check=False
    )
    assert (missing.returncode, missing.stderr) == (1, "pkg: error: Package not found.\n")
    usage = subprocess.run([*pkg_script, "rm"], capture_output=True, text=True, check=False)
    assert usage.returncode == 2
