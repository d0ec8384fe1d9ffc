"""Rez 3.4.0's resolve benchmark data, loaded for pkg.

Rez ships ``rez/data/benchmarking/packages.tar.gz`` (1,266 families, 18,226 versions) and
``requests.json`` (188 requests of up to 93 items).  ``rez benchmark`` extracts the
tarball, warms its package cache and resolves each request with
``ResolvedContext(request, package_paths=[<packages>], add_implicit_packages=False)``
under the default configuration: no package filter, no orderer, ``version_priority``,
``error_on_missing_variant_requires``, no memcached.  :func:`load_provider` gives pkg the
same packages; :data:`REZ_RUNNER` resolves requests with rez the same way, in a
subprocess.

Used by ``tests/parity/test_benchmark_parity.py`` and ``benchmarks/bench_resolve.py``.
"""

from __future__ import annotations

import importlib.util
import json
import tarfile
from pathlib import Path
from typing import Any

from pkg.errors import ResolveError
from pkg.repositories import FilesystemRepository
from pkg.resolver import MemoryProvider, solve

__all__ = [
    "DATA_DIR",
    "REZ_RUNNER",
    "SAMPLE_SIZE",
    "extract_packages",
    "load_packages",
    "load_provider",
    "load_requests",
    "run_pkg",
    "sample_indices",
    "warm",
]


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("rez")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "data" / "benchmarking"


#: ``rez/data/benchmarking`` of the installed rez (None without rez).
DATA_DIR = _data_dir()

#: How many requests the default parity run compares.
SAMPLE_SIZE = 30

Packages = dict[str, dict[str, dict[str, Any]]]


def load_requests() -> list[list[str]]:
    """The 188 requests of ``requests.json``, in file order."""
    assert DATA_DIR is not None, "rez is not installed"
    requests: list[list[str]] = json.loads((DATA_DIR / "requests.json").read_text())
    return requests


def sample_indices(total: int, size: int = SAMPLE_SIZE) -> list[int]:
    """``size`` request positions spread evenly over ``total`` (always the same ones)."""
    if size >= total:
        return list(range(total))
    return [i * total // size for i in range(size)]


def extract_packages(dest: Path) -> Path:
    """Extract the benchmark repository into ``dest``; returns its ``packages`` dir."""
    assert DATA_DIR is not None, "rez is not installed"
    with tarfile.open(DATA_DIR / "packages.tar.gz") as archive:
        archive.extractall(dest, filter="data")
    return dest / "packages"


def load_packages(root: Path, index_dir: Path) -> Packages:
    """``{family: {version: {"requires", "variants", "build_requires"}}}`` of ``root``,
    read with pkg's filesystem repository (``index_dir``: where its index may go)."""
    repo = FilesystemRepository(root, index_dir=index_dir, use_index=False, revalidate=False)
    packages: Packages = {}
    for family in sorted(repo.iter_family_names()):
        versions = packages[family] = {}
        for package in repo.iter_packages(family):
            versions[str(package.version)] = {
                key: package.get(key) for key in ("requires", "variants", "build_requires")
            }
    return packages


def warm(provider: MemoryProvider) -> None:
    """Ask ``provider`` for every family and version once, and for each package's
    variants (as ``rez benchmark`` loads every package and iterates its variants before
    timing), so that a solve pays no parsing."""
    for family in provider.packages:
        for version in provider.versions(family) or ():
            provider.package(family, version).solver_variants(family, version, False)


def load_provider(root: Path, index_dir: Path) -> MemoryProvider:
    """A warm :class:`MemoryProvider` over the benchmark repository at ``root``."""
    provider = MemoryProvider(load_packages(root, index_dir))
    warm(provider)
    return provider


#: Run with ``python -c REZ_RUNNER PACKAGES_DIR`` and a JSON list of requests on stdin:
#: prints a JSON list with, per request, ``status`` ("solved", "failed", "cyclic" or
#: "error: <ExceptionType>"), ``resolved`` (``name-version[index]``), the ``solves`` and
#: ``fails`` counts and ``seconds``.  With ``--warm``, every package and variant is
#: loaded first, as ``rez benchmark`` does.
REZ_RUNNER = r"""
import json, sys, time
from rez.config import config
from rez.exceptions import RezError
from rez.solver import Solver, SolverStatus
from rez.version import Requirement

config.override("resolve_caching", False)
config.override("memcached_uri", [])
path = sys.argv[1]
if "--warm" in sys.argv:
    from rez.packages import iter_package_families
    for family in iter_package_families(paths=[path]):
        for package in family.iter_packages():
            package.validate_data()
            for _ in package.iter_variants():
                pass
out = []
for request in json.load(sys.stdin):
    start = time.perf_counter()
    try:
        solver = Solver([Requirement(x) for x in request], [path])
        solver.solve()
    except RezError as err:
        out.append({"status": "error: " + type(err).__name__, "resolved": [],
                    "seconds": time.perf_counter() - start})
        continue
    seconds = time.perf_counter() - start
    if solver.status == SolverStatus.solved:
        status = "solved"
    else:
        status = "cyclic" if solver.cyclic_fail else "failed"
    out.append({
        "status": status,
        "resolved": [str(v) for v in solver.resolved_packages] if status == "solved" else [],
        "solves": solver.num_solves,
        "fails": solver.num_fails,
        "seconds": seconds,
    })
print(json.dumps(out))
"""


def run_pkg(request: list[str], provider: MemoryProvider) -> dict[str, Any]:
    """pkg's result for ``request``, in the shape :data:`REZ_RUNNER` prints (no time)."""
    try:
        result = solve(request, provider)
    except ResolveError as err:
        return {"status": "error: " + type(err).__name__, "resolved": []}
    return {
        "status": result.status,
        "resolved": [str(v) for v in result.resolved] if result.status == "solved" else [],
        "solves": result.num_solves,
        "fails": result.num_fails,
    }
