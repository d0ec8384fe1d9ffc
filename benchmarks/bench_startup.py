"""Start-up time of ``pkg --help`` / ``pkg --version`` compared with rez.

Run with the interpreter of the environment that has both installed::

    python benchmarks/bench_startup.py [--runs N]

Each command runs ``N`` times (after one warm-up run) with output discarded; the script
prints the minimum and median wall time and pkg's ratio to rez.  Timings are noisy on a
busy machine: the minimum is the best estimate.  Nothing here is a pass/fail check.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _script(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    return shutil.which(name)


def _time(argv: list[str], runs: int, env: dict[str, str]) -> list[float]:
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per command (default 20)")
    args = parser.parse_args()

    env = {**os.environ, "PKG_DISABLE_HOME_CONFIG": "1", "REZ_DISABLE_HOME_CONFIG": "1"}
    pkg, rez = _script("pkg"), _script("rez")
    if pkg is None:
        print("pkg is not installed", file=sys.stderr)
        return 1

    print(f"{'command':<16} {'min ms':>8} {'median ms':>10} {'ratio (min)':>12}")
    for flag in ("--help", "--version"):
        pkg_times = _time([pkg, flag], args.runs, env)
        rez_times = _time([rez, flag], args.runs, env) if rez else None
        for name, times in (("pkg", pkg_times), ("rez", rez_times)):
            if times is None:
                print(f"{name + ' ' + flag:<16} {'(rez not installed)':>20}")
                continue
            ratio = ""
            if name == "pkg" and rez_times:
                ratio = f"{min(pkg_times) / min(rez_times):.2f}"
            print(
                f"{name + ' ' + flag:<16} {min(times) * 1000:>8.0f}"
                f" {statistics.median(times) * 1000:>10.0f} {ratio:>12}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
