"""Patched requests (``pkg env --patch``) against Rez's ``get_patched_request`` (skipped
without rez).

Random contexts over a small repository: a request of plain, weak and conflict requests
with every kind of range, and one resolved version per family (the patching does not
look at whether the resolve fits the request).  Each is written by pkg, read by Rez's
``ResolvedContext.from_dict``, and patched by both tools with random patches (``^name``
removals, same-family replacements of each kind, new families), strict or not, at every
rank.

Rez 3.4.0 crashes (``AttributeError``) when a rank above 1 meets patch requests given as
text, which is what ``rez-env --patch --patch-rank N REQ`` passes; the oracle is given
parsed requests for those, and pkg does what that code means (see
``docs/migrating-from-rez.md``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pkg.context import ContextFile, VariantHandle, patched_request
from pkg.core import parse_requirement
from tests.conftest import write_package

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

VERSIONS = {
    "foo": ["1", "1.4.2", "2.0.1.3"],
    "bar": ["0.9", "3a.1", "3a.1.b2"],
    "baz": ["10.2.0", "2"],
    "qux": ["1.0.0.0.1"],
    "dep": ["4.2.1"],
}
RANGES = ["", "-1", "-1.4+", "-<2", "-1.4.2", "==1", "-1|2+", "-1+<3"]


def _request(rng: random.Random) -> str:
    kind = rng.choice(["", "", "~", "!"])
    return f"{kind}{rng.choice(list(VERSIONS))}{rng.choice(RANGES)}"


def _case(rng: random.Random) -> tuple[list[str], dict[str, str], list[str], bool, int]:
    requests = [_request(rng) for _ in range(rng.randint(0, 5))]
    resolved = {
        name: rng.choice(versions) for name, versions in VERSIONS.items() if rng.random() < 0.7
    }
    patches = [
        f"^{rng.choice([*VERSIONS, 'other'])}" if rng.random() < 0.2 else _request(rng)
        for _ in range(rng.randint(0, 4))
    ]
    return requests, resolved, patches, rng.random() < 0.2, rng.choice([0, 1, 2, 3, 4, 5])


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("patch") / "packages"
    for name, versions in VERSIONS.items():
        for version in versions:
            write_package(root, name, version, "")
    return root


_REZ_PATCH = r"""
import json, sys
from rez.resolved_context import ResolvedContext
from rez.utils.formatting import PackageRequest
out = []
for context, patches, strict, rank in json.load(sys.stdin):
    ctx = ResolvedContext.from_dict(context)
    patches = [p if p.startswith("^") else PackageRequest(p) for p in patches]
    out.append([str(r) for r in ctx.get_patched_request(patches, strict=strict, rank=rank)])
print("\n" + json.dumps(out))
"""


def test_same_patched_requests(repo: Path) -> None:
    rng = random.Random(20261122)
    cases = []
    for _ in range(400):
        requests, resolved, patches, strict, rank = _case(rng)
        context = ContextFile(
            package_requests=tuple(parse_requirement(r) for r in requests),
            resolved_packages=tuple(
                VariantHandle(name, version, None, str(repo)) for name, version in resolved.items()
            ),
        )
        cases.append((context, patches, strict, rank))
    env = dict(os.environ, REZ_DISABLE_HOME_CONFIG="1")
    env.pop("REZ_CONFIG_FILE", None)
    done = subprocess.run(
        [sys.executable, "-c", _REZ_PATCH],
        input=json.dumps([(c.to_dict(), p, s, r) for c, p, s, r in cases]),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    expected = json.loads(done.stdout.splitlines()[-1])
    assert len(expected) == len(cases)
    for (context, patches, strict, rank), theirs in zip(cases, expected, strict=True):
        ours = [str(r) for r in patched_request(context, patches, strict=strict, rank=rank)]
        case = ([str(r) for r in context.package_requests], patches, strict, rank)
        assert ours == theirs, case


@pytest.mark.parametrize(
    "args",
    [
        ["foo-2", "^bar", "qux"],
        ["--strict", "dep"],
        ["--patch-rank", "3"],
        ["~baz-2"],
    ],
)
def test_same_patched_context_from_the_command_line(
    repo: Path, tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pkg.cli import main

    env = dict(os.environ, REZ_DISABLE_HOME_CONFIG="1", REZ_PACKAGES_PATH=str(repo))
    env.pop("REZ_CONFIG_FILE", None)
    source = tmp_path / "source.rxt"
    rez_env = [str(Path(sys.executable).parent / "rez-env")]
    subprocess.run([*rez_env, "foo-1", "bar", "~baz", "-o", str(source)], env=env, check=True)
    theirs, ours = tmp_path / "rez.rxt", tmp_path / "pkg.rxt"
    subprocess.run(
        [*rez_env, "-i", str(source), "--patch", *args, "-o", str(theirs)], env=env, check=False
    )
    monkeypatch.setenv("PKG_PACKAGES_PATH", str(repo))
    main(["env", "-i", str(source), "--patch", *args, "-o", str(ours)])
    keys = ("package_requests", "status", "resolved_packages")
    rez_data, pkg_data = json.loads(theirs.read_text()), json.loads(ours.read_text())
    assert [pkg_data[k] for k in keys] == [rez_data[k] for k in keys]
