"""Repository benchmark: list every family and version and read every ``requires``.

A repository of FAMILIES x VERSIONS ``package.py`` files (requires of 0-3 other families
with ranges, a third with variants) is generated in a temporary directory.  Each
measurement runs in a fresh subprocess, for pkg and for rez 3.4.0:

* cold: no pkg index (a new, empty index directory); the OS file cache is warm for both
  (the tree was just written/read), so this measures parsing and executing package.py;
* warm: pkg with its on-disk index already filled by a previous process.  rez has no
  on-disk index, so its "warm" in a fresh process is its cold run again (OS cache warm);
* in-process warm: the same work repeated in one process (rez: its in-memory caches, never
  re-validated; pkg: index in memory, every entry re-validated against the disk, and with
  ``revalidate=False``, trusted like rez's).  pkg builds new ``requires`` lists on each
  access from memoised requests (``pkg.core.parse_requirement``).

Run:  python benchmarks/bench_repository.py [--families 500] [--versions 20] [--repeat 3]
Targets: cold >= 3x faster than rez, warm >= 20x.  Results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

PKG_WORKER = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from pkg.repositories import FilesystemRepository
from pkg.repositories.filesystem import default_config
repo_path, index_dir, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
revalidate = sys.argv[4] == "1"
config = default_config()
times = []
for _ in range(rounds):
    t = time.perf_counter()
    if not times:
        repo = FilesystemRepository(
            repo_path, config, index_dir=Path(index_dir), revalidate=revalidate
        )
    n = r = 0
    for family in repo.iter_family_names():
        for package in repo.iter_packages(family):
            n += 1
            r += len(package.requires)
            for v in package.variants:
                r += len(v)
    times.append(time.perf_counter() - t)
print(json.dumps({"times": times, "packages": n, "requires": r,
                  "total": time.perf_counter() - t0}))
"""

REZ_WORKER = """
import json, sys, time
t0 = time.perf_counter()
from rez.packages import iter_package_families, iter_packages
repo_path, rounds = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(rounds):
    t = time.perf_counter()
    n = r = 0
    for family in iter_package_families(paths=[repo_path]):
        for package in iter_packages(family.name, paths=[repo_path]):
            n += 1
            r += len(package.requires or [])
            for v in package.variants or []:
                r += len(v)
    times.append(time.perf_counter() - t)
print(json.dumps({"times": times, "packages": n, "requires": r,
                  "total": time.perf_counter() - t0}))
"""


def generate(root: Path, families: int, versions: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    names = [f"fam{i:04d}" for i in range(families)]
    for i, name in enumerate(names):
        for j in range(versions):
            version = f"{j // 5 + 1}.{j % 5}.{rng.randint(0, 9)}"
            directory = root / name / version
            if directory.exists():
                continue
            directory.mkdir(parents=True)
            requires = [
                f"{other}-{rng.randint(1, 4)}+<{rng.randint(5, 9)}"
                for other in rng.sample(names[:i] + names[i + 1 :], rng.randint(0, 3))
            ]
            body = f"name = {name!r}\nversion = {version!r}\n"
            body += f"description = 'Package {name} version {version}.'\n"
            body += f"authors = ['someone']\nrequires = {requires!r}\n"
            if rng.random() < 0.3:
                body += (
                    "variants = [['platform-linux', 'python-3.9'], "
                    "['platform-linux', 'python-3.11']]\n"
                )
            body += textwrap.dedent(
                """
                def commands():
                    env.PATH.append('{root}/bin')
                """
            )
            (directory / "package.py").write_text(body)


def run(code: str, *args: str) -> dict[str, object]:
    env = dict(os.environ, REZ_DISABLE_HOME_CONFIG="1", PKG_DISABLE_HOME_CONFIG="1")
    env["PYTHONWARNINGS"] = "ignore"
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def best(results: list[dict[str, object]], key: int = 0) -> float:
    return min(float(r["times"][key]) for r in results)  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=500)
    parser.add_argument("--versions", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        generate(root, args.families, args.versions)
        # Files younger than 2 s are re-verified by content on every read (see the index
        # docs); real repositories are older than that, so let the clock move on.
        time.sleep(2.1)
        count = sum(1 for _ in root.glob("*/*/package.py"))
        print(f"repository: {args.families} families, {count} packages")
        cold_pkg = [
            run(PKG_WORKER, str(root), str(Path(tmp) / f"index-cold-{i}"), "1", "1")
            for i in range(args.repeat)
        ]
        warm_index = str(Path(tmp) / "index-warm")
        run(PKG_WORKER, str(root), warm_index, "1", "1")
        warm_pkg = [run(PKG_WORKER, str(root), warm_index, "3", "1") for _ in range(args.repeat)]
        snapshot = [run(PKG_WORKER, str(root), warm_index, "3", "0") for _ in range(args.repeat)]
        rez = [run(REZ_WORKER, str(root), "3") for _ in range(args.repeat)]
        assert cold_pkg[0]["packages"] == rez[0]["packages"] == count, (cold_pkg[0], rez[0])
        assert cold_pkg[0]["requires"] == rez[0]["requires"], (cold_pkg[0], rez[0])
        rows = [
            ("cold (fresh process, no index)", best(rez), best(cold_pkg)),
            ("warm (fresh process; rez = cold)", best(rez), best(warm_pkg)),
            ("in-process warm (2nd pass)", best(rez, 1), best(warm_pkg, 1)),
            ("in-process, pkg revalidate=False", best(rez, 1), best(snapshot, 1)),
        ]
        print(f"{'measurement':36} {'rez':>9} {'pkg':>9} {'rez/pkg':>8}")
        for label, rez_time, pkg_time in rows:
            print(f"{label:36} {rez_time:8.3f}s {pkg_time:8.3f}s {rez_time / pkg_time:7.1f}x")


if __name__ == "__main__":
    main()
