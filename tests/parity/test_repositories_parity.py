"""Listing rez's own test repositories with pkg and with rez 3.4.0 gives the same packages.

rez runs in a subprocess (``REZ_DISABLE_HOME_CONFIG=1``) so its global state never enters
this process.  Compared: the family names of each repository, the versions of each family,
and, for a search path of several repositories, which repository each version comes from
(an earlier repository hides the same version in later ones).

Order: rez yields the versions of one repository in an arbitrary order that changes from
run to run (it lists them through a ``set``); pkg yields them lowest first.  So within one
repository the versions are compared sorted, while the order of the repositories along the
search path is compared exactly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pkg.config import load_config
from pkg.core import Version
from pkg.repositories import PackageSearchPath

pytestmark = pytest.mark.parity

rez = pytest.importorskip("rez")
DATA = Path(rez.__file__).parent / "data" / "tests"
REPOSITORIES = [
    DATA / "solver" / "packages",
    DATA / "packages" / "py_packages",
    DATA / "packages" / "yaml_packages",
    DATA / "builds" / "packages",
]
SEARCH_PATHS = [
    [DATA / "packages" / "py_packages", DATA / "packages" / "yaml_packages"],
    [DATA / "solver" / "packages", DATA / "packages" / "py_packages"],
]

_DUMP = """
import json, sys
from rez.packages import iter_package_families, iter_packages
out = {}
for spec in json.loads(sys.argv[1]):
    paths = spec.split("|")
    families = sorted({f.name for f in iter_package_families(paths=paths)})
    found = {}
    for name in families:
        found[name] = [
            [str(p.version), p.repository.location] for p in iter_packages(name, paths=paths)
        ]
    out[spec] = {"families": families, "packages": found}
print(json.dumps(out))
"""


def _spec(paths: list[Path]) -> str:
    return "|".join(str(p) for p in paths)


@pytest.fixture(scope="module")
def rez_listing(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("rezhome")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(HOME=str(home), REZ_DISABLE_HOME_CONFIG="1")
    specs = [_spec([p]) for p in REPOSITORIES if p.is_dir()] + [_spec(s) for s in SEARCH_PATHS]
    result = subprocess.run(
        [sys.executable, "-c", _DUMP, json.dumps(specs)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def _chunks(pairs: list[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """[(repository, sorted versions)] in search-path order."""
    chunks: list[tuple[str, list[str]]] = []
    for version, location in pairs:
        if not chunks or chunks[-1][0] != location:
            chunks.append((location, []))
        chunks[-1][1].append(version)
    return [(loc, sorted(vs, key=Version)) for loc, vs in chunks]


def _pkg_listing(paths: list[Path], tmp_path: Path) -> dict[str, Any]:
    """Like rez's listing: versions are listed without loading their definitions."""
    config = load_config(environ={"PKG_DISABLE_HOME_CONFIG": "1"}, home=tmp_path)
    search = PackageSearchPath.from_paths([str(p) for p in paths], config, index_dir=tmp_path)
    families = sorted(search.iter_family_names())
    packages: dict[str, list[list[str]]] = {}
    for name in families:
        seen: set[Version] = set()
        found = packages.setdefault(name, [])
        for repository in search.repositories:
            for version in repository.iter_versions(name):
                if version not in seen:
                    seen.add(version)
                    found.append([str(version), repository.location])
        assert sorted(str(v) for v in search.iter_versions(name)) == sorted(v for v, _ in found)
        loaded = {str(p.version): p.repository for p in search.iter_packages(name)}
        for text, location in found:
            ref = loaded.get(text)
            assert ref is None or ref.location == location  # hidden by the same repository
    return {"families": families, "packages": packages}


@pytest.mark.parametrize(
    "paths",
    [[p] for p in REPOSITORIES] + SEARCH_PATHS,
    ids=lambda ps: "+".join(f"{p.parent.name}/{p.name}" for p in ps),
)
def test_same_families_and_versions(
    paths: list[Path], rez_listing: dict[str, Any], tmp_path: Path
) -> None:
    if not all(p.is_dir() for p in paths):
        pytest.skip("repository not shipped with this rez")
    expected = rez_listing[_spec(paths)]
    actual = _pkg_listing(paths, tmp_path)
    assert actual["families"] == expected["families"]
    for name in expected["families"]:
        rez_chunks = _chunks([(v, loc) for v, loc in expected["packages"][name]])
        pkg_pairs = actual["packages"][name]
        assert _chunks([(v, loc) for v, loc in pkg_pairs]) == rez_chunks, name
        # pkg's own order: lowest first within each repository.
        for _loc, versions in _chunks([(v, loc) for v, loc in pkg_pairs]):
            assert versions == sorted(versions, key=Version)


def test_index_gives_the_same_answer_twice(tmp_path: Path) -> None:
    paths = [DATA / "solver" / "packages"]
    first = _pkg_listing(paths, tmp_path)
    second = _pkg_listing(paths, tmp_path)  # now from the on-disk index
    assert first == second
