"""Differential test: ``pkg.api.resolve`` against rez 3.4.0's ``ResolvedContext`` on random
repositories (skipped without rez).

Each seed gives one repository from :class:`tests.parity.random_repo.RepoGenerator`
(odd versions, ranges of every form, variants, weak and conflict requirements, cycles,
missing families and versions, ephemerals), written to disk, and
:data:`REQUESTS_PER_REPO` requests against it.  Each request runs in either variant
select mode and with ``error_on_missing_variant_requires`` on or off (both chosen per
request from the seed), without implicit packages, filters or orderers.

rez runs in one subprocess for the whole batch, with ``REZ_DISABLE_HOME_CONFIG=1`` and
``caching=False``, while pkg resolves the same cases in this process (one search path per
repository, as rez keeps its repositories in memory).  Compared for each request: the
kind of error raised (a request that does not parse, which rez reports as
``PackageRequestError`` or ``VersionError``; a missing family; a missing package; a
``ResolveError``; anything else), the status (Rez reports a cycle as failed, as pkg
does), and the resolved variants in resolve order (name, version, variant index) plus
the resolved ephemerals.  The 2,000 requests take about 10 s on two cores.

By default :data:`DEFAULT_SEEDS` seeds run, which is 2,000 requests; set
``PKG_PARITY_SEEDS=N`` to run N seeds, and ``PKG_PARITY_FIRST_SEED=K`` to start at seed
K instead of 0, e.g. to hunt for differences::

    PKG_PARITY_SEEDS=1000 python -m pytest tests/parity/test_resolve_differential.py

Known differences, each reduced to a minimal repository and request in :data:`REPROS`
and kept as a strict ``xfail`` test, are recognised by :data:`KNOWN` when the random
cases meet them again:

* pkg reads a package definition when a scope first holds its version, Rez when it
  first needs the package's requirements: with an unreadable package *and* a package
  whose own requirements clash (``requires = ['f', '!f']``), each reports the one it
  met first;
* two Rez bugs that pkg does not copy: variant sorting raises ``TypeError`` when a
  package weakly requires a requested family with no range (``~c``), and inverting a
  range whose touching bounds Rez left unmerged raises ``Invalid bound`` (a weak
  requirement such as ``~d-1|<=2|>2<3``, or conflicts merged with a requirement).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from pkg.api.resolve import resolve
from pkg.config import load_config
from pkg.errors import RequestError, ResolveError
from pkg.repositories import PackageSearchPath
from pkg.resolver import PackageFamilyNotFoundError, PackageNotFoundError
from tests.parity.random_repo import RepoGenerator, Repository, describe, write_repository

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from pkg.config import Config
    from pkg.resolver import VariantSelectMode

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

DEFAULT_SEEDS = 40
REQUESTS_PER_REPO = 50
_FIRST_SEED = int(os.environ.get("PKG_PARITY_FIRST_SEED", "0"))
SEEDS = range(_FIRST_SEED, _FIRST_SEED + int(os.environ.get("PKG_PARITY_SEEDS", DEFAULT_SEEDS)))
MODES: tuple[VariantSelectMode, VariantSelectMode] = ("version_priority", "intersection_priority")

_REZ_RUNNER = r"""
import json, sys
from rez.config import config
from rez.resolved_context import ResolvedContext
from rez.package_filter import PackageFilterList
from rez.package_order import PackageOrderList
from rez.version import VersionError
from rez.utils.formatting import PackageRequest
import rez.exceptions as errors

config.override("implicit_packages", [])
out = []
for case in json.load(sys.stdin):
    config.override("variant_select_mode", case["mode"])
    config.override("error_on_missing_variant_requires", case["missing"] == "raise")
    config.override("packages_path", [case["path"]])
    try:
        [PackageRequest(x) for x in case["requests"]]
    except (errors.PackageRequestError, VersionError) as e:
        out.append({"error": "request", "detail": str(e)})
        continue
    try:
        ctx = ResolvedContext(
            case["requests"],
            package_paths=[case["path"]],
            package_filter=PackageFilterList(),
            package_orderers=PackageOrderList(),
            add_implicit_packages=False,
            caching=False,
        )
    except errors.PackageRequestError as e:
        out.append({"error": "request", "detail": str(e)})
        continue
    except errors.PackageFamilyNotFoundError as e:
        out.append({"error": "family", "detail": str(e)})
        continue
    except errors.PackageNotFoundError as e:
        out.append({"error": "package", "detail": str(e)})
        continue
    except errors.ResolveError as e:
        out.append({"error": "resolve", "detail": str(e)})
        continue
    except Exception as e:
        out.append({"error": "other", "detail": type(e).__name__ + ": " + str(e)})
        continue
    solved = ctx.status.name == "solved"
    out.append({
        "error": None,
        "status": ctx.status.name,
        "resolved": [[v.name, str(v.version), v.index] for v in ctx.resolved_packages or []],
        "ephemerals": [str(r) for r in ctx.resolved_ephemerals or []] if solved else [],
    })
