"""pip benchmark: a tree of 12 local wheels converted by ``pkg pip -i`` and by ``rez-pip -i``.

In a temporary directory: 12 wheels written by ``tests.wheels.chain_wheels`` (``tree-0``
requires the 11 others; every third one has a console script; each has 22 modules).
Each tool installs ``tree-0`` with ``-e --no-index --find-links DIR`` into its own fresh
repository, as a whole process, with home configuration disabled and no ``python``
package (both fall back to the interpreter of this environment).  Both run the same pip;
rez-pip then converts the distributions one after another, pkg concurrently.

Run with the interpreter of the environment that has both installed::

    python benchmarks/bench_pip.py [--runs N] [--wheels 12]

Prints each run's wall time, the minimum and median of each tool, and pkg's share of
rez's median.  Nothing here is a pass/fail check.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.wheels import chain_wheels, write_wheels


def _script(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed (pip install -e '.[parity]')")
    return found


def _environ(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(
        REZ_DISABLE_HOME_CONFIG="1",
        REZ_LOCAL_PACKAGES_PATH=str(repo),
        REZ_PACKAGES_PATH=str(repo),
        PKG_DISABLE_HOME_CONFIG="1",
        PKG_LOCAL_PACKAGES_PATH=str(repo),
        PKG_PACKAGES_PATH=str(repo),
    )
    return env


def _time(argv: list[str], repo: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=_environ(repo), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} failed:\n{proc.stderr}")
    installed = sorted(p.name for p in repo.iterdir() if not p.name.startswith("."))
    if len(installed) != _time.expected:  # type: ignore[attr-defined]
        raise SystemExit(f"{argv[0]} installed {installed}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wheels", type=int, default=12)
    args = parser.parse_args()
    rez_pip, pkg = _script("rez-pip"), _script("pkg")
    times: dict[str, list[float]] = {"rez-pip": [], "pkg pip": []}
    _time.expected = args.wheels  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory(prefix="bench-pip-") as tmp:
        base = Path(tmp)
        wheels = write_wheels(base / "wheels", chain_wheels(args.wheels))
        extra = ["-e", "--no-index", "--find-links", str(wheels)]
        for run in range(args.runs):
            for tool, argv in (
                ("rez-pip", [rez_pip, "-i", "tree-0", *extra]),
                ("pkg pip", [pkg, "pip", "-i", "tree-0", *extra]),
            ):
                repo = base / f"{tool.replace(' ', '-')}-{run}"
                seconds = _time(argv, repo)
                times[tool].append(seconds)
                print(f"run {run + 1}: {tool:8} {seconds:6.2f} s")
    rez_median = statistics.median(times["rez-pip"])
    for tool, values in times.items():
        print(f"{tool:8} min {min(values):6.2f} s  median {statistics.median(values):6.2f} s")
    ratio = statistics.median(times["pkg pip"]) / rez_median
    print(f"pkg pip / rez-pip (median wall time): {ratio:.2f}")


if __name__ == "__main__":
    main()
