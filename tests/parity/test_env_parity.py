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


#: a-2 needs b, whose every version clashes with a-2: the solve backtracks once.
BACKTRACK = [
    ("a", "1", ""),
    ("a", "2", "requires = ['b']\n"),
    ("b", "1", "requires = ['c-1']\n"),
    ("b", "2", "requires = ['c-2']\n"),
    ("c", "1", "requires = ['!a']\n"),
    ("c", "2", "requires = ['!a-2']\n"),
]


def test_verbose_stats_and_pre_command_as_in_rez(tmp_path: Path) -> None:
    """``-v`` prints the same solve steps, ``--stats`` the same ``global`` statistics
    (pkg gives ``num_loaded_packages`` instead of ``load_time`` and no extraction,
    intersection or reduction counts) and ``--pre-command`` prefixes the shell."""
    import ast

    if not (Path(sys.executable).parent / "rez-env").exists():
        pytest.skip("rez-env is not installed")
    for family, version, body in BACKTRACK:
        write_package(tmp_path, family, version, body)
    args = ["--ni", "a", "-v", "--stats", "--no-cache", "--pre-command", "env PRE_MARK=yes"]
    outputs = {}
    for tool in ("pkg", "rez"):
        done = subprocess.run(
            [*_tool(tool), *args, "--", "printenv", "PRE_MARK"],
            env=_base_environ(tmp_path),
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, (tool, done.stderr)
        steps, _, rest = done.stdout.partition("{")
        stats_text, _, printed = ("{" + rest).rstrip("\n").rpartition("\n")
        outputs[tool] = (steps, ast.literal_eval(stats_text)["solve_stats"], printed)
    (ours, our_stats, our_mark), (theirs, their_stats, their_mark) = outputs.values()
    assert ours == theirs
    assert ours.splitlines()[-1] == "SUCCESS"
    assert our_mark == their_mark == "yes"
    compared = ("num_solves", "num_fails")
    assert [our_stats["global"][k] for k in compared] == [
        their_stats["global"][k] for k in compared
    ]
    assert set(our_stats["global"]) - {"num_loaded_packages"} == set(their_stats["global"]) - {
        "load_time"
    }