print("\n" + json.dumps(out))
"""

Case = dict[str, Any]
Outcome = dict[str, Any]


def cases_for(seed: int, root: Path) -> tuple[Repository, list[Case]]:
    """The repository of ``seed`` (written under ``root``) and its requests."""
    generator = RepoGenerator(seed)
    repo = generator.repository()
    path = root / f"repo{seed}"
    write_repository(path, repo)
    rng = generator.rng
    cases = [
        {
            "path": str(path),
            "requests": generator.request(repo),
            "mode": rng.choice(MODES),
            "missing": "raise" if rng.random() < 0.7 else "fail",
        }
        for _ in range(REQUESTS_PER_REPO)
    ]
    return repo, cases


class RezRun:
    """rez resolving a batch of cases in a subprocess; :meth:`results` waits for it.

    Its output goes to files, so that it never waits for this process to read a pipe.
    """

    def __init__(self, cases: Sequence[Case], workdir: Path) -> None:
        env = dict(os.environ, REZ_DISABLE_HOME_CONFIG="1")
        env.pop("REZ_CONFIG_FILE", None)
        self.stdout = workdir / "rez.out"
        self.stderr = workdir / "rez.err"
        with self.stdout.open("w") as out, self.stderr.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _REZ_RUNNER],
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=err,
                text=True,
                env=env,
            )
        assert self.process.stdin is not None
        with self.process.stdin as stdin:
            stdin.write(json.dumps(list(cases)))

    def results(self) -> list[Outcome]:
        """rez's outcomes, in case order."""
        code = self.process.wait()
        assert code == 0, self.stderr.read_text()
        results: list[Outcome] = json.loads(self.stdout.read_text().splitlines()[-1])
        return results


def run_pkg(case: Case, config: Config, search_path: PackageSearchPath) -> Outcome:
    """pkg's outcome for ``case`` in the shape the rez runner gives."""
    try:
        result = resolve(
            case["requests"],
            paths=[case["path"]],
            add_implicit_packages=False,
            config=config,
            package_filter=[],
            package_orderers=[],
            variant_select_mode=case["mode"],
            search_path=search_path,
            caching=False,
        )
    except RequestError as error:
        return {"error": "request", "detail": str(error)}
    except PackageFamilyNotFoundError as error:
        return {"error": "family", "detail": str(error)}
    except PackageNotFoundError as error:
        return {"error": "package", "detail": str(error)}
    except ResolveError as error:
        return {"error": "resolve", "detail": str(error)}
    except Exception as error:  # any other error is its own kind
        return {"error": "other", "detail": f"{type(error).__name__}: {error}"}
    solved = result.status == "solved"
    return {
        "error": None,
        "status": result.status,
        "resolved": [[v.name, str(v.version), v.index] for v in result.resolved_packages],
        "ephemerals": [str(r) for r in result.resolved_ephemerals] if solved else [],
    }


def compared(outcome: Outcome) -> Outcome:
    """What must agree: everything but the error text."""
    return {key: value for key, value in outcome.items() if key != "detail"}


def pkg_config(tmp: Path, missing: str) -> Config:
    """Rez's defaults (no home config, no ``PKG_*`` variables) with the missing policy."""
    return load_config(
        environ={"PKG_DISABLE_HOME_CONFIG": "1"},
        home=tmp,
        overrides={"error_on_missing_variant_requires": missing == "raise"},
    )


class Batch:
    """Every seed's repository, cases and both outcomes."""

    def __init__(self, root: Path, seeds: Sequence[int]) -> None:
        self.repos: dict[int, Repository] = {}
        self.cases: dict[int, list[Case]] = {}
        for seed in seeds:
            self.repos[seed], self.cases[seed] = cases_for(seed, root)
        flat = [case for seed in seeds for case in self.cases[seed]]
        rez = RezRun(flat, root)
        # pkg resolves while rez works in its subprocess.
        configs = {m: pkg_config(root, m) for m in ("raise", "fail")}
        index_dir = root / "index"
        self.pkg: dict[int, list[Outcome]] = {}
        for seed in seeds:
            path = self.cases[seed][0]["path"]
            search_path = PackageSearchPath.from_paths(
                [path], configs["raise"], index_dir=index_dir
            )
            self.pkg[seed] = [
                run_pkg(case, configs[case["missing"]], search_path) for case in self.cases[seed]
            ]
        outcomes = rez.results()
        self.rez = {
            seed: outcomes[i * REQUESTS_PER_REPO : (i + 1) * REQUESTS_PER_REPO]
            for i, seed in enumerate(seeds)
        }


