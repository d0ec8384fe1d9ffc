"""``pkg env REQ -- env -0`` against ``rez-env REQ -- env -0`` (skipped without rez).

Both tools run as real processes over the same small repository, whose packages set,
prepend and append variables, quote awkward values and define aliases (bash exports
them as ``BASH_FUNC_name%%`` variables, so they show in the environment too), from
``pre_commands``, ``commands`` and ``post_commands``.  Both start from the same
environment, with home configuration disabled and ``--norc``.  The environments must be
equal but for the variables that name the tool or the run: the temporary
``REZ_RXT_FILE``/``REZ_CONTEXT_FILE``, ``REZ_USED``, ``REZ_USED_VERSION``, the times,
and what the shell itself sets (``_``, ``SHLVL``, ``PWD``, ``OLDPWD``, ``PS1``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
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
    (
        "base",
        "1.0",
        """
        def pre_commands():
            env.ORDER = "pre-base"

        def commands():
            env.BASE_ROOT = "{root}"
            env.PATH.prepend("{root}/bin")
            env.ORDER.append("cmd-base")
            alias("greet", "echo hello")
        """,
    ),
    (
        "tool",
        "2.1.3",
        """
        requires = ["base-1"]

        def commands():
            env.TOOL_PATH.append("{root}/lib")
            env.TOOL_PATH.prepend("{root}/first")
            env.PYTHONPATH.append("{root}/python")
            env.QUOTED = literal("it's \\"$x\\" \\\\ `y`")
            env.SPACED = "a  b\\tc"
            env.FROM_HOME = "$HOME/tool"
            setenv("UNICODE", "caf\\u00e9")
            env.ORDER.append("cmd-tool {version.major}")
            alias("toolrun", "echo running")
            if building:
                env.NEVER = "1"

        def post_commands():
            env.ORDER.append("post-tool")
        """,
    ),
]

#: Variables that name the tool or the run, or that the shell sets by itself.
IGNORED = frozenset(
    {
        "REZ_RXT_FILE",
        "REZ_CONTEXT_FILE",
        "REZ_USED",
        "REZ_USED_VERSION",
        "REZ_USED_TIMESTAMP",
        "REZ_SHELL_INIT_TIMESTAMP",
        "_",
        "SHLVL",
        "PWD",
        "OLDPWD",
        "PS1",
    }
)

REQUESTS = [["tool"], ["--ni", "tool"], ["--ni", "base", ".eph-1.2"]]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("env-parity") / "repo"
    for family, version, body in PACKAGES:
        write_package(root, family, version, body)
    return root


def _base_environ(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(
        REZ_DISABLE_HOME_CONFIG="1",
        PKG_DISABLE_HOME_CONFIG="1",
        REZ_PACKAGES_PATH=str(repo),
        PKG_PACKAGES_PATH=str(repo),
        EXISTING="kept",
    )
    return env


def _tool(name: str) -> list[str]:
    scripts = Path(sys.executable).parent
    if name == "pkg":
        return [str(scripts / "pkg"), "env"]
    return [str(scripts / "rez-env")]


def _environment(tool: str, request: list[str], shell: str, repo: Path) -> dict[str, str]:
    argv = [*_tool(tool), *request, "--shell", shell, "--norc", "--", "env", "-0"]
    done = subprocess.run(
        argv, env=_base_environ(repo), capture_output=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    pairs = (item.split("=", 1) for item in done.stdout.decode().split("\0") if item)
    return {key: value for key, value in pairs if key not in IGNORED}


@pytest.mark.parametrize("shell", ["bash", "sh", "zsh", "tcsh"])
@pytest.mark.parametrize("request_args", REQUESTS, ids=" ".join)
def test_same_environment(repo: Path, shell: str, request_args: list[str]) -> None:
    if shutil.which(shell) is None or not (Path(sys.executable).parent / "rez-env").exists():
        pytest.skip(f"{shell} or rez-env is not installed")
    ours = _environment("pkg", request_args, shell, repo)
    theirs = _environment("rez", request_args, shell, repo)
    assert ours == theirs
    assert ours["EXISTING"] == "kept"
    assert ours["TOOL_PATH" if "tool" in request_args else "BASE_ROOT"]


def test_exit_status_is_the_same(repo: Path) -> None:
    for tool in ("pkg", "rez"):
        done = subprocess.run(
            [*_tool(tool), "--ni", "base", "--norc", "-c", "exit 7"],
            env=_base_environ(repo),
            capture_output=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 7, (tool, done.stderr)
