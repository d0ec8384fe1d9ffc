"""Real processes writing and reading one family at the same time.

Two writers repeatedly install and remove versions of ``foo`` while a third process lists
the family through the on-disk index.  The lister must never see a load error (which is
what a partially written ``package.py`` gives), a package missing its last attribute, or
an index file that is not complete JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

DURATION = 3.0

COMMON = """
import json, os, random, sys, time
from pathlib import Path
from pkg.config import load_config
from pkg.repositories import FilesystemRepository, MemoryRepository
repo_dir, index_dir, seed = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
config = load_config(environ={"PKG_DISABLE_HOME_CONFIG": "1"}, home=repo_dir.parent)
repo = FilesystemRepository(repo_dir, config, index_dir=index_dir)
deadline = time.monotonic() + float(sys.argv[4])
"""

WRITER = """
rng = random.Random(seed)
padding = ["x%d-%d" % (seed, i) for i in range(400)]
done = 0
while time.monotonic() < deadline:
    version = "%d.%d" % (rng.randint(1, 3), rng.randint(0, 5))
    if rng.random() < 0.6:
        source = MemoryRepository({"foo": {version: {
            "description": "complete", "padding": padding, "requires": ["bar-1"],
            "last": "yes"}}})
        package = source.get_package("foo", version)
        for variant in package.iter_variants():
            try:
                repo.install_variant(variant, overrides={"timestamp": 1})
            except Exception as error:  # a uuid/variant clash cannot happen here
                print("writer error", type(error).__name__, error, file=sys.stderr)
                sys.exit(1)
    else:
        repo.remove_package("foo", version)
    done += 1
print(json.dumps({"writes": done}))
"""

LISTER = """
reads = packages = 0
problems = []
index_file = None
while time.monotonic() < deadline:
    errors = []
    for package in repo.iter_packages("foo", errors=errors):
        packages += 1
        if package.get("last") != "yes" or len(package.get("padding")) != 400:
            problems.append("incomplete %s" % package.uri)
    problems.extend(str(e) for e in errors)
    reads += 1
    store = repo.index.store
    path = store.directory / "foo.json"
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        text = None
    if text is not None:
        try:
            json.loads(text)
        except ValueError:
            problems.append("torn index file")
    repo.clear_caches()  # read through the disk index every time
print(json.dumps({"reads": reads, "packages": packages, "problems": problems[:5]}))
"""


def _spawn(code: str, repo_dir: Path, index_dir: Path, seed: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(COMMON + code),
            str(repo_dir),
            str(index_dir),
            str(seed),
            str(DURATION),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_writers_and_a_lister(tmp_path: Path) -> None:
    repo_dir = tmp_path / "repo"
    repo_dir.mkdir()
    index_dir = tmp_path / "index"
    procs = [
        _spawn(WRITER, repo_dir, index_dir, 1),
        _spawn(WRITER, repo_dir, index_dir, 2),
        _spawn(LISTER, repo_dir, index_dir, 3),
    ]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    writes = outputs[0]["writes"] + outputs[1]["writes"]
    listed = outputs[2]
    assert listed["problems"] == []
    assert writes > 20
    assert listed["reads"] > 20
    assert listed["packages"] > 0
    leftovers = [p.name for p in (repo_dir / "foo").iterdir() if p.name.startswith(".pkg-tmp")]
    assert leftovers == []
