"""``pkg test``: the command, run as a real process on packages whose tests are real shell
commands."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from tests.conftest import write_package

if TYPE_CHECKING:
    from pathlib import Path

LIB = """\
variants = [['py-2'], ['py-3']]
tests = {
    'ok': 'echo "ok in $PYV"',
    'each': {'command': 'echo "each {variant_requires}"', 'on_variants': True},
    'bad': {'command': 'echo "bad in $PYV" >&2; exit 4', 'on_variants': True},
    'only2': {'command': 'true', 'on_variants': {'type': 'requires', 'value': ['py-2']}},
    'manual': {'command': ['echo', 'manual', '{name}'], 'run_on': 'explicit'},
    'tool': {'command': 'test "$TOOL" = yes', 'requires': ['tool'], 'run_on': 'explicit'},
    'nope': {'command': 'true', 'requires': ['missing'], 'run_on': 'explicit'},
    'args': {'command': 'echo "args:$NAME:"', 'run_on': 'explicit'},
}
def pre_test_commands():
    env.NAME = test.name
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for version in ("2", "3"):
        write_package(root, "py", version, f"def commands():\n    env.PYV = 'py-{version}'\n")
    write_package(root, "tool", "1", "def commands():\n    env.TOOL = 'yes'\n")
    write_package(root, "lib", "1.0", LIB)
    write_package(root, "plain", "1", "description = 'no tests'\n")
    for sub in ("py-2", "py-3"):
        (root / "lib" / "1.0" / sub).mkdir()
    return root


def pkg(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "PKG_PACKAGES_PATH": str(repo),
        "PKG_IMPLICIT_PACKAGES_JSON": "[]",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "pkg", *args],
        capture_output=True,
        text=True,
        env=environ,
        check=False,
    )


def rows(stdout: str) -> list[tuple[str, str, str]]:
    """(test, status, variant directory name) of each summary row."""
    lines = stdout.split("  Description\n", 1)[1].splitlines()[1:]
    found = []
    for line in lines:
        if line.strip():
            test, status, variant = line.split()[:3]
            found.append((test, status, os.path.basename(variant)))
    return found


def test_default_tests_and_summary(repo: Path) -> None:
    done = pkg(repo, "test", "lib", "-j", "4")
    assert done.returncode == 4, done.stderr
    assert rows(done.stdout) == [
        ("bad", "failed", "py-2"),
        ("bad", "failed", "py-3"),
        ("each", "success", "py-2"),
        ("each", "success", "py-3"),
        ("ok", "success", "py-3"),
        ("only2", "success", "py-2"),
        ("only2", "skipped", "py-3"),
    ]
    assert "4 succeeded, 2 failed, 1 skipped" in done.stdout
    # each job's output is printed whole and in run order, whatever ran first
    out = done.stdout
    assert out.index("bad in py-2") < out.index("bad in py-3") < out.index("each py-2")
    assert out.index("each py-2") < out.index("each py-3") < out.index("ok in py-3")
    assert "Test failed with exit code 4" in out


def test_named_tests_run_whatever_their_tags(repo: Path) -> None:
    done = pkg(repo, "test", "lib", "manual", "tool")
    assert done.returncode == 0, done.stdout + done.stderr
    assert rows(done.stdout) == [("manual", "success", "py-3"), ("tool", "success", "py-3")]
    assert "manual lib" in done.stdout


def test_unresolvable_test_environment_exits_255(repo: Path) -> None:
    done = pkg(repo, "test", "lib", "nope")
    assert done.returncode == 255
    # no variant is preferred (none resolves), so each is tried in turn, as in Rez
    assert rows(done.stdout) == [("nope", "failed", "py-2"), ("nope", "failed", "py-3")]
    assert "The test environment failed to resolve" in done.stdout


def test_stop_on_fail(repo: Path) -> None:
    done = pkg(repo, "test", "lib", "-s", "-j", "1")
    assert done.returncode == 4
    assert rows(done.stdout) == [("bad", "failed", "py-2")]


def test_dry_run_runs_nothing(repo: Path) -> None:
    done = pkg(repo, "test", "lib", "bad", "--dry-run")
    assert done.returncode == 0
    assert rows(done.stdout) == [("bad", "skipped", "py-2"), ("bad", "skipped", "py-3")]
    assert "Running test command: echo" in done.stdout
    assert "bad in py" not in done.stdout + done.stderr


def test_list_and_messages(repo: Path) -> None:
    listed = pkg(repo, "test", "-l", "lib")
    assert listed.returncode == 0
    assert listed.stdout.split() == [
        "args",
        "bad",
        "each",
        "manual",
        "nope",
        "ok",
        "only2",
        "tool",
    ]
    none = pkg(repo, "test", "plain")
    assert none.returncode == 0
    assert none.stderr.startswith("No tests found in ")
    unmatched = pkg(repo, "test", "lib", "zz*")
    assert unmatched.returncode == 0
    assert "No tests with 'default' run_on tag found" in unmatched.stderr
    missing = pkg(repo, "test", "ghost")
    assert missing.returncode == 1
    assert (
        missing.stderr.strip().splitlines()[-1]
        == "pkg: error: Could not find package to test: ghost"
    )


def test_extra_arguments_go_to_a_single_test(repo: Path) -> None:
    done = pkg(repo, "test", "lib", "args", "--", "x", "y z")
    assert done.returncode == 0, done.stderr
    assert "args:args: x y z" in done.stdout
    refused = pkg(repo, "test", "lib", "--", "x")
    assert refused.returncode == 2
    assert "single, specified test" in refused.stderr


def test_extra_packages(repo: Path) -> None:
    (repo / "lib" / "1.0" / "package.py").write_text(
        (repo / "lib" / "1.0" / "package.py").read_text().replace("'requires': ['tool'], ", "")
    )
    without = pkg(repo, "test", "lib", "tool")
    assert without.returncode == 1
    done = pkg(repo, "test", "lib", "tool", "--extra-packages", "tool", "py-2")
    assert done.returncode == 0, done.stdout
    assert rows(done.stdout) == [("tool", "success", "py-2")]


def test_inplace_runs_in_the_current_context(repo: Path) -> None:
    inner = f"{sys.executable} -m pkg test --inplace lib ok tool"
    done = pkg(repo, "env", "lib", "py-2", "--", "bash", "-c", inner)
    assert done.returncode == 255, done.stdout + done.stderr
    assert rows(done.stdout) == [("ok", "success", "py-2"), ("tool", "failed", "py-2")]
    assert "The current environment does not meet test requirements" in done.stdout
    outside = pkg(repo, "test", "--inplace", "lib")
    assert outside.returncode == 2
    assert "not in a context" in outside.stderr
    mixed = pkg(repo, "test", "--inplace", "--nl", "lib")
    assert mixed.returncode == 2
    assert "Cannot use --inplace" in mixed.stderr
