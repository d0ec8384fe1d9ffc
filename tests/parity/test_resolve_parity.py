"""``pkg.api.resolve`` against rez 3.4.0's ``ResolvedContext`` (skipped without rez).

Both resolve the same cases on a copy of rez's ``data/tests/solver/packages``, into which
release times are written (so that ``before``/``after`` rules, timestamp locks and the
``soft_timestamp`` orderer have something to work on):

* every request of rez's ``tests/test_solver.py`` and the orderer cases of
  ``tests/test_context.py``;
* requests with implicit packages, with package filters, with each orderer type, and
  with timestamp locks (alone and together with filters).

rez runs in one subprocess for the whole batch, with ``REZ_DISABLE_HOME_CONFIG=1``, so its
global config never enters this process.  Compared: the error raised (if any), status,
resolved variants in order (name, version, variant index), whether a failure was
described, and the number of packages loaded.

Known difference, avoided by the cases: Rez's ``no_order`` keeps its repository listing
order, which follows string hashing and changes between runs; pkg lists versions lowest
first.  ``no_order`` cases therefore only name single-version families.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from pkg.api.resolve import resolve
from pkg.config import load_config
from pkg.errors import RequestError, ResolveError
from pkg.resolver import PackageFamilyNotFoundError, PackageNotFoundError
from tests.parity.test_solver_parity import REZ_DATA, REZ_SUITE

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

_REZ_RUNNER = r"""
import json, sys
from rez.config import config
from rez.resolved_context import ResolvedContext
from rez.package_filter import PackageFilterList
from rez.package_order import PackageOrderList
import rez.exceptions as errors

out = []
for case in json.load(sys.stdin):
    config.override("implicit_packages", case["implicit"])
    config.override("variant_select_mode", case["mode"])
    config.override("error_on_missing_variant_requires", case["missing"] == "raise")
    config.override("packages_path", case["paths"])
    try:
        ctx = ResolvedContext(
            case["requests"],
            package_paths=case["paths"],
            timestamp=case["timestamp"],
            package_filter=PackageFilterList.from_pod(case["filter"]),
            package_orderers=PackageOrderList.from_pod(case["orderers"]),
            caching=False,
        )
    except errors.PackageRequestError:
        out.append({"error": "request"})
        continue
    except errors.PackageFamilyNotFoundError:
        out.append({"error": "family"})
        continue
    except errors.PackageNotFoundError:
        out.append({"error": "package"})
        continue
    except errors.ResolveError:
        out.append({"error": "resolve"})
        continue
    except Exception as e:
        out.append({"error": "other: " + type(e).__name__})
        continue
    out.append({
        "error": None,
        "status": ctx.status.name,
        "resolved": [[v.name, str(v.version), v.index] for v in ctx.resolved_packages or []],
        "described": ctx.failure_description is not None,
        "loaded": ctx.num_loaded_packages,
    })
