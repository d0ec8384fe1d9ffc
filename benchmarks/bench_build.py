"""Build benchmark: four variants whose build sleeps one second, ``pkg build -i -j 4``
against ``rez-build -i``.

In a temporary directory: a repository of four stub packages ``dep-1`` ... ``dep-4``, and a
source package ``sleepy-1.0`` with one variant per dependency whose ``build_command`` is
``sleep 1``.  Each tool builds and installs all four variants into its own empty install
repository (``-p``), from its own copy of the source, as a whole process; implicit
packages are off on both sides and home configuration is disabled.  rez-build builds the
variants one after another; pkg builds them as concurrent tasks.

Run with the interpreter of the environment that has both installed::

    python benchmarks/bench_build.py [--runs N] [--variants 4] [--sleep 1]

Prints each run's wall time, the minimum and median of each tool, and pkg's share of rez's
median.  Target (issue 7): pkg under 1.6 s wall for 4 variants of 1 s.  Nothing here is a
pass/fail check.
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


def _script(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed (pip install -e '.[parity]')")
    return found


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _setup(root: Path, variants: int, sleep: float) -> tuple[Path, Path]:
    deps = root / "deps"
    for i in range(1, variants + 1):
        _write(deps / "dep" / str(i) / "package.py", f"name = 'dep'\nversion = '{i}'\n")
    source = root / "source"
    listed = ", ".join(f"['dep-{i}']" for i in range(1, variants + 1))
    _write(
        source / "package.py",
        "name = 'sleepy'\nversion = '1.0'\n"
        f"variants = [{listed}]\n"
        f"build_command = 'sleep {sleep}'\n",
    )
    return deps, source


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise SystemExit(f"{' '.join(argv)} failed: {detail[-1] if detail else done.returncode}")
    return elapsed


def _fresh(root: Path, source: Path, tag: str, run: int) -> tuple[Path, Path]:
    """A copy of the source and an empty install repository for one run."""
    work = root / f"{tag}-{run}"
    shutil.copytree(source, work / "source")
    (work / "install").mkdir()
    return work / "source", work / "install"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", type=int, default=4)
    parser.add_argument("--sleep", type=float, default=1.0)
    args = parser.parse_args()
    pkg, rez_build = [sys.executable, "-m", "pkg"], _script("rez-build")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        deps, source = _setup(root, args.variants, args.sleep)
        env = {
            **os.environ,
            "PKG_PACKAGES_PATH": str(deps),
            "REZ_PACKAGES_PATH": str(deps),
            "PKG_IMPLICIT_PACKAGES_JSON": "[]",
            "REZ_IMPLICIT_PACKAGES_JSON": "[]",
            "REZ_DISABLE_HOME_CONFIG": "1",
        }
        env.pop("REZ_CONFIG_FILE", None)
        env.pop("PKG_CONFIG_FILE", None)
        ours: list[float] = []
        theirs: list[float] = []
        for run in range(args.runs):
            src, install = _fresh(root, source, "pkg", run)
            jobs = str(args.variants)
            ours.append(_run([*pkg, "build", "-i", "-p", str(install), "-j", jobs], src, env))
            src, install = _fresh(root, source, "rez", run)
            theirs.append(_run([rez_build, "-i", "-p", str(install)], src, env))
            print(f"run {run + 1}: pkg {ours[-1]:.2f} s   rez {theirs[-1]:.2f} s")
    pkg_median, rez_median = statistics.median(ours), statistics.median(theirs)
    print(
        f"{args.variants} variants x sleep {args.sleep:g} s: "
        f"pkg min/median {min(ours):.2f}/{pkg_median:.2f} s, "
        f"rez min/median {min(theirs):.2f}/{rez_median:.2f} s"
    )
    print(f"pkg takes {pkg_median / rez_median:.2f} of rez's median time (target: pkg under 1.6 s)")


if __name__ == "__main__":
    main()
