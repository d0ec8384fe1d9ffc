"""``pkg test`` against ``rez-test`` on the same packages (skipped without rez).

Both tools run as real processes over one repository whose package declares tests of
every form (string and list commands, ``on_variants`` true, false and a ``requires``
filter, ``run_on`` tags, test ``requires``, ``pre_test_commands``, a test whose
environment cannot resolve).  For each command line the summary rows (test, status,
variant) and the exit status must be the same.  Rez orders the tests named on the command
line as a set does, so rows are compared sorted.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_package

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

LIB = """\
variants = [['py-2'], ['py-3']]
tests = {
    'ok': 'test -n "$PYV"',
    'each': {'command': 'test "$PYV" = "{variant_requires}"', 'on_variants': True},
    'bad': {'command': 'exit 4', 'on_variants': True},
    'only2': {'command': ['true'], 'on_variants': {'type': 'requires', 'value': ['py-2']}},
    'not2': {'command': 'true', 'on_variants': {'type': 'requires', 'value': ['!py-2']}},
    'manual': {'command': ['test', '{name}', '=', 'lib'], 'run_on': 'explicit'},
    'tool': {'command': 'test "$TOOL" = yes', 'requires': ['tool'], 'run_on': 'explicit'},
    'named': {'command': 'test "$NAME" = named', 'run_on': ['pre_release']},
    'nope': {'command': 'true', 'requires': ['missing'], 'run_on': 'explicit'},
    'py2': {'command': 'test "$PYV" = py-2', 'requires': ['py-2'], 'run_on': 'explicit'},
}
def pre_test_commands():
    env.NAME = test.name
"""

COMMANDS = [
    [],
    ["manual", "tool", "named"],
    ["nope"],
    ["py2", "ok"],
    ["b*", "--dry-run"],
    ["bad", "-s"],
    ["ok", "--extra-packages", "py-2"],
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("test-parity") / "repo"
    for version in ("2", "3"):
        write_package(root, "py", version, f"def commands():\n    env.PYV = 'py-{version}'\n")
    write_package(root, "tool", "1", "def commands():\n    env.TOOL = 'yes'\n")
    write_package(root, "lib", "1.0", LIB)
    for sub in ("py-2", "py-3"):
        (root / "lib" / "1.0" / sub).mkdir()
    return root


def _run(tool: str, args: list[str], repo: Path) -> tuple[int, list[tuple[str, ...]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(
        REZ_DISABLE_HOME_CONFIG="1",
        PKG_DISABLE_HOME_CONFIG="1",
        REZ_PACKAGES_PATH=str(repo),
        PKG_PACKAGES_PATH=str(repo),
    )
    scripts = Path(sys.executable).parent
    argv = [str(scripts / "pkg"), "test"] if tool == "pkg" else [str(scripts / "rez-test")]
    done = subprocess.run(
        [*argv, "lib", *args], env=env, capture_output=True, text=True, check=False, timeout=300
    )
    _, found, table = done.stdout.partition("  Description\n")
    assert found, (tool, done.stdout, done.stderr)
    rows = []
    for line in table.splitlines()[1:]:
        if line.strip():
            test, status, variant = line.split()[:3]
            rows.append((test, status, os.path.basename(variant)))
    return done.returncode, sorted(rows)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_same_tests_on_the_same_variants(repo: Path, args: list[str]) -> None:
    if not (Path(sys.executable).parent / "rez-test").exists():
        pytest.skip("rez-test is not installed")
    ours = _run("pkg", args, repo)
    theirs = _run("rez", args, repo)
    assert ours == theirs
    assert ours[1], "no test ran"


def test_list_is_the_same(repo: Path) -> None:
    scripts = Path(sys.executable).parent
    outputs = []
    for argv in ([str(scripts / "pkg"), "test"], [str(scripts / "rez-test")]):
        env = {**os.environ, "REZ_PACKAGES_PATH": str(repo), "PKG_PACKAGES_PATH": str(repo)}
        done = subprocess.run(
            [*argv, "-l", "lib"], env=env, capture_output=True, text=True, check=False
        )
        outputs.append((done.returncode, done.stdout))
    assert outputs[0] == outputs[1]