print("\n" + json.dumps(out))
"""

Case = dict[str, Any]

#: Release times written into the copy of the repository (other packages have none).
TIMESTAMPS = {
    ("python", "2.5.2"): 1000,
    ("python", "2.6.0"): 2000,
    ("python", "2.6.8"): 3000,
    ("python", "2.7.0"): 4000,
    ("pyfoo", "3.0.0"): 1500,
    ("pyfoo", "3.1.0"): 3500,
    ("pybah", "4"): 2500,
    ("pybah", "5"): 4500,
    ("pyodd", "1"): 5000,
    ("pyodd", "2"): 1200,
    ("pysplit", "5"): 1000,
    ("pysplit", "6"): 2000,
    ("pysplit", "7"): 6000,
    ("nopy", "2.1"): 3000,
    ("bahish", "1"): 1000,
    ("bahish", "2"): 4000,
}

REQUESTS = [
    ["python"],
    ["python-2.6"],
    ["pyfoo"],
    ["pybah"],
    ["pyfoo", "pybah"],
    ["pyvariants"],
    ["pyvariants", "python"],
    ["pyvariants", "!nada"],
    ["pyodd"],
    ["pysplit"],
    ["bahish"],
    ["nopy"],
    ["python", "pybah"],
]

IMPLICITS = [
    ["~platform==linux", "~arch==x86_64", "~os==Ubuntu-22.04"],
    ["python-2.6"],
    ["~python<2.7"],
    ["!pyodd"],
    ["nada"],
    ["~pyfoo-3.0"],
    ["!python-2.7"],
]

FILTERS: list[list[dict[str, Any]]] = [
    [{"excludes": ["glob(python-2.7*)"]}],
    [{"excludes": ["python-2.7*"]}],
    [{"excludes": ["python-2.7"]}],
    [{"excludes": ["*"], "includes": ["python-2.6*", "pyfoo*", "pybah*", "nada", "nopy*"]}],
    [{"excludes": ["regex(py.*-3\\.1.*)"]}],
    [{"excludes": ["regex(.*\\.0$)"]}],
    [{"excludes": ["range(python<2.7)"]}],
    [{"excludes": ["range(!python-2.6)"]}],
    [{"excludes": ["before(2000)"]}],
    [{"excludes": ["after(3000)"]}],
    [{"excludes": ["after(python:2500)"]}],
    [{"excludes": ["after(2500)"], "includes": ["glob(pybah-*)"]}],
    [{"excludes": ["glob(python-2.7*)"]}, {"excludes": ["after(3000)"]}],
    [{"excludes": ["glob(*)"]}],
    [{"includes": ["python-2.6*"]}],
    [{"excludes": "python-2.7*", "includes": "range(python-2.7.0)"}],
]

#: The families with several versions.  Rez's ``soft_timestamp`` lists the packages of
#: every family it applies to, ephemerals included, and raises on a name such as
#: ``.eek``; pkg finds no package there.  The parity cases name their families.
_VERSIONED = ["python", "pyfoo", "pybah", "pyodd", "pysplit", "bahish", "pydad", "pymum"]

ORDERERS: list[list[dict[str, Any]]] = [
    [{"type": "sorted", "descending": False}],
    [{"type": "sorted", "descending": False, "packages": ["python"]}],
    [{"type": "sorted", "descending": True}],
    [{"type": "version_split", "first_version": "2.6.0"}],
    [{"type": "version_split", "first_version": "2.6.0", "packages": "python"}],
    [
        {"type": "version_split", "first_version": "2.6.0", "packages": ["python"]},
        {"type": "sorted", "descending": False},
    ],
    [
        {
            "type": "per_family",
            "orderers": [
                {"packages": ["python"], "type": "version_split", "first_version": "2.6.0"},
                {"packages": ["pyfoo", "pysplit"], "type": "sorted", "descending": False},
            ],
            "default_order": {"type": "sorted", "descending": False},
        }
    ],
    [{"type": "soft_timestamp", "timestamp": 2500, "packages": _VERSIONED}],
    [{"type": "soft_timestamp", "timestamp": 1100, "rank": 0, "packages": _VERSIONED}],
    [{"type": "soft_timestamp", "timestamp": 3200, "rank": 2, "packages": ["pyfoo"]}],
    [{"type": "soft_timestamp", "timestamp": 2500, "rank": 3, "packages": ["pysplit"]}],
    [{"type": "no_order", "packages": ["pyvariants", "nopy", "nada"]}],
    [
        {"type": "no_order", "packages": ["nopy"]},
        {"type": "sorted", "descending": False},
    ],
]

LOCKS = [1000, 1100, 2000, 2500, 3000, 4000, 5000, 0]

#: Timestamp locks together with filters (the lock joins the most expensive filter).
LOCKED_FILTERS: list[list[dict[str, Any]]] = [
    [{"excludes": ["glob(nothing-*)"], "includes": ["pybah*"]}],
    [{"includes": ["pybah*"]}],
    [{"excludes": ["glob(python-2.7*)"]}, {"excludes": ["regex(x)"], "includes": ["python*"]}],
]


def _case(
    requests: Sequence[str],
    *,
    implicit: Sequence[str] = (),
    filters: list[dict[str, Any]] | None = None,
    orderers: list[dict[str, Any]] | None = None,
    timestamp: int | None = None,
    mode: str = "version_priority",
    missing: str = "raise",
) -> Case:
    return {
        "requests": list(requests),
        "implicit": list(implicit),
        "filter": filters or [],
        "orderers": orderers or [],
        "timestamp": timestamp,
        "mode": mode,
        "missing": missing,
    }


def _cases() -> list[Case]:
    cases = [_case(reqs, mode=mode, missing=missing) for reqs, mode, missing in REZ_SUITE]
    # tests/test_context.py: orderers given as objects in rez, as tables here.
    split = {"type": "version_split", "first_version": "2.6.8"}
    cases += [
        _case(["pyvariants", "!nada"]),
        _case(
            ["pyvariants", "!nada"],
            orderers=[{"type": "per_family", "orderers": [{**split, "packages": ["python"]}]}],
        ),
        _case(["python"], orderers=[split]),
        _case(["python"], orderers=[{**split, "packages": "python"}]),
        _case(["python"], orderers=[{**split, "packages": "pyfoo"}]),
    ]
    for reqs in REQUESTS:
        cases += [_case(reqs, implicit=implicit) for implicit in IMPLICITS]
        cases += [_case(reqs, filters=filters) for filters in FILTERS]
        cases += [_case(reqs, orderers=orderers) for orderers in ORDERERS]
        cases += [_case(reqs, timestamp=lock) for lock in LOCKS]
        cases += [
            _case(reqs, filters=filters, timestamp=2500) for filters in [*FILTERS, *LOCKED_FILTERS]
        ]
        cases.append(_case(reqs, orderers=ORDERERS[7], timestamp=3000, filters=FILTERS[0]))
    return cases


CASES = _cases()


def _case_id(case: Case) -> str:
    parts = [" ".join(case["requests"]) or "-"]
    for key in ("implicit", "filter", "orderers"):
        if case[key]:
            parts.append(f"{key}={json.dumps(case[key], separators=(',', ':'))}")
    if case["timestamp"] is not None:
        parts.append(f"t={case['timestamp']}")
    if case["mode"] != "version_priority":
        parts.append(case["mode"])
    if case["missing"] != "raise":
        parts.append("missing=fail")
    return " ".join(parts)


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of rez's solver packages with :data:`TIMESTAMPS` written in."""
    root = tmp_path_factory.mktemp("resolve-parity") / "packages"
    shutil.copytree(REZ_DATA, root, ignore=shutil.ignore_patterns("__pycache__"))
    for (family, version), released in TIMESTAMPS.items():
        path = root / family / version / "package.py"
        path.write_text(path.read_text() + f"\ntimestamp = {released}\n")
    return root


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
    results: list[dict[str, Any]] = json.loads(done.stdout.splitlines()[-1])
    return results


