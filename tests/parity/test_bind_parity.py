"""``pkg bind`` against ``rez-bind`` (skipped without rez).

Both bind the same software, found on the same ``PATH``, into two fresh repositories;
the packages must have the same name, version, requires, variants, tools and functions,
the same payload layout, and ``pkg env`` / ``rez-env`` must build the same environment
from them.  ``python`` is compared with Rez's copy of its interpreter's library
directories switched off (Rez copies them from its own interpreter, which takes minutes;
pkg does it only with ``--copy-builtins``, tested in ``tests/bind``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pkg.packages import SourceCode, load_definition
from tests.parity.test_env_parity import IGNORED

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

SCRIPTS = Path(sys.executable).parent
CMAKE = shutil.which("cmake")
#: (target, its bind arguments)
TARGETS: list[tuple[str, list[str]]] = [
    ("platform", []),
    ("arch", []),
    ("os", []),
    ("hello_world", []),
    ("pip", []),
    ("setuptools", []),
    *([("cmake", ["--exe", CMAKE])] if CMAKE else []),
    ("python", ["--exe", sys.executable]),
]

#: Binds every target with rez's own bind function, python last, with its copy of the
#: library directories switched off (the lookup it runs "fails").
REZ_BIND = """
import sys
import rez.bind._utils
from rez.package_bind import bind_package

path, *specs = sys.argv[1:]
for spec in specs:
    name, _, args = spec.partition(" ")
    if name == "python":
        rez.bind._utils.run_python_command = lambda commands, exe=None: (False, "", "")
    bind_package(name, path=path, no_deps=True, bind_args=args.split(), quiet=True)
"""


def _environ(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    bin_dir = tmp / "bin"
    bin_dir.mkdir(exist_ok=True)
    for tool in ("python", "pip"):
        if (SCRIPTS / tool).exists() and not (bin_dir / tool).exists():
            os.symlink(SCRIPTS / tool, bin_dir / tool)
    env.update(
        REZ_DISABLE_HOME_CONFIG="1",
        PKG_DISABLE_HOME_CONFIG="1",
        PATH=os.pathsep.join([str(bin_dir), "/usr/local/bin", "/usr/bin", "/bin"]),
    )
    return env


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(pkg's repository, rez's repository, the environment both ran in)."""
    tmp = tmp_path_factory.mktemp("bind-parity")
    env = _environ(tmp)
    ours, theirs = tmp / "pkg", tmp / "rez"
    for name, args in TARGETS:
        done = subprocess.run(
            [str(SCRIPTS / "pkg"), "bind", "-i", str(ours), "--no-deps", name, *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    specs = [" ".join([name, *args]) for name, args in TARGETS]
    done = subprocess.run(
        [sys.executable, "-c", REZ_BIND, str(theirs), *specs],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return ours, theirs, env


def _package_file(repo: Path, name: str) -> Path:
    [found] = (repo / name).glob("*/package.py")
    return found


def _comparable(repo: Path, name: str) -> dict[str, object]:
    data = dict(load_definition(_package_file(repo, name)).data)
    data.pop("timestamp")
    for key, value in data.items():
        if isinstance(value, SourceCode):
            data[key] = textwrap.dedent(value.body()).strip()
    return data


def _payload(repo: Path, name: str) -> list[tuple[str, str]]:
    """(path, symlink target or "") of the payload's files, at most two levels into a
    copied ``python`` directory."""
    package_dir = _package_file(repo, name).parent
    found = []
    for path in sorted(package_dir.rglob("*")):
        relative = path.relative_to(package_dir)
        parts = relative.parts
        if path.name == "package.py" or (
            "python" in parts and len(parts) > parts.index("python") + 2
        ):
            continue
        found.append((str(relative), os.readlink(path) if path.is_symlink() else ""))
    return found


@pytest.mark.parametrize("name", [name for name, _args in TARGETS])
def test_same_definition(repos: tuple[Path, Path, dict[str, str]], name: str) -> None:
    ours, theirs, _env = repos
    assert _comparable(ours, name) == _comparable(theirs, name)


@pytest.mark.parametrize("name", [name for name, _args in TARGETS if name != "hello_world"])
def test_same_payload(repos: tuple[Path, Path, dict[str, str]], name: str) -> None:
    ours, theirs, _env = repos
    assert _payload(ours, name) == _payload(theirs, name)


def test_hello_world_payload(repos: tuple[Path, Path, dict[str, str]]) -> None:
    """Rez's scripts are generated by distlib; the same tools exist and are executable."""
    ours, theirs, _env = repos
    for repo in (ours, theirs):
        bin_dir = _package_file(repo, "hello_world").parent / "bin"
        assert sorted(p.name for p in bin_dir.iterdir()) == ["hello_world", "hello_world_gui"]
        assert all(os.access(p, os.X_OK) for p in bin_dir.iterdir())


def _env_of(tool: str, repo: Path, request: list[str], env: dict[str, str]) -> dict[str, str]:
    argv = [str(SCRIPTS / ("pkg" if tool == "pkg" else "rez-env"))]
    if tool == "pkg":
        argv.append("env")
    argv += ["--paths", str(repo), "--ni", *request, "--shell", "bash", "--norc"]
    done = subprocess.run(
        [*argv, "--", "env", "-0"], env=env, capture_output=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    pairs = (item.split("=", 1) for item in done.stdout.decode().split("\0") if item)
    return {key: value.replace(str(repo), "<REPO>") for key, value in pairs if key not in IGNORED}


@pytest.mark.parametrize(
    "request_args",
    [["hello_world"], ["python"], ["pip"], ["setuptools", "python"], ["os"]]
    + ([["cmake"]] if CMAKE else []),
    ids=" ".join,
)
def test_same_environment(
    repos: tuple[Path, Path, dict[str, str]], request_args: list[str]
) -> None:
    ours, theirs, env = repos
    assert _env_of("pkg", ours, request_args, env) == _env_of("rez", theirs, request_args, env)


def test_same_output(tmp_path: Path) -> None:
    """The lines printed around a bind, repositories and module directories aside (Rez
    binds the requirements of one round in no fixed order, so the lines are sorted)."""
    env = _environ(tmp_path)
    outputs = []
    for tool in ("pkg", "rez"):
        repo = tmp_path / tool
        argv = [str(SCRIPTS / "pkg"), "bind"] if tool == "pkg" else [str(SCRIPTS / "rez-bind")]
        done = subprocess.run(
            [*argv, "-i", str(repo), "os"], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        lines = [line.replace(str(repo), "<REPO>") for line in done.stdout.splitlines()]
        outputs.append(sorted(line for line in lines if not line.startswith("searching ")))
    assert outputs[0] == outputs[1]
    assert "The following packages were installed:" in outputs[0]