# -- known differences --------------------------------------------------------------


@dataclass(frozen=True)
class Repro:
    """A minimal repository and request on which pkg and rez differ."""

    repo: Repository
    requests: list[str]
    mode: VariantSelectMode = "version_priority"
    missing: str = "raise"


#: A package whose own requirements clash: both raise once they look at it.
_CLASHING = {"c": {"1": {"requires": ["f", "!f"]}}}

#: The minimal reproductions of the known differences, by test.
REPROS: dict[str, Repro] = {
    # Both: ResolveError (c-1 clashes).  The phase fails on y-2 against y==1, and the
    # graph of that phase looks at the scope of c (the weak ~c met x's c): c-1 raises.
    "test_clash_found_when_a_weak_request_meets_a_requirement": Repro(
        {**_CLASHING, "x": {"1": {"requires": ["c", "y-2"]}}, "y": {"1": {}}},
        ["~c", "x", "y"],
    ),
    # Both: ResolveError (c-1 clashes).  The phase fails on the missing nada (the
    # policy is to fail), after the scope of c was added: its graph looks at c-1.
    "test_clash_found_before_a_missing_family_fails_the_phase": Repro(
        {**_CLASHING, "e": {"1": {"requires": ["nada", "c"]}}}, ["e"], missing="fail"
    ),
    # Rez: ResolveError (c-1 clashes); pkg: RepositoryError (bad-1 is unreadable: a
    # weak ephemeral is not a valid requirement).  Rez loads c-1 first and raises.
    "test_clash_found_before_an_unreadable_package": Repro(
        {**_CLASHING, "bad": {"1": {"requires": ["~.eph"]}}}, ["c", "bad"]
    ),
    # Both: ephemerals ['.x'].  The solver's range is '<=2|>2', and a context reads
    # each resolved ephemeral back from its text, which then parses as any version.
    "test_resolved_ephemerals_as_rez_reads_them_back": Repro({"k": {"1": {}}}, [".x-<=2|>2|1"]),
    # Rez: TypeError (its variant sort compares the key 0 of the range-less ~c with the
    # tuple key of c); pkg: solved c-1, e-1[1].
    "test_rez_crash_sorting_variants_with_a_weak_requirement": Repro(
        {"c": {"1": {}}, "e": {"1": {"variants": [["~c"], ["c"]]}}}, ["c", "e"]
    ),
    # Rez: VersionError 'Invalid bound' (it leaves the touching bounds of
    # '<=2|>2<3' unmerged, and the weak requirement inverts them); pkg: solved w-1.
    "test_rez_crash_inverting_touching_bounds_of_a_weak_requirement": Repro(
        {"w": {"1": {"requires": ["~d-1|<=2|>2<3"]}}}, ["w"]
    ),
    # Rez: VersionError 'Invalid bound' (merging the conflicts gives '>1<=3|>3', which
    # it cannot invert); pkg: solved d-1, h-1.
    "test_rez_crash_merging_conflicts_with_touching_bounds": Repro(
        {"d": {"1": {}}, "h": {"1": {"requires": ["!d-2|>3", "!d>1<=3", "d"]}}}, ["h"]
    ),
}

_INVALID_BOUND = ("Invalid bound", "VersionError: Invalid bound")


def _rez_sort_crash(case: Case, pkg: Outcome, rez: Outcome) -> bool:
    detail: str = rez.get("detail", "")
    return rez["error"] == "other" and detail.startswith("TypeError: '<' not supported between")


def _rez_invalid_bound(case: Case, pkg: Outcome, rez: Outcome) -> bool:
    detail: str = rez.get("detail", "")
    return detail in _INVALID_BOUND or detail.endswith("raised VersionError('Invalid bound')")


#: Test of :data:`REPROS` -> whether a random case's difference is that one.
KNOWN: dict[str, Callable[[Case, Outcome, Outcome], bool]] = {
    "test_rez_crash_sorting_variants_with_a_weak_requirement": _rez_sort_crash,
    "test_rez_crash_inverting_touching_bounds_of_a_weak_requirement": _rez_invalid_bound,
}


def known_difference(case: Case, pkg: Outcome, rez: Outcome) -> str | None:
    """The test reproducing the difference between ``pkg`` and ``rez``, if known."""
    return next((name for name, match in KNOWN.items() if match(case, pkg, rez)), None)


# -- tests ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    return Batch(tmp_path_factory.mktemp("resolve-differential"), SEEDS)


def test_default_run_compares_at_least_2000_requests() -> None:
    assert DEFAULT_SEEDS * REQUESTS_PER_REPO >= 2000