def run_pkg(case: Case, index_dir: Path) -> dict[str, Any]:
    config = load_config(
        overrides={
            "error_on_missing_variant_requires": case["missing"] == "raise",
            "packages_path": case["paths"],
        }
    )
    try:
        result = resolve(
            case["requests"],
            paths=case["paths"],
            implicit_packages=case["implicit"],
            config=config,
            timestamp=case["timestamp"],
            package_filter=case["filter"],
            package_orderers=case["orderers"],
            variant_select_mode=case["mode"],
            index_dir=index_dir,
            caching=False,
        )
    except RequestError:
        return {"error": "request"}
    except PackageFamilyNotFoundError:
        return {"error": "family"}
    except PackageNotFoundError:
        return {"error": "package"}
    except ResolveError:
        return {"error": "resolve"}
    except Exception as error:
        return {"error": "other: " + type(error).__name__}
    return {
        "error": None,
        "status": result.status,
        "resolved": [[v.name, str(v.version), v.index] for v in result.resolved_packages],
        "described": result.failure_description is not None,
        "loaded": result.num_loaded_packages,
    }


@pytest.fixture(scope="module")
def rez_results(repository: Path) -> list[dict[str, Any]]:
    return run_rez([{**case, "paths": [str(repository)]} for case in CASES])


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("resolve-parity-index")


def test_cases_cover_every_kind() -> None:
    assert len(CASES) > 500
    assert {o[0]["type"] for o in ORDERERS} == {
        "sorted",
        "version_split",
        "per_family",
        "soft_timestamp",
        "no_order",
    }


@pytest.mark.parametrize("number", range(len(CASES)), ids=[_case_id(c) for c in CASES])
def test_resolve_matches_rez(
    number: int, repository: Path, index_dir: Path, rez_results: list[dict[str, Any]]
) -> None:
    case = {**CASES[number], "paths": [str(repository)]}
    assert run_pkg(case, index_dir) == rez_results[number]


def test_known_difference_soft_timestamp_over_an_ephemeral(
    repository: Path, index_dir: Path
) -> None:
    """Rez's ``soft_timestamp`` for every family fails on a variant that requires an
    ephemeral (it looks ``.eek`` up as a package family); pkg resolves."""
    case = {
        **_case(["pyfoo"], orderers=[{"type": "soft_timestamp", "timestamp": 2500}]),
        "paths": [str(repository)],
    }
    assert run_rez([case]) == [{"error": "request"}]
    assert run_pkg(case, index_dir)["status"] == "solved"
