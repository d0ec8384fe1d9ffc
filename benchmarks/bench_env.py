"""Whole-process time of ``pkg env REQ -- true`` against ``rez-env REQ -- true``.

Both tools resolve the same request on the same repository (the bundled demo repository
by default), build the environment from the packages' commands, and run ``true`` in the
same shell (bash, without rc files).  Resolve caching is off on both sides (the
``resolve_caching`` setting, and ``--no-cache`` on pkg's side, which keeps its disk cache
out of it), so each run resolves; home configuration is disabled for both.

Run with the interpreter of the environment that has both installed::

    python benchmarks/bench_env.py [--runs N] [--shell bash] [REQUEST ...]

Each command runs ``N`` times after one warm-up run (which also writes the bytecode
caches: ``PYTHONDONTWRITEBYTECODE`` is not passed on), pkg and rez alternating so that a
busy machine slows both alike; the script prints the minimum and median wall time per
request and pkg's share of rez's time.  Target (issue 5): pkg takes at most half of
rez's wall time.  Nothing here is a pass/fail check.
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

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo" / "packages"


def _script(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    return shutil.which(name)


def _warm(argv: list[str], env: dict[str, str]) -> None:
    warm = subprocess.run(argv, capture_output=True, env=env, check=False)
    if warm.returncode != 0:
        detail = warm.stderr.decode(errors="replace").strip().splitlines()
        raise SystemExit(f"{' '.join(argv)} failed: {detail[-1] if detail else warm.returncode}")


def _once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, env=env, check=False)
    return time.perf_counter() - start


def _time(
    ours: list[str], theirs: list[str], runs: int, env: dict[str, str]
) -> tuple[list[float], list[float]]:
    """Wall times of ``runs`` runs of each command, after a warm-up run of each.  The two
    alternate (each going first every other time), so that a busy moment of the machine
    weighs on both alike."""
    _warm(ours, env)
    _warm(theirs, env)
    our_times: list[float] = []
    their_times: list[float] = []
    for run in range(runs):
        if run % 2:
            their_times.append(_once(theirs, env))
            our_times.append(_once(ours, env))
        else:
            our_times.append(_once(ours, env))
            their_times.append(_once(theirs, env))
    return our_times, their_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--shell", default="bash")
    parser.add_argument("--paths", default=str(DEMO), help="repositories (os.pathsep list)")
    parser.add_argument("requests", nargs="*", default=["hello"])
    args = parser.parse_args()

    rez = _script("rez-env")
    if rez is None:
        raise SystemExit("rez-env is not installed (pip install '.[parity]')")
    env = dict(os.environ)
    # The warm-up run writes the bytecode caches of both tools (with
    # PYTHONDONTWRITEBYTECODE set, every run of a tool with a stale cache would compile).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PKG_DISABLE_HOME_CONFIG="1",
        REZ_DISABLE_HOME_CONFIG="1",
        PKG_PACKAGES_PATH=args.paths,
        REZ_PACKAGES_PATH=args.paths,
        PKG_RESOLVE_CACHING="false",
        REZ_RESOLVE_CACHING="0",
    )
    pkg = [sys.executable, "-m", "pkg"]
    print(f"{'request':24} {'pkg min/median':>16} {'rez min/median':>16} {'pkg/rez':>8}")
    shares = []
    for request in args.requests:
        words = request.split()
        common = ["--shell", args.shell, "--norc", "--no-cache", *words, "--", "true"]
        ours, theirs = _time([*pkg, "env", *common], [rez, *common], args.runs, env)
        share = statistics.median(ours) / statistics.median(theirs)
        shares.append(share)
        print(
            f"{request:24} {min(ours) * 1000:7.0f}/{statistics.median(ours) * 1000:<7.0f}ms"
            f" {min(theirs) * 1000:7.0f}/{statistics.median(theirs) * 1000:<7.0f}ms"
            f" {share:8.2f}"
        )
    print(f"pkg takes {max(shares):.2f} of rez's median time at worst (target: at most 0.50)")


if __name__ == "__main__":
    main()