def test_repositories_and_requests_depend_on_the_seed_alone(tmp_path: Path) -> None:
    first, again, other = (cases_for(s, tmp_path / str(i)) for i, s in enumerate([7, 7, 8]))
    assert first[0] == again[0]
    assert [c["requests"] for c in first[1]] == [c["requests"] for c in again[1]]
    assert first[0] != other[0]


@pytest.mark.parametrize("seed", SEEDS)
def test_random_repository_matches_rez(seed: int, batch: Batch) -> None:
    differences = []
    for number, (case, got, want) in enumerate(
        zip(batch.cases[seed], batch.pkg[seed], batch.rez[seed], strict=True)
    ):
        if compared(got) != compared(want) and known_difference(case, got, want) is None:
            differences.append(
                f"request {number} {case['requests']} [{case['mode']}, missing="
                f"{case['missing']}]\n  pkg: {got}\n  rez: {want}"
            )
    assert not differences, (
        f"{len(differences)} of {REQUESTS_PER_REPO} differ on the repository of seed {seed}:\n"
        + "\n".join(differences)
        + "\n\nrepository:\n"
        + describe(batch.repos[seed])
    )


@pytest.fixture(scope="module")
def repro_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Outcome, Outcome]]:
    """(pkg, rez) outcome of each of :data:`REPROS` (rez in one subprocess)."""
    root = tmp_path_factory.mktemp("resolve-differential-repros")
    cases: list[Case] = []
    for name, repro in REPROS.items():
        write_repository(root / name, repro.repo)
        cases.append(
            {
                "path": str(root / name),
                "requests": repro.requests,
                "mode": repro.mode,
                "missing": repro.missing,
            }
        )
    rez = RezRun(cases, root)
    pkg = [
        run_pkg(
            case,
            pkg_config(root, case["missing"]),
            PackageSearchPath.from_paths(
                [case["path"]], pkg_config(root, "raise"), index_dir=root / "index"
            ),
        )
        for case in cases
    ]
    return dict(zip(REPROS, zip(pkg, rez.results(), strict=True), strict=True))


def _assert_same(name: str, outcomes: dict[str, tuple[Outcome, Outcome]]) -> None:
    pkg, rez = outcomes[name]
    assert compared(pkg) == compared(rez), f"pkg: {pkg}\nrez: {rez}"


def test_every_known_difference_has_a_repro() -> None:
    assert set(KNOWN) <= set(REPROS)


def test_known_differences_recognise_their_repros(
    repro_outcomes: dict[str, tuple[Outcome, Outcome]],
) -> None:
    for name, match in KNOWN.items():
        pkg, rez = repro_outcomes[name]
        case = {"requests": REPROS[name].requests, "missing": REPROS[name].missing}
        assert match(case, pkg, rez), name


def test_clash_found_when_a_weak_request_meets_a_requirement(
    repro_outcomes: dict[str, tuple[Outcome, Outcome]],
) -> None:
    _assert_same("test_clash_found_when_a_weak_request_meets_a_requirement", repro_outcomes)


def test_clash_found_before_a_missing_family_fails_the_phase(
    repro_outcomes: dict[str, tuple[Outcome, Outcome]],
) -> None:
    _assert_same("test_clash_found_before_a_missing_family_fails_the_phase", repro_outcomes)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="pkg reads a definition when a scope first holds it, Rez when it needs it",
)
def test_clash_found_before_an_unreadable_package(
    repro_outcomes: dict[str, tuple[Outcome, Outcome]],
) -> None:
    _assert_same("test_clash_found_before_an_unreadable_package", repro_outcomes)


def test_resolved_ephemerals_as_rez_reads_them_back(
    repro_outcomes: dict[str, tuple[Outcome, Outcome]],
) -> None:
    _assert_same("test_resolved_ephemerals_as_rez_reads_them_back", repro_outcomes)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="rez 3.4.0 bug: TypeError sorting variants when one weakly requires ~c",
)
def test_rez_crash_sorting_variants_with_a_weak_requirement(
    repro_outcomes: dict[str, tuple[Outcome, Outcome]],
) -> None:
    _assert_same("test_rez_crash_sorting_variants_with_a_weak_requirement", repro_outcomes)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="rez 3.4.0 bug: 'Invalid bound' inverting a range with unmerged touching bounds",
)
def test_rez_crash_inverting_touching_bounds_of_a_weak_requirement(
    repro_outcomes: dict[str, tuple[Outcome, Outcome]],
) -> None:
    _assert_same("test_rez_crash_inverting_touching_bounds_of_a_weak_requirement", repro_outcomes)


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="rez 3.4.0 bug: 'Invalid bound' merging conflicts with touching bounds",
)
def test_rez_crash_merging_conflicts_with_touching_bounds(
    repro_outcomes: dict[str, tuple[Outcome, Outcome]],
) -> None:
    _assert_same("test_rez_crash_merging_conflicts_with_touching_bounds", repro_outcomes)
