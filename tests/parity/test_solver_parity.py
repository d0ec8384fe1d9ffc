"""pkg's solver against rez 3.4.0's Solver (skipped without rez).

Two sets of cases, each run by both solvers on the same packages:

* every request of rez's own ``tests/test_solver.py``, in every order of its requests, on
  rez's ``data/tests/solver/packages`` (loaded for pkg with ``load_definition``);
* random repositories and requests (fixed seeds), written to disk for rez.

rez runs in one subprocess per batch, so its global config never enters this process.
Compared: the error raised (if any), status, resolved variants in order (name, version,
variant index), ephemerals, the number of phases solved and failed, and Rez's one-line
failure text (except for cycles, whose start rez picks in hash order).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pkg.core import Requirement
from pkg.errors import ResolveError
from pkg.packages import load_definition
from pkg.resolver import (
    MemoryProvider,
    PackageFamilyNotFoundError,
    PackageNotFoundError,
    solve,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.resolver import VariantSelectMode

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

_REZ_RUNNER = r"""
import json, sys
from rez.config import config
from rez.solver import Solver, SolverStatus
from rez.version import Requirement
import rez.exceptions as errors

out = []
for case in json.load(sys.stdin):
    config.override("variant_select_mode", case["mode"])
    config.override("error_on_missing_variant_requires", case["missing"] == "raise")
    try:
        s = Solver([Requirement(x) for x in case["requests"]], case["paths"])
        s.solve()
    except errors.PackageFamilyNotFoundError:
        out.append({"error": "family"})
        continue
    except errors.PackageNotFoundError:
        out.append({"error": "package"})
        continue
    except errors.ResolveError:
        out.append({"error": "resolve"})
        continue
    res = {"error": None, "solves": s.num_solves, "fails": s.num_fails}
    if s.status == SolverStatus.solved:
        res["status"] = "solved"
        res["resolved"] = [str(x) for x in s.resolved_packages]
        res["ephemerals"] = [str(x) for x in s.resolved_ephemerals]
        res["failure"] = ""
    else:
        res["status"] = "cyclic" if s.cyclic_fail else "failed"
        res["resolved"] = []
        res["ephemerals"] = []
        res["failure"] = "" if s.cyclic_fail else s.failure_description()
    out.append(res)
