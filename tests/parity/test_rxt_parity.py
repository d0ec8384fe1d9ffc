"""``pkg env --output`` against ``rez-env --output`` (skipped without rez).

Both write a context file for the same command lines, over a copy of rez's
``data/tests/solver/packages`` with release times written in.  rez-env runs through its
own command-line code, every case in one subprocess (``REZ_DISABLE_HOME_CONFIG=1``).

Compared key by key: the same 35 keys, and the same values except the times of the run
(``created``, ``solve_time``, ``load_time``, and ``timestamp`` when no ``-t`` was given),
the machine and user, ``rez_path`` and ``rez_version``.  Graphs are compared without node
ids or order (:meth:`ResolveGraph.labelled`).

Then each tool reads the other's files: Rez's ``ResolvedContext.load`` (and
``rez-context``) reads pkg's, pkg's ``load_context`` reads Rez's, with the same resolved
packages.  Last, the graph builder itself is checked against every graph Rez draws for
rez's solver test requests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

import pkg.resolver._describe
import pkg.resolver.solver as solver_module
from pkg.api.resolve import resolve
from pkg.cli import main
from pkg.context import RXT_KEYS, load_context
from pkg.resolver.dot import ResolveGraph, build_graph, phase_view, result_view
from tests.parity.test_resolve_parity import TIMESTAMPS
from tests.parity.test_solver_parity import REZ_DATA, REZ_SUITE

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from pkg.resolver._phase import Phase
    from pkg.resolver.result import FailureReason, WhyGraph

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

#: rez-env command lines (``--paths REPO`` and ``-o FILE`` are added).
CASES: list[list[str]] = [
    ["--ni", "pyfoo", "pybah"],
    ["--ni", "pyvariants", "python"],
    ["python"],  # with the default implicit packages
    ["--ni", "pyson"],  # a cycle
    ["--ni", "pyodd<2", "python-2.7"],  # a conflict
    ["--ni", "bahish", "pybah<5"],  # a total reduction
    ["--ni", "nada", "!nada"],  # the request clashes
    ["--ni", "pybah", "!python"],
    ["--ni", "test_variant_split_start", "--max-fails", "1"],
    ["--ni", "test_variant_split_start"],
    ["--ni", "python", "--time=3500"],
    ["--ni", "pyfoo", "pybah", "-t", "2600"],
    ["--ni", "pyfoo", "--time=0"],  # no lock, but 0 is the requested time
    ["--ni", "pyfoo", "--exclude", "python-2.6.8", "pyfoo-3.0*"],
    ["--ni", "pybah", "--exclude", "python*", "--include", "python-2.5+<2.6"],
    ["--ni", "pysplit", "--no-filters", "--exclude", "after(1500)"],
    ["--ni", "nopy", "python", "-b"],
    ["--ni", "pyvariants", "python", "nada", "--no-cache"],
    ["--ni", "test_weakly_reference_variant-2.0", "test_variant_split_mid2-2", "pyfoo"],
]

#: Keys whose values depend on when and where the context was made.
RUN_KEYS = frozenset(
    {"created", "solve_time", "load_time", "host", "user", "rez_path", "rez_version"}
)

_REZ_ENV = r"""
import contextlib, io, json, sys
from rez.cli._main import run

codes = []
for args in json.load(sys.stdin):
    sys.argv = ["rez-env", *args]
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            run("env")
        codes.append(0)
    except SystemExit as exit_:
        codes.append(exit_.code)
print("\n" + json.dumps(codes))
"""

_REZ_LOAD = r"""
import json, sys
from rez.resolved_context import ResolvedContext

out = []
for path in json.load(sys.stdin):
    ctx = ResolvedContext.load(path)
    out.append({
        "status": ctx.status.name,
        "resolved": [v.qualified_name for v in ctx.resolved_packages or []],
        "ephemerals": [str(e) for e in ctx.resolved_ephemerals or []],
        "requests": [str(r) for r in ctx.requested_packages(include_implicit=True)],
        "dot": (ctx.graph(as_dot=True) or "").startswith("digraph g {"),
    })
print("\n" + json.dumps(out))
"""

_REZ_GRAPHS = r"""
import json, sys
from rez.config import config
from rez.resolved_context import ResolvedContext

config.override("implicit_packages", [])
out = []
for requests, path in json.load(sys.stdin):
    try:
        ctx = ResolvedContext(requests, package_paths=[path], caching=False)
    except Exception as error:
        out.append(None)
        continue
    out.append(ctx.to_dict(fields=["graph"])["graph"])
print("\n" + json.dumps(out))
"""


def _rez_env() -> dict[str, str]:
    env = dict(os.environ, REZ_DISABLE_HOME_CONFIG="1")
    env.pop("REZ_CONFIG_FILE", None)
    return env


def _run_rez(script: str, data: object) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        env=_rez_env(),
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of rez's solver packages with release times written in."""
    root = tmp_path_factory.mktemp("rxt-parity") / "packages"
    shutil.copytree(REZ_DATA, root, ignore=shutil.ignore_patterns("__pycache__"))
    for (family, version), released in TIMESTAMPS.items():
        path = root / family / version / "package.py"
        path.write_text(path.read_text() + f"\ntimestamp = {released}\n")
    return root


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rxt-parity-out")


def _args(number: int, repository: Path, output: Path) -> list[str]:
    return [*CASES[number], "--paths", str(repository), "-o", str(output)]


