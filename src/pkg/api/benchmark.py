"""``pkg benchmark``: time the resolves of a benchmark set, as ``rez-benchmark`` does.

A benchmark set is a package repository and a requests file, in the format of Rez's
``rez/data/benchmarking``: ``packages.tar.gz`` (a tarball holding a ``packages/``
repository) or any repository directory, and ``requests.json`` (a JSON list of
requests, each a list of request strings).  :func:`run_benchmark` writes into a new
results directory:

* ``packages/``, the repository, when it came as a tarball;
* ``resolves.json``: per request, ``request``, ``status`` (``success``, ``failed`` or
  ``error``), ``resolve_time`` (seconds, averaged over the iterations),
  ``resolved_packages`` (each variant's definition file and index relative to the
  repository, as Rez writes them) or ``error``;
* ``summary.json``: the statistics :func:`run_benchmark` returns.

Every package and variant is read once before the timing starts (Rez warms its package
cache the same way); each request is resolved without implicit packages and without the
resolve cache.  :func:`histogram` and :func:`compare` read results directories back.
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
import tarfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkg.errors import PkgError, UsageError
from pkg.resolver import Reporter

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pkg.config import Config
    from pkg.repositories import PackageSearchPath

__all__ = [
    "BenchmarkMismatch",
    "compare",
    "default_benchmark_data",
    "histogram",
    "load_requests",
    "run_benchmark",
    "statistics",
]

#: The statistics :func:`compare` puts side by side.
COMPARED_FIELDS = ("max", "min", "mean", "median", "stddev")


class BenchmarkMismatch(PkgError):
    """Two results directories resolved a request differently (``--compare``)."""

    exit_code = 1


def default_benchmark_data() -> tuple[Path, Path] | None:
    """``(packages.tar.gz, requests.json)`` of Rez's own benchmark set, found as files
    under ``rez/data/benchmarking`` along ``sys.path`` (Rez is not imported); None when
    no installed Rez has them."""
    for entry in sys.path:
        data = Path(entry or ".") / "rez" / "data" / "benchmarking"
        packages, requests = data / "packages.tar.gz", data / "requests.json"
        if packages.is_file() and requests.is_file():
            return packages, requests
    return None


def load_requests(path: str | os.PathLike[str]) -> list[list[str]]:
    """The requests of a requests file: a JSON list of lists of request strings.

    Raises:
        UsageError: the file cannot be read or is not such a list (naming the file).
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read the requests file {path}: {error}") from error
    if not isinstance(data, list) or not all(
        isinstance(r, list) and all(isinstance(x, str) for x in r) for r in data
    ):
        raise UsageError(f"{path}: expected a JSON list of lists of request strings")
    return data


