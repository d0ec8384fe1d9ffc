"""Resolve benchmark: rez's own benchmark set, pkg and rez 3.4.0 side by side.

Rez ships a realistic benchmark (``rez/data/benchmarking``: 1,266 families, 18,226
versions, 188 requests of up to 93 items).  The repository is extracted to a temporary
directory, then, in this one process:

* pkg reads every package with its filesystem repository into a
  :class:`pkg.resolver.MemoryProvider` and asks it for each family and version and
  its variants once (warm), then solves each request with :func:`pkg.resolver.solve`;
* rez loads every package and variant (as ``rez benchmark`` does to warm its caches),
  with resolve caching and memcached off, then solves each request with its ``Solver``
  (what ``ResolvedContext`` runs, without building the context around it).

No implicit packages, filters or orderers (``rez benchmark``'s settings).  After loading,
each side calls ``gc.freeze()``, so that the cyclic garbage collector does not walk the
loaded packages again during the solves (a long-running process would do the same).  Prints the
time of each request, the medians, the ratio of medians, the largest pkg/rez ratio of any
request, pkg's total time including loading, and whether the results agree.

Run:  python benchmarks/bench_resolve.py [--sample N]
Targets: pkg's median >= 10x faster than rez's; no request slower than rez; the whole
pkg run, loading included, under 60 s.  Results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.parity.rez_benchmark import (
    extract_packages,
    load_packages,
    load_requests,
    run_pkg,
    sample_indices,
    warm,
)

from pkg.resolver import MemoryProvider


def _time_pkg(
    root: Path, index_dir: Path, requests: list[list[str]]
) -> tuple[float, list[float], list[dict[str, Any]]]:
    start = time.perf_counter()
    provider = MemoryProvider(load_packages(root, index_dir))
    warm(provider)
    load = time.perf_counter() - start
    gc.freeze()  # the loaded packages are permanent: no collection walks them again
    times, results = [], []
    for request in requests:
        t = time.perf_counter()
        results.append(run_pkg(request, provider))
        times.append(time.perf_counter() - t)
    return load, times, results


def _time_rez(
    root: Path, requests: list[list[str]]
) -> tuple[float, list[float], list[dict[str, Any]]]:
    os.environ["REZ_DISABLE_HOME_CONFIG"] = "1"
    from rez.config import config
    from rez.packages import iter_package_families
    from rez.solver import Solver, SolverStatus
    from rez.version import Requirement

    config.override("resolve_caching", False)
    config.override("memcached_uri", [])
    start = time.perf_counter()
    for family in iter_package_families(paths=[str(root)]):
        for package in family.iter_packages():
            package.validate_data()
            for _ in package.iter_variants():
                pass
    load = time.perf_counter() - start
    gc.freeze()
    times, results = [], []
    for request in requests:
        t = time.perf_counter()
        solver = Solver([Requirement(x) for x in request], [str(root)])
        solver.solve()
        times.append(time.perf_counter() - t)
        solved = solver.status == SolverStatus.solved
        status = "solved" if solved else ("cyclic" if solver.cyclic_fail else "failed")
        results.append(
            {
                "status": status,
                "resolved": [str(v) for v in solver.resolved_packages or ()] if solved else [],
                "solves": solver.num_solves,
                "fails": solver.num_fails,
            }
        )
    return load, times, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=188, help="requests to run (spread evenly)")
    args = parser.parse_args()
    all_requests = load_requests()
    indices = sample_indices(len(all_requests), args.sample)
    requests = [all_requests[i] for i in indices]
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        root = extract_packages(Path(tmp))
        extract = time.perf_counter() - t
        print(f"extracted the benchmark repository in {extract:.2f} s; {len(requests)} requests")
        gc.collect()
        pkg_load, pkg_times, pkg_results = _time_pkg(root, Path(tmp) / "index", requests)
        gc.collect()
        rez_load, rez_times, rez_results = _time_rez(root, requests)

    print(f"{'#':>4} {'items':>5} {'pkg ms':>9} {'rez ms':>9} {'rez/pkg':>8}")
    for i, request, mine, theirs in zip(indices, requests, pkg_times, rez_times, strict=True):
        print(
            f"{i:>4} {len(request):>5} {mine * 1e3:9.1f} {theirs * 1e3:9.1f} {theirs / mine:8.1f}"
        )
    pkg_median = statistics.median(pkg_times)
    rez_median = statistics.median(rez_times)
    worst = max(range(len(requests)), key=lambda k: pkg_times[k] / rez_times[k])
    differ = sum(a != b for a, b in zip(pkg_results, rez_results, strict=True))
    print(f"load (read + warm):   pkg {pkg_load:.2f} s   rez {rez_load:.2f} s")
    print(f"solve total:          pkg {sum(pkg_times):.2f} s   rez {sum(rez_times):.2f} s")
    print(f"median per request:   pkg {pkg_median * 1e3:.1f} ms   rez {rez_median * 1e3:.1f} ms")
    print(f"ratio of medians:     rez / pkg = {rez_median / pkg_median:.1f}x")
    print(
        f"max pkg/rez ratio:    {pkg_times[worst] / rez_times[worst]:.3f} "
        f"(request #{indices[worst]})"
    )
    print(f"pkg total (load + solves): {pkg_load + sum(pkg_times):.2f} s")
    print(f"results that differ from rez: {differ} of {len(requests)}")


if __name__ == "__main__":
    main()