@pytest.fixture(scope="module")
def rez_files(repository: Path, outputs: Path) -> list[tuple[int, Path]]:
    """Rez's exit code and context file for each case."""
    paths = [outputs / f"rez-{i}.rxt" for i in range(len(CASES))]
    codes = _run_rez(_REZ_ENV, [_args(i, repository, p) for i, p in enumerate(paths)])
    return list(zip(codes, paths, strict=True))


@pytest.fixture(scope="module")
def pkg_files(repository: Path, outputs: Path) -> list[tuple[int, Path]]:
    """pkg's exit code and context file for each case (run in this process)."""
    results = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PKG_DISABLE_HOME_CONFIG", "1")
        for i in range(len(CASES)):
            path = outputs / f"pkg-{i}.rxt"
            results.append((main(["env", "-q", *_args(i, repository, path)]), path))
    return results


def _unordered(text: str | None) -> object:
    """A failure text without the orders Rez takes from hashing: where a cycle starts,
    and the order of the variants of a total reduction."""
    if text is None:
        return None
    head, sep, cycle = text.partition("A cyclic dependency was detected: ")
    if sep:
        return head, set(cycle.split(" --> "))
    head, sep, reductions = text.partition("A package was completely reduced: ")
    if sep:
        return head, sorted(re.findall(r"\((\S+ \(dep\(.*?\) <--!--> .*?)\)\)", reductions))
    return text


def _same_graph(ours: ResolveGraph, theirs: ResolveGraph) -> None:
    """The same nodes and edges with the same labels and attributes (ids and order
    aside: Rez orders some edges by string hashing)."""
    assert ours.labelled() == theirs.labelled()


@pytest.mark.parametrize("number", range(len(CASES)), ids=[" ".join(c) for c in CASES])
def test_context_file_matches_rez(
    number: int, rez_files: list[tuple[int, Path]], pkg_files: list[tuple[int, Path]]
) -> None:
    rez_code, rez_path = rez_files[number]
    pkg_code, pkg_path = pkg_files[number]
    assert pkg_code == rez_code
    theirs = json.loads(rez_path.read_text())
    ours = json.loads(pkg_path.read_text())
    assert set(ours) == set(theirs) == RXT_KEYS
    for key in sorted(RXT_KEYS - RUN_KEYS - {"graph", "failure_description", "timestamp"}):
        assert (key, ours[key]) == (key, theirs[key])
    if theirs["requested_timestamp"]:  # (``-t 0`` means now: a time of the run)
        assert ours["timestamp"] == theirs["timestamp"]
    assert _unordered(ours["failure_description"]) == _unordered(theirs["failure_description"])
    _same_graph(
        ResolveGraph.from_compact(ours["graph"]), ResolveGraph.from_compact(theirs["graph"])
    )


def test_cases_cover_successes_and_failures(rez_files: list[tuple[int, Path]]) -> None:
    statuses = [json.loads(path.read_text())["status"] for _code, path in rez_files]
    assert statuses.count("solved") >= 10
    assert statuses.count("failed") >= 6


def test_rez_reads_pkg_files(
    rez_files: list[tuple[int, Path]], pkg_files: list[tuple[int, Path]]
) -> None:
    ours = _run_rez(_REZ_LOAD, [str(path) for _code, path in pkg_files])
    theirs = _run_rez(_REZ_LOAD, [str(path) for _code, path in rez_files])
    assert ours == theirs
    assert all(item["dot"] for item in ours)


def test_rez_context_shows_pkg_files(pkg_files: list[tuple[int, Path]]) -> None:
    script = os.path.join(os.path.dirname(sys.executable), "rez-context")
    if not os.path.exists(script):
        pytest.skip("no rez-context script")
    for number in (0, 4):
        done = subprocess.run(
            [script, str(pkg_files[number][1])],
            capture_output=True,
            text=True,
            env=_rez_env(),
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "requested packages:" in done.stdout


def test_pkg_reads_rez_files(rez_files: list[tuple[int, Path]]) -> None:
    for _code, path in rez_files:
        data = json.loads(path.read_text())
        context = load_context(path)
        assert context.to_dict() == data
        names = []
        for handle in data["resolved_packages"]:
            name, version = handle["variables"]["name"], handle["variables"].get("version")
            names.append(f"{name}-{version}" if version else name)
        assert [re.sub(r"\[\d*\]$", "", s) for s in context.resolved_strs()] == names


def _phase_graph(requests: Sequence[str], path: Path) -> ResolveGraph | None:
    phases: list[Phase] = []
    real = pkg.resolver._describe.why_graph

    def capture(phase: Phase, failure: FailureReason | None) -> WhyGraph:
        phases.append(phase)
        return real(phase, failure)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solver_module, "why_graph", capture)
        try:
            result = resolve(requests, paths=[str(path)], implicit_packages=[])
        except Exception:  # an error rez raises too (checked below)
            return None
    view = phase_view(phases[-1]) if phases else result_view(result.result)
    return build_graph(view)


def test_graph_builder_matches_rez(repository: Path) -> None:
    cases = [
        reqs
        for reqs, mode, missing in REZ_SUITE
        if (mode, missing) == ("version_priority", "raise")
    ]
    rez_graphs = _run_rez(_REZ_GRAPHS, [[reqs, str(repository)] for reqs in cases])
    compared = 0
    for requests, text in zip(cases, rez_graphs, strict=True):
        ours = _phase_graph(requests, repository)
        assert (ours is None) == (text is None), requests
        if ours is not None:
            assert ours.labelled() == ResolveGraph.from_compact(text).labelled(), requests
            compared += 1
    assert compared > 40
