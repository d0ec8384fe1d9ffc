"""Parity of package loading with rez 3.4.0 over every package definition in rez's test data.

Each ``package.py``/``package.yaml`` under ``rez/data/tests`` is loaded by rez (as a
developer package, and from its repository when it sits in a ``<repo>/<name>[/<version>]``
layout) and by pkg.  rez runs in a subprocess, so its global config and plugin state stay
out of this test process.  Files rez cannot load must fail in pkg too; for the others the
attribute values and the derived names, URIs and variant subpaths must be equal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pkg.errors import PackageDefinitionError
from pkg.packages import Package, RepositoryRef, SourceCode, load_definition

rez = pytest.importorskip("rez")

pytestmark = pytest.mark.parity

DATA = Path(rez.__file__).resolve().parent / "data" / "tests"
FILES = sorted([*DATA.rglob("package.py"), *DATA.rglob("package.yaml")], key=str)
IDS = [str(f.relative_to(DATA)) for f in FILES]
ATTRS = (
    "description", "authors", "tools", "uuid", "has_plugins", "plugin_for", "help",
    "relocatable", "cachable", "tests", "hashed_variants", "timestamp", "changelog",
    "release_message", "vcs", "build_command", "build_system", "requires_rez_version",
)  # fmt: skip
REX = ("commands", "pre_commands", "post_commands", "pre_build_commands", "pre_test_commands")

#: Files that rez's developer-package loader rejects and pkg rejects only when building:
#: ``@include`` without ``package_definition_python_path`` (an installed package finds the
#: module in ``.rez/include``, so loading it from a repository must work).
BUILD_ONLY_ERRORS = frozenset({"builds/packages/foo/1.1.0/package.py"})

_REZ_SCRIPT = r"""
import json, os, sys
from rez.packages import get_developer_package, iter_packages
from rez.utils.sourcecode import SourceCode
ATTRS, REX, files = json.loads(sys.stdin.read())

def code(value):
    return value.source if isinstance(value, SourceCode) else value

def location(path, name, version):
    parent = os.path.dirname(path)
    if version:
        up = os.path.dirname(parent)
        if os.path.basename(parent) != version or os.path.basename(up) != name:
            return None
        return os.path.dirname(up)
    return os.path.dirname(parent) if os.path.basename(parent) == name else None

out = {}
for path in files:
    try:
        p = get_developer_package(os.path.dirname(path))
        attrs = {
            "name": p.name, "version": str(p.version),
            "requires": [str(r) for r in p.requires or []],
            "variants": [[str(r) for r in v] for v in p.variants or []],
            "qualified_name": p.qualified_name,
        }
        attrs.update({a: getattr(p, a, None) for a in ATTRS})
        attrs.update({a: code(getattr(p, a, None)) for a in REX})
        attrs.update({k: p.data[k] for k in p.arbitrary_keys() if k != "preprocess"})
    except Exception as error:
        out[path] = {"error": repr(error)}
        continue
    entry = {"attrs": attrs}
    loc = location(path, p.name, str(p.version) if p.version else "")
    if loc is not None:
        found = [x for x in iter_packages(p.name, paths=[loc]) if str(x.version) == str(p.version)]
        if len(found) == 1:
            q = found[0]
            entry["repo"] = {
                "location": loc, "qualified_name": q.qualified_name, "uri": q.uri,
                "base": q.base,
                "variants": [
                    [v.qualified_name, v.uri, v.subpath, v.root, [str(r) for r in v.requires or []]]
                    for v in q.iter_variants()
                ],
            }
    out[path] = entry
print(json.dumps(out, default=repr))
"""


@pytest.fixture(scope="module")
def rez_results() -> dict[str, dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env["REZ_DISABLE_HOME_CONFIG"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", _REZ_SCRIPT],
        input=json.dumps([ATTRS, REX, [str(f) for f in FILES]]),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _plain(value: object) -> object:
    return json.loads(json.dumps(value, default=repr))


def _ours(package: Package) -> dict[str, object]:
    def code(value: object) -> object:
        if isinstance(value, str):  # rez wraps string commands as code, right-stripped
            return value.rstrip()
        return value.body() if isinstance(value, SourceCode) else value

    attrs: dict[str, object] = {
        "name": package.name,
        "version": str(package.version),
        "requires": [str(r) for r in package.requires],
        "variants": [[str(r) for r in v] for v in package.variants],
        "qualified_name": package.qualified_name,
        **{attr: package.get(attr) for attr in ATTRS},
        **{attr: code(package.get(attr)) for attr in REX},
        **{key: package.get(key) for key in package.arbitrary_keys()},
    }
    return attrs


def _load_and_validate(path: Path, *, building: bool) -> None:
    Package(load_definition(path, building=building)).validate()


def test_there_is_test_data() -> None:
    assert len(FILES) > 80


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_definition_matches_rez(path: Path, rez_results: dict[str, dict[str, Any]]) -> None:
    theirs = rez_results[str(path)]
    if "error" in theirs:
        # rez checks @include paths of developer packages; pkg does when building.
        # Like rez, pkg refuses old-style commands when they are used, not at load.
        building = str(path.relative_to(DATA)) in BUILD_ONLY_ERRORS
        with pytest.raises(PackageDefinitionError):
            _load_and_validate(path, building=building)
        return
    ours = _plain(_ours(Package(load_definition(path))))
    expected = dict(theirs["attrs"])
    assert ours == expected


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_repository_view_matches_rez(path: Path, rez_results: dict[str, dict[str, Any]]) -> None:
    repo = rez_results[str(path)].get("repo")
    if repo is None:
        pytest.skip("rez cannot load it, or it is not in a repository layout")
    package = Package(load_definition(path), RepositoryRef("filesystem", repo["location"]))
    assert package.qualified_name == repo["qualified_name"]
    assert package.uri == repo["uri"]
    assert package.base == repo["base"]
    ours = [
        [v.qualified_name, v.uri, v.subpath, v.root, [str(r) for r in v.requires]]
        for v in package.iter_variants()
    ]
    assert ours == repo["variants"]