class _Dots(Reporter):
    """Writes a dot for each solver phase (Rez writes one per solver step)."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write

    def phase_starting(self, number: int, num_fails: int, state: str) -> None:
        self.write(".")


def _repository(packages: Path, out_dir: Path) -> Path:
    """The repository directory: ``packages`` itself, or extracted from the tarball
    ``packages`` into ``out_dir`` (whose ``packages/`` it must hold)."""
    if packages.is_dir():
        return packages.resolve()
    try:
        with tarfile.open(packages) as archive:
            archive.extractall(out_dir, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise UsageError(f"cannot extract the packages archive {packages}: {error}") from error
    repository = out_dir / "packages"
    if not repository.is_dir():
        raise UsageError(f"the packages archive {packages} holds no 'packages' directory")
    return repository


def _warm(search_path: PackageSearchPath, write: Callable[[str], object]) -> None:
    families = sorted(search_path.iter_family_names())
    for i, family in enumerate(families):
        write(f"\n[{i + 1}/{len(families)}]")
        for package in search_path.iter_packages(family):
            for _variant in package.iter_variants():
                pass
            write(".")
    write("\n")


def system_info() -> dict[str, Any]:
    """What may affect resolve times: pkg's and Python's versions, the platform, and
    (on Linux) the number and model of the CPUs."""
    from pkg import __version__

    info: dict[str, Any] = {
        "pkg_version": __version__,
        "py_version": "{}.{}".format(*sys.version_info[:2]),
        "platform": platform.platform(),
    }
    try:
        fields = {}
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip()] = value.strip()
        info["num_cpu"] = int(fields["processor"]) + 1
        info["cpu"] = fields["model name"]
    except (OSError, KeyError, ValueError):
        pass
    return info


def statistics(times: Sequence[float]) -> dict[str, float]:
    """``median`` (the upper one, as Rez), ``mean``, ``min``, ``max`` and ``stddev``
    (population) of ``times``; empty for no times.

    >>> statistics([3.0, 1.0, 2.0, 4.0])["median"]
    3.0
    """
    if not times:
        return {}
    ordered = sorted(times)
    mean = sum(ordered) / len(ordered)
    return {
        "median": ordered[len(ordered) // 2],
        "mean": mean,
        "min": ordered[0],
        "max": ordered[-1],
        "stddev": math.sqrt(sum((t - mean) ** 2 for t in ordered) / len(ordered)),
    }


def run_benchmark(
    packages: str | os.PathLike[str],
    requests: Sequence[Sequence[str]],
    out_dir: str | os.PathLike[str],
    config: Config,
    *,
    iterations: int = 1,
    write: Callable[[str], object] = lambda _text: None,
) -> dict[str, Any]:
    """Resolve each of ``requests`` ``iterations`` times against ``packages`` (a
    repository directory or a tarball holding ``packages/``) and write the results to
    the new directory ``out_dir`` (see the module docstring); return the statistics.

    Progress text goes to ``write`` (no newline added).  The statistics are
    ``total_run_time``, ``num_success_resolves``, ``num_failed_resolves``,
    ``num_error_resolves``, :func:`system_info` and, when any resolve finished (solved
    or failed), :func:`statistics` of their times.

    Raises:
        PkgError: ``out_dir`` exists (exit status 1, as Rez).
        UsageError: ``iterations`` is below 1, or ``packages`` is neither a directory
            nor a readable tarball.
    """
    from pkg.api.resolve import resolve
    from pkg.repositories import FilesystemRepository, PackageSearchPath

    if iterations < 1:
        raise UsageError(f"--iterations must be at least 1, not {iterations}")
    out = Path(out_dir).resolve()
    if out.exists():
        raise PkgError(f"the results directory {out} must not exist")
    source = Path(packages)
    if not source.exists():
        raise UsageError(f"the packages directory or archive {source} does not exist")
    out.mkdir(parents=True)
    write(f"Writing results to {out}...\n")
    repository = _repository(source, out)
    # Trust the in-process cache once warm (as Rez's caches do): no stat per read.
    search_path = PackageSearchPath([FilesystemRepository(repository, config, revalidate=False)])
    write("Warming package cache...")
    _warm(search_path, write)
    write(f"Performing {len(requests)} resolves...\n")
    summaries: list[dict[str, Any]] = []
    started = time.perf_counter()
    for i, request in enumerate(requests):
        write(f"\n[{i + 1}/{len(requests)}]\nRequest: {list(request)}\nResolving")
        summary: dict[str, Any] = {"request": list(request)}
        try:
            seconds = 0.0
            for _ in range(iterations):
                t = time.perf_counter()
                result = resolve(
                    request,
                    add_implicit_packages=False,
                    config=config,
                    search_path=search_path,
                    caching=False,
                    reporter=_Dots(write),
                )
                seconds += time.perf_counter() - t
            write("\n\n")
            summary["status"] = "success" if result.success else "failed"
            summary["resolve_time"] = seconds / iterations
            if result.success:
                summary["resolved_packages"] = [
                    os.path.relpath(v.uri, repository) for v in result.resolved_packages
                ]
        except PkgError as error:
            write(f"\n{error}\n")
            summary.update(status="error", error=str(error))
        summaries.append(summary)
    total = time.perf_counter() - started
    times = [s["resolve_time"] for s in summaries if s["status"] != "error"]
    stats: dict[str, Any] = {
        "total_run_time": total,
        "num_success_resolves": sum(s["status"] == "success" for s in summaries),
        "num_failed_resolves": sum(s["status"] == "failed" for s in summaries),
        "num_error_resolves": sum(s["status"] == "error" for s in summaries),
    }
    stats.update(system_info())
    stats.update(statistics(times))
    (out / "resolves.json").write_text(json.dumps(summaries, indent=2), encoding="utf-8")
    (out / "summary.json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    return stats


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read benchmark results {path}: {error}") from error


def histogram(out_dir: str | os.PathLike[str], rows: int = 40, columns: int = 40) -> list[str]:
    """The lines of an ASCII histogram of the resolve times in ``out_dir``'s
    ``resolves.json``: ``rows`` time buckets from the fastest to the slowest, each a
    bar of up to ``columns`` ``#``.

    Raises:
        UsageError: no readable results, or none with a time.
    """
    path = Path(out_dir) / "resolves.json"
    times = [s["resolve_time"] for s in _read_json(path) if "resolve_time" in s]
    if not times:
        raise UsageError(f"{path}: no resolve times")
    low, high = min(times), max(times)
    size = (high - low) / rows
    buckets = [0] * rows
    for t in times:
        buckets[min(int((t - low) / size), rows - 1) if size else 0] += 1
    scale = columns / max(buckets)
    width = len(f"[{high:.2f}-{high:.2f}]")
    lines = []
    for i, count in enumerate(buckets):
        start = low + i * size
        label = f"[{start:.2f}-{start + size:.2f}]"
        lines.append(f"{label:>{width}} |{'#' * int(count * scale)}")
    return lines


def compare(out_dir: str | os.PathLike[str], other_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """The change of each statistic from ``out_dir`` to ``other_dir``:
    ``{"<field>_delta": [delta, "+1.23%"]}`` for max, min, mean, median and stddev (a
    negative delta: ``other_dir`` resolved faster).

    Raises:
        BenchmarkMismatch: a request resolved differently in the two (the first one).
        UsageError: the results cannot be read.
    """
    first = _read_json(Path(out_dir) / "resolves.json")
    second = _read_json(Path(other_dir) / "resolves.json")
    for i, (one, two) in enumerate(zip(first, second, strict=False)):
        if one.get("resolved_packages") != two.get("resolved_packages"):
            raise BenchmarkMismatch(
                f"mismatching result (#{i}): request {one.get('request')!r}: "
                f"{out_dir} resolved {one.get('resolved_packages')!r}, "
                f"{other_dir} resolved {two.get('resolved_packages')!r}"
            )
    stats1 = _read_json(Path(out_dir) / "summary.json")
    stats2 = _read_json(Path(other_dir) / "summary.json")
    deltas: dict[str, Any] = {}
    for name in COMPARED_FIELDS:
        if name not in stats1 or name not in stats2:
            continue
        delta = stats2[name] - stats1[name]
        percent = 100.0 * delta / stats1[name] if stats1[name] else 0.0
        deltas[f"{name}_delta"] = [delta, f"{percent:+.2f}%"]
    return deltas