print(json.dumps(out))
"""

Case = dict[str, Any]

_REDUCED = "A package was completely reduced: "


def normalise_failure(text: str) -> str:
    """Rez lists a total reduction's variants in its repository's listing order, which
    follows string hashing; sort them so that only their content is compared."""
    if not text.startswith(_REDUCED):
        return text
    parts = text[len(_REDUCED) + 1 : -1].split(") (")
    return _REDUCED + "(" + ") (".join(sorted(parts)) + ")"


def run_rez(cases: Sequence[Case]) -> list[dict[str, Any]]:
    """rez's results for ``cases`` (one subprocess for the whole batch)."""
    env = dict(os.environ, REZ_DISABLE_HOME_CONFIG="1")
    env.pop("REZ_CONFIG_FILE", None)
    done = subprocess.run(
        [sys.executable, "-c", _REZ_RUNNER],
        input=json.dumps(list(cases)),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    for result in results:
        if result.get("failure"):
            result["failure"] = normalise_failure(result["failure"])
    return results


def parse(text: str) -> Requirement:
    """A request; works around pkg.core rejecting ``!.name`` and ``~.name`` (rez accepts
    conflict ephemerals, and its solver tests use them)."""
    if text[:2] in ("!.", "~."):
        plain = Requirement(text[0] + text[2:])
        return Requirement.construct(
            "." + plain.name, plain.range, conflict=True, weak=plain.weak, sep=plain.sep
        )
    return Requirement(text)


def run_pkg(case: Case, provider: MemoryProvider) -> dict[str, Any]:
    """pkg's result for ``case`` in the shape :func:`run_rez` gives."""
    mode: VariantSelectMode = case["mode"]
    try:
        result = solve(
            [parse(r) for r in case["requests"]],
            provider,
            variant_select_mode=mode,
            raise_on_missing=case["missing"] == "raise",
        )
    except PackageFamilyNotFoundError:
        return {"error": "family"}
    except PackageNotFoundError:
        return {"error": "package"}
    except ResolveError:
        return {"error": "resolve"}
    failure = ""
    if result.status == "failed":
        failure = result.failure.summary() if result.failure else ""
    return {
        "error": None,
        "solves": result.num_solves,
        "fails": result.num_fails,
        "status": result.status,
        "resolved": [str(v) for v in result.resolved],
        "ephemerals": [str(e) for e in result.ephemerals],
        "failure": normalise_failure(failure),
    }


# -- rez's own solver test suite ------------------------------------------------------

REZ_DATA = Path(__file__).resolve().parent  # replaced below when rez is importable
_spec = importlib.util.find_spec("rez")
if _spec is not None and _spec.origin is not None:
    REZ_DATA = Path(_spec.origin).parent / "data" / "tests" / "solver" / "packages"


def load_repository(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """``{name: {version: {"requires", "variants", "build_requires"}}}`` of a repository."""
    packages: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted(root.glob("*/package.py")) + sorted(root.glob("*/*/package.py")):
        family = path.relative_to(root).parts[0]
        definition = load_definition(path, name=family)
        packages.setdefault(family, {})[definition.version] = {
            key: definition.data.get(key) for key in ("requires", "variants", "build_requires")
        }
    return packages


#: (requests, variant select mode, missing-family policy) of every case in rez's
#: tests/test_solver.py, solves and failures alike.
REZ_SUITE: list[tuple[list[str], str, str]] = [
    (reqs, "version_priority", "raise")
    for reqs in [
        [],
        ["nada"],
        ["!nada"],
        ["~nada"],
        [".foo-1"],
        ["!.bah"],
        ["!.bah-2.5+"],
        ["python"],
        ["~python-2+"],
        ["~python"],
        ["!python-2.5"],
        ["!python"],
        ["nada", "~nada"],
        ["nopy"],
        ["python-2.6"],
        ["python-2.6", "!python-2.6.8"],
        ["python-2.6", "python-2.6.5+"],
        ["python", "python-0+<2.6"],
        ["python", "python-0+<2.6.8"],
        ["python", "~python-2.7+"],
        ["!python-2.6+", "python"],
        ["nada", "!nada"],
        ["python-2.6", "~python-2.7"],
        ["pyfoo", "nada", "!nada"],
        [".foo-1", ".foo-2"],
        [".foo-2.5", "!.foo-2"],
        ["pybah", "!python"],
        ["pyfoo-3.1", "python-2.7+"],
        ["pyodd<2", "python-2.7"],
        ["nopy", "python-2.5.2"],
        ["bahish", "pybah<5"],
        ["pybah-4", "pyfoo-3.0"],
        ["nada", "nopy"],
        ["pyfoo"],
        ["pyfoo-3.0"],
        ["pyfoo-3.0", ".eek-4.5"],
        ["pybah"],
        ["nopy", "python"],
        ["pybah", "!python-2.5"],
        ["pybah", "!python-2.5", "python<2.6.8"],
        ["python", "pybah"],
        ["python", "pyodd"],
        ["pybah", "pyodd"],
        ["pysplit", "python-2.5"],
        ["~python<2.6", "pysplit"],
        ["python", "bahish", "pybah"],
        [".foo-2.5+", ".foo-2"],
        ["pymum-1"],
        ["pydad-1"],
        ["pyson-1"],
        ["pymum-3"],
        ["pydad-3"],
        ["pymum-2"],
        ["test_variant_split_start"],
        ["test_weakly_reference_requires", "test_variant_split_mid2-2"],
        ["test_weakly_reference_variant-2.0", "test_variant_split_mid2-2", "pyfoo"],
    ]
] + [
    (["pyvariants", "python"], "version_priority", "raise"),
    (["pyvariants", "python", "nada"], "version_priority", "raise"),
    (["pyvariants", "python"], "intersection_priority", "raise"),
    (["pyvariants", "python", "nada"], "intersection_priority", "raise"),
    (["missing_variant_requires"], "version_priority", "raise"),
    (["missing_variant_requires"], "version_priority", "fail"),
]

#: rez's expected resolves (from its test file), checked for pkg directly as well.
EXPECTED = {
    ("pyvariants", "python", "nada", "intersection_priority"): [
        "python-2.6.8[]",
        "nada[]",
        "pyvariants-2[1]",
    ],
    ("test_variant_split_start", "version_priority"): [
        "test_variant_split_end-1.0[1]",
        "test_variant_split_mid2-2.0[0]",
        "test_variant_split_start-1.0[1]",
    ],
    (
        "test_weakly_reference_variant-2.0",
        "test_variant_split_mid2-2",
        "pyfoo",
        "version_priority",
    ): [
        "test_variant_split_end-1.0[1]",
        "test_variant_split_mid1-1.0[1]",
        "test_weakly_reference_variant-2.0[0]",
        "test_variant_split_mid2-2.0[0]",
        "python-2.6.8[]",
        "pyfoo-3.1.0[]",
    ],
}


def _suite_cases() -> list[Case]:
    cases = []
    for reqs, mode, missing in REZ_SUITE:
        for perm in dict.fromkeys(itertools.permutations(reqs)):
            cases.append(
                {"paths": [str(REZ_DATA)], "requests": list(perm), "mode": mode, "missing": missing}
            )
    return cases


SUITE_CASES = _suite_cases()


@pytest.fixture(scope="module")
def suite_provider() -> MemoryProvider:
    return MemoryProvider(load_repository(REZ_DATA))


@pytest.fixture(scope="module")
def rez_suite_results() -> list[dict[str, Any]]:
    return run_rez(SUITE_CASES)


def _case_id(case: Case) -> str:
    return f"{' '.join(case['requests']) or '<empty>'} [{case['mode']},{case['missing']}]"


@pytest.mark.parametrize("index", range(len(SUITE_CASES)), ids=[_case_id(c) for c in SUITE_CASES])
def test_rez_solver_suite(
    index: int, suite_provider: MemoryProvider, rez_suite_results: list[dict[str, Any]]
) -> None:
    case = SUITE_CASES[index]
    assert run_pkg(case, suite_provider) == rez_suite_results[index]


@pytest.mark.parametrize(("key", "expected"), EXPECTED.items())
def test_rez_expected_resolves(
    key: tuple[str, ...], expected: list[str], suite_provider: MemoryProvider
) -> None:
    *reqs, mode_name = key
    mode: VariantSelectMode = (
        "intersection_priority" if mode_name == "intersection_priority" else "version_priority"
    )
    result = solve(reqs, suite_provider, variant_select_mode=mode)
    assert [str(v) for v in result.resolved] == expected


# -- random repositories ----------------------------------------------------------------

_FAMILIES = ["a", "b", "c", "d", "e", "f", "g", "h"]
_VERSIONS = ["1", "1.1", "1.2", "2", "2.5", "3", "3.0.1"]


def _numeric(version: str) -> tuple[int, ...]:
    return tuple(map(int, version.split(".")))


def _random_request(
    rng: random.Random, name: str, versions: Sequence[str], *, modifiers: bool = True
) -> str:
    """A request for ``name``, usually with a range built from one of ``versions``."""
    pick = rng.choice(versions) if versions and rng.random() < 0.85 else rng.choice(_VERSIONS)
    roll = rng.random()
    if roll < 0.3:
        text = name
    elif roll < 0.55:
        text = f"{name}-{pick}"
    elif roll < 0.7:
        text = f"{name}-{pick}+"
    elif roll < 0.85:
        text = f"{name}<{pick}"
    else:
        low, high = sorted([pick, rng.choice(_VERSIONS)], key=_numeric)
        text = f"{name}-{low}+<{high}" if low != high else f"{name}=={low}"
    if modifiers:
        prefix = rng.random()
        if prefix < 0.07:
            return "!" + text
        if prefix < 0.14 and text != name:
            return "~" + text
    return text


def random_repository(seed: int) -> dict[str, dict[str, dict[str, Any]]]:
    """A small random repository (names ``a``..``h``), deterministic per seed."""
    rng = random.Random(seed)
    listed = {n: rng.sample(_VERSIONS, rng.randint(1, 5)) for n in _FAMILIES}
    repo: dict[str, dict[str, dict[str, Any]]] = {}
    for index, name in enumerate(_FAMILIES):
        # Dependencies point "down" most of the time, so that most repositories solve.
        lower = _FAMILIES[index + 1 :]
        family: dict[str, dict[str, Any]] = {}
        for version in listed[name]:
            pool = lower if rng.random() < 0.92 else [n for n in _FAMILIES if n != name]
            chosen = rng.sample(pool, min(len(pool), rng.randint(0, 4)))
            definition: dict[str, Any] = {}
            split = rng.randint(0, len(chosen))
            requires = [_random_request(rng, n, listed[n]) for n in chosen[:split]]
            if rng.random() < 0.1:
                requires.append(f".eph-{rng.choice(_VERSIONS)}")
            if requires:
                definition["requires"] = requires
            rest = chosen[split:]
            if rest or rng.random() < 0.2:
                variants = []
                for _ in range(rng.randint(1, 4)):
                    names = rng.sample(rest, rng.randint(1, len(rest))) if rest else []
                    variants.append([_random_request(rng, n, listed[n]) for n in names])
                definition["variants"] = variants
            family[version] = definition
        repo[name] = family
    return repo


def write_repository(root: Path, repo: dict[str, dict[str, dict[str, Any]]]) -> None:
    for name, family in repo.items():
        for version, definition in family.items():
            directory = root / name / version
            directory.mkdir(parents=True)
            lines = [f"name = {name!r}", f"version = {version!r}"]
            lines += [f"{key} = {value!r}" for key, value in definition.items()]
            (directory / "package.py").write_text("\n".join(lines) + "\n")


SEEDS = range(60)
REQUESTS_PER_REPO = 8


def _random_cases(seed: int, root: Path) -> list[Case]:
    rng = random.Random(seed * 7919)
    cases = []
    for _ in range(REQUESTS_PER_REPO):
        repo = random_repository(seed)
        names = rng.sample(_FAMILIES, rng.randint(1, 3))
        requests = [_random_request(rng, n, list(repo[n])) for n in names]
        mode = rng.choice(["version_priority", "intersection_priority"])
        missing = rng.choice(["raise", "fail"])
        cases.append({"paths": [str(root)], "requests": requests, "mode": mode, "missing": missing})
    return cases


def test_random_repositories_match_rez(tmp_path: Path) -> None:
    providers = []
    cases: list[Case] = []
    for seed in SEEDS:
        repo = random_repository(seed)
        root = tmp_path / f"repo{seed}"
        write_repository(root, repo)
        provider = MemoryProvider(repo)
        for case in _random_cases(seed, root):
            cases.append(case)
            providers.append(provider)
    expected = run_rez(cases)
    differences = [
        (case["requests"], case["mode"], got, want)
        for case, provider, want in zip(cases, providers, expected, strict=True)
        if (got := run_pkg(case, provider)) != want
    ]
    assert not differences, f"{len(differences)} of {len(cases)} differ:\n" + "\n".join(
        map(repr, differences[:10])
    )
