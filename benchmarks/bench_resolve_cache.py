"""Resolve cache benchmark: a cached resolve in pkg (disk, memcached) and in rez 3.4.0.

A memcached server is started on a free loopback port (``/usr/bin/memcached``).  The
requests are the demo request (``hello`` on ``demo/packages``) and a few requests of
rez's own benchmark set (``rez/data/benchmarking``, extracted to a temporary directory,
spread evenly).  Implicit packages are the defaults on both sides.

For each request, in one long-running process per tool:

* pkg calls :func:`pkg.api.resolve` once to fill the cache, then times ``--repeat``
  further calls, each a validated hit (``from_cache``), end to end (the configuration is
  loaded once, before timing).  Once with the on-disk cache only, once with memcached
  only (``resolve_cache_path = ""``);
* rez (in a subprocess, ``REZ_MEMCACHED_URI`` set, ``resolve_caching`` on) builds one
  ``ResolvedContext`` to fill memcached, then times ``--repeat`` further ones, each read
  from memcached (``from_cache``).

Uncached figures (pkg ``caching=False``; rez without memcached) are printed for scale.
The extracted files are given time to age first, so that every stamp can be trusted on
both sides (a just-written file is checked by content instead; see docs/caching.md).

Run:  python benchmarks/bench_resolve_cache.py [--repeat 30] [--sample 4]
Target: a pkg hit of the demo request well under 5 ms.  Results: docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.memcached_server import find_binary, start
from tests.parity.rez_benchmark import extract_packages, load_requests, sample_indices

from pkg.api.resolve import resolve
from pkg.config import load_config

ROOT = Path(__file__).resolve().parent.parent

REZ_WORKER = """
import gc, json, os, sys, time
cases, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
from rez.resolved_context import ResolvedContext
out = {}
for name, (path, request) in cases.items():
    ResolvedContext(request, package_paths=[path])  # fills the cache
    gc.collect()
    gc.freeze()  # what the fill left behind is not walked again (as pkg's side does)
    times, hits, resolved = [], 0, []
    for _ in range(repeat):
        t = time.perf_counter()
        context = ResolvedContext(request, package_paths=[path])
        times.append(time.perf_counter() - t)
        hits += bool(context.from_cache)
        resolved = [v.qualified_name for v in context.resolved_packages or ()]
    out[name] = {"times": times, "hits": hits, "resolved": resolved}
print(json.dumps(out))
"""


def _rez(cases: dict[str, tuple[str, list[str]]], repeat: int, memcached: str | None) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(REZ_DISABLE_HOME_CONFIG="1", REZ_RESOLVE_CACHING="1")
    if memcached:
        env["REZ_MEMCACHED_URI"] = memcached
    done = subprocess.run(
        [sys.executable, "-c", REZ_WORKER, json.dumps(cases), str(repeat)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def _pkg(
    path: str, request: list[str], repeat: int, overrides: dict[str, object], *, caching: bool
) -> tuple[list[float], int, list[str]]:
    config = load_config(overrides={"packages_path": [path], **overrides})
    resolve(request, config=config, caching=caching)  # fills the cache
    gc.collect()
    gc.freeze()  # what the fill left behind is not walked again (as rez's side does)
    times, hits, resolved = [], 0, []
    for _ in range(repeat):
        t = time.perf_counter()
        result = resolve(request, config=config, caching=caching)
        times.append(time.perf_counter() - t)
        hits += result.from_cache
        resolved = [v.qualified_name for v in result.resolved_packages]
    return times, hits, resolved


def _ms(times: list[float]) -> float:
    return statistics.median(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed resolves per request")
    parser.add_argument("--sample", type=int, default=4, help="requests of rez's benchmark set")
    args = parser.parse_args()
    binary = find_binary()
    if binary is None:
        sys.exit("memcached is not installed")
    server = start(binary)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "xdg")
            cases: dict[str, tuple[str, list[str]]] = {
                "demo hello": (str(ROOT / "demo" / "packages"), ["hello"])
            }
            if args.sample:
                root = str(extract_packages(Path(tmp)))
                requests = load_requests()
                for i in sample_indices(len(requests), args.sample):
                    cases[f"rez #{i} ({len(requests[i])} items)"] = (root, requests[i])
                time.sleep(2.5)  # let the new files' stamps become trustworthy
            disk: dict[str, object] = {
                "resolve_cache_path": str(Path(tmp) / "resolves"),
                "memcached_uri": [],
            }
            memcached: dict[str, object] = {"resolve_cache_path": "", "memcached_uri": [server.uri]}
            rows = []
            rez_hits = _rez(cases, args.repeat, server.uri)
            rez_plain = _rez(cases, max(3, args.repeat // 10), None)
            for name, (path, request) in cases.items():
                on_disk = _pkg(path, request, args.repeat, disk, caching=True)
                in_memcached = _pkg(path, request, args.repeat, memcached, caching=True)
                uncached = _pkg(path, request, max(3, args.repeat // 10), disk, caching=False)
                theirs = rez_hits[name]
                agree = on_disk[2] == in_memcached[2] == theirs["resolved"]
                rows.append(
                    (
                        name,
                        _ms(on_disk[0]),
                        _ms(in_memcached[0]),
                        _ms(theirs["times"]),
                        _ms(uncached[0]),
                        _ms(rez_plain[name]["times"]),
                        f"{on_disk[1]}/{in_memcached[1]}/{theirs['hits']} of {args.repeat}",
                        agree,
                    )
                )
    finally:
        server.stop()
    print(
        f"{'request':<26} {'pkg disk':>9} {'pkg mc':>9} {'rez mc':>9} {'rez/pkg':>8}"
        f" {'pkg off':>9} {'rez off':>9}  hits (disk/mc/rez)  same result"
    )
    for name, disk_ms, mc_ms, rez_ms, off_ms, rez_off_ms, hits, agree in rows:
        print(
            f"{name:<26} {disk_ms:9.2f} {mc_ms:9.2f} {rez_ms:9.2f} {rez_ms / mc_ms:8.1f}"
            f" {off_ms:9.2f} {rez_off_ms:9.2f}  {hits:<18}  {agree}"
        )
    print("(medians in ms; rez/pkg compares the memcached hits)")


if __name__ == "__main__":
    main()
