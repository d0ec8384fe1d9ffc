"""``pkg env`` against ``rez-env`` on rez's solver test repository (skipped without rez).

For a fixed sample of the requests of rez's ``tests/test_solver.py`` that solve, both
tools run ``--paths REPO REQUEST --shell bash --norc -- env -0`` over rez's
``data/tests/solver/packages`` (located as in :mod:`tests.parity.test_solver_parity`);
the environments must be equal but for the variables that name the tool or the run
(:data:`tests.parity.test_env_parity.IGNORED`).  Then ``pkg env -o FILE`` writes each
context and ``rez-context FILE`` must print it, listing the packages rez-env resolved
(``REZ_USED_RESOLVE``) and the ephemerals of rez-env's own context file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.parity.test_env_parity import IGNORED, _base_environ, _tool, pytestmark
from tests.parity.test_solver_parity import REZ_DATA, REZ_SUITE

pytestmark = [*pytestmark]

#: Requests of rez's solver tests that solve.
SOLVING: list[list[str]] = [
    ["pyfoo"],
    ["python-2.6", "python-2.6.5+"],
    ["pyfoo-3.0", ".eek-4.5"],
    ["nopy", "python"],
    ["pybah", "!python-2.5", "python<2.6.8"],
    ["python", "pyodd"],
    ["~python<2.6", "pysplit"],
    ["pyvariants", "python"],
    ["test_variant_split_start"],
    ["test_weakly_reference_variant-2.0", "test_variant_split_mid2-2", "pyfoo"],
]
#: Command lines: each request without implicit packages, and one with the default ones.
CASES: list[list[str]] = [["--ni", *r] for r in SOLVING] + [["python", "bahish", "pybah"]]

#: rez-context's heading of the resolved packages.
_RESOLVED = "resolved packages:"


def _run(tool: str, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*_tool(tool), "--paths", str(REZ_DATA), *args],
        env=_base_environ(REZ_DATA),
        capture_output=True,
        check=False,
        timeout=120,
    )


def _environment(tool: str, request: list[str]) -> dict[str, str]:
    done = _run(tool, [*request, "--shell", "bash", "--norc", "--", "env", "-0"])
    assert done.returncode == 0, (tool, request, done.stderr.decode())
    pairs = (item.split("=", 1) for item in done.stdout.decode().split("\0") if item)
    return {key: value for key, value in pairs if key not in IGNORED}


def _context_listing(request: list[str], path: Path) -> tuple[int, str]:
    """Write pkg's context for ``request`` to ``path``; return what rez-context prints."""
    done = _run("pkg", [*request, "-o", str(path)])
    assert done.returncode == 0, done.stderr.decode()
    script = Path(sys.executable).parent / "rez-context"
    shown = subprocess.run(
        [str(script), str(path)],
        env=_base_environ(REZ_DATA),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return shown.returncode, shown.stdout if shown.returncode == 0 else shown.stderr


def _resolved_names(listing: str) -> list[str]:
    """The ``name-version`` column of rez-context's resolved packages."""
    lines = listing.split(_RESOLVED, 1)[1].strip("\n").split("\n")
    return [line.split()[0] for line in lines if line.strip()]


def _rez_ephemerals(request: list[str], path: Path) -> list[str]:
    """The ephemerals of rez-env's context for ``request`` (its environment has none)."""
    done = _run("rez", [*request, "-o", str(path)])
    assert done.returncode == 0, done.stderr.decode()
    ephemerals: list[str] = json.loads(path.read_text())["resolved_ephemerals"]
    return ephemerals


Outcome = tuple[dict[str, str], dict[str, str], tuple[int, str], list[str]]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    """pkg's and rez's environments and rez-context's listing of pkg's file, per case."""
    if not (Path(sys.executable).parent / "rez-env").exists():
        pytest.skip("rez-env is not installed")
    outputs = tmp_path_factory.mktemp("env-solver")

    def one(number: int) -> Outcome:
        request = CASES[number]
        listing = _context_listing(request, outputs / f"pkg-{number}.rxt")
        ephemerals = _rez_ephemerals(request, outputs / f"rez-{number}.rxt")
        return _environment("pkg", request), _environment("rez", request), listing, ephemerals

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, range(len(CASES))))


def test_cases_are_rez_solver_tests() -> None:
    suite = {tuple(reqs) for reqs, _mode, _missing in REZ_SUITE}
    assert all(tuple(r for r in case if r != "--ni") in suite for case in CASES)
    assert os.path.isdir(REZ_DATA)


@pytest.mark.parametrize("number", range(len(CASES)), ids=[" ".join(c) for c in CASES])
def test_same_environment_as_rez_env(number: int, outcomes: list[Outcome]) -> None:
    ours, theirs, _listing, _ephemerals = outcomes[number]
    assert ours == theirs
    assert ours["REZ_USED_RESOLVE"]


@pytest.mark.parametrize("number", range(len(CASES)), ids=[" ".join(c) for c in CASES])
def test_rez_context_prints_pkg_context(number: int, outcomes: list[Outcome]) -> None:
    _ours, theirs, (code, listing), ephemerals = outcomes[number]
    assert code == 0, listing
    assert "requested packages:" in listing
    # (rez-context lists them by name, REZ_USED_RESOLVE in resolve order)
    expected = theirs["REZ_USED_RESOLVE"].split() + ephemerals
    assert sorted(_resolved_names(listing)) == sorted(expected)
