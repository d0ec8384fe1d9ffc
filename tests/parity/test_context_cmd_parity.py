"""``pkg context`` against ``rez-context`` on the same ``.rxt`` files (skipped without rez).

One context is saved by ``rez-env -o`` and one by ``pkg env -o``, for the same request
over the same repositories (a release one and a local one, so that ``(local)`` shows).
Both tools then print both files, so each reads the other's: the request list, the
resolved packages with their roots, the tools, ``--which`` and the environment of
``-i -f dict|json`` must be the same.  The summary's first line differs on purpose
(``using pkg v...``); its resolver, user, host and date must not.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_package

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

PACKAGES = [
    ("bar", "1", "tools = ['barbie']\n"),
    (
        "foo",
        "1.0",
        "requires = ['bar-1']\ntools = ['footool', 'fooctl']\n"
        "variants = [['python-3']]\n"
        "def commands():\n    env.PATH.prepend('{root}/bin')\n    env.FOO_ROOT = '{root}'\n"
        "    env.FOO_PATH.append('{root}/lib')\n",
    ),
    ("python", "3", ""),
    ("clash", "1", "tools = ['barbie']\n"),
]

REQUEST = ["baz", "foo-1", "clash", "--ni"]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, Path]]:
    """The environment both tools run in, and the context file each tool saved."""
    base = tmp_path_factory.mktemp("context-parity")
    release, local = base / "repo", base / "local"
    for family, version, body in PACKAGES:
        write_package(release, family, version, body)
    write_package(local, "baz", "3", "requires = ['foo']\n")
    tool = release / "foo" / "1.0" / "python-3" / "bin" / "footool"
    tool.parent.mkdir(parents=True)
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(HOME=str(base), NO_COLOR="1")
    for prefix in ("REZ", "PKG"):
        env[f"{prefix}_DISABLE_HOME_CONFIG"] = "1"
        env[f"{prefix}_PACKAGES_PATH"] = os.pathsep.join([str(local), str(release)])
        env[f"{prefix}_LOCAL_PACKAGES_PATH"] = str(local)
    files = {"rez": base / "rez.rxt", "pkg": base / "pkg.rxt"}
    for tool_name, path in files.items():
        done = subprocess.run(
            [*_env_cmd(tool_name), *REQUEST, "-o", str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    return env, files


def _env_cmd(tool: str) -> list[str]:
    scripts = Path(sys.executable).parent
    return [str(scripts / "pkg"), "env"] if tool == "pkg" else [str(scripts / "rez-env")]


def _context(tool: str, env: dict[str, str], *args: str) -> str:
    scripts = Path(sys.executable).parent
    argv = [str(scripts / "pkg"), "context"] if tool == "pkg" else [str(scripts / "rez-context")]
    done = subprocess.run(
        [*argv, *args], env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, f"{tool} context {args}: {done.stderr}"
    return done.stdout


def _both(setup: tuple[dict[str, str], dict[str, Path]], maker: str, *args: str) -> list[str]:
    env, files = setup
    return [_context(tool, env, str(files[maker]), *args) for tool in ("rez", "pkg")]


def _section(out: str, heading: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


@pytest.mark.parametrize("maker", ["rez", "pkg"])
def test_summary(setup: tuple[dict[str, str], dict[str, Path]], maker: str) -> None:
    rez, pkg = _both(setup, maker)
    for heading in ("requested packages:", "resolved packages:"):
        assert _section(pkg, heading) == _section(rez, heading)
    assert any(line.endswith("(local)") for line in _section(pkg, "resolved packages:"))
    rez_first, pkg_first = rez.splitlines()[0], pkg.splitlines()[0]
    assert pkg_first.split(", using ")[0] == rez_first.split(", using ")[0]
    expected = "Rez v3.4.0" if maker == "rez" else "pkg v"
    assert expected in pkg_first


@pytest.mark.parametrize("maker", ["rez", "pkg"])
@pytest.mark.parametrize(
    "args",
    [("--req",), ("--res",), ("--res", "--su"), ("-t",), ("--which", "footool")],
    ids=["req", "res", "res-su", "tools", "which"],
)
def test_lists(
    setup: tuple[dict[str, str], dict[str, Path]], maker: str, args: tuple[str, ...]
) -> None:
    rez, pkg = _both(setup, maker, *args)
    assert pkg == rez
    assert pkg.strip()


@pytest.mark.parametrize("maker", ["rez", "pkg"])
def test_interpreted_environment(setup: tuple[dict[str, str], dict[str, Path]], maker: str) -> None:
    rez_json, pkg_json = _both(setup, maker, "-i", "-f", "json")
    rez_env, pkg_env = json.loads(rez_json), json.loads(pkg_json)
    assert pkg_env == rez_env
    if maker == "rez":
        rez_dict, pkg_dict = _both(setup, maker, "-i", "-f", "dict")
        assert ast.literal_eval(pkg_dict) == ast.literal_eval(rez_dict) == rez_env
