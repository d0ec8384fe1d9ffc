"""``pkg suite``/``pkg forward`` against ``rez-suite`` and Rez's wrappers (skipped without
rez).

The same suite is built twice from the same two ``.rxt`` files (made by ``rez-env``):
once with ``rez-suite`` and once with ``pkg suite``, with a prefix char, a prefix, an
alias, a hidden tool and a clash on ``render`` (nuke's, aliased back to its name, loses
to maya's once maya is bumped).  Each tool then reads the other's
suite: ``-t``, ``--which``, ``-v`` and ``--find-*`` agree, ``suite.yaml`` holds the same
data for Rez's YAML loader, and the wrappers each wrote run the same tool in the same
environment, whichever program forwards them.

Rez 3.4.0 labels every row of ``-t`` ``(hidden)`` (it tests a key its rows always have),
so the label column is compared only from pkg, against the labels Rez means.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_package
from tests.parity.test_env_parity import IGNORED

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

SCRIPTS = Path(sys.executable).parent
TOOL_SCRIPT = '#!/bin/sh\necho "{tool} from {pkg} args:$*"\n'
PACKAGES = [
    ("maya", "1.0", ["maya", "render", "mayapy"]),
    ("maya", "2.0", ["maya", "render", "mayapy"]),
    ("nuke", "3.0", ["nuke", "render"]),
    ("python", "3.9", ["python"]),
]
#: The edits, applied in this order by both programs.
EDITS = [
    ["-a", "{maya}", "-c", "maya"],
    ["-a", "{nuke}", "-c", "nuke", "-P", "@"],
    ["--alias", "maya", "mymaya", "-c", "maya"],
    ["--hide", "mayapy", "-c", "maya"],
    ["-p", "n_", "-c", "nuke"],
    ["--alias", "render", "render", "-c", "nuke"],
    ["-b", "maya"],
]


def _environ(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(
        REZ_DISABLE_HOME_CONFIG="1",
        PKG_DISABLE_HOME_CONFIG="1",
        REZ_PACKAGES_PATH=str(repo),
        PKG_PACKAGES_PATH=str(repo),
        PKG_DEFAULT_SHELL="bash",
        REZ_DEFAULT_SHELL="bash",
        PATH=f"{SCRIPTS}:{os.environ.get('PATH', '')}",  # Rez's wrappers need _rez_fwd
    )
    return env


def run(argv: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=env, cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def _rez(*args: str) -> list[str]:
    return [str(SCRIPTS / "rez-suite"), *args]


def _pkg(*args: str) -> list[str]:
    return [sys.executable, "-I", "-m", "pkg", "suite", *args]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The directory holding ``repo``, the contexts, and suites ``rez`` and ``pkg``."""
    if not (SCRIPTS / "rez-suite").exists():
        pytest.skip("rez-suite is not installed")
    root = tmp_path_factory.mktemp("suite-parity")
    repo = root / "repo"
    for family, version, tools in PACKAGES:
        body = f"tools = {tools!r}\ndef commands():\n    env.PATH.prepend('{{root}}/bin')\n"
        write_package(repo, family, version, body + "    env.VER = '{version}'\n")
        (repo / family / version / "bin").mkdir()
        for tool in tools:
            script = repo / family / version / "bin" / tool
            script.write_text(TOOL_SCRIPT.format(tool=tool, pkg=f"{family}-{version}"))
            script.chmod(0o755)
    env = _environ(repo)
    rez_env = str(SCRIPTS / "rez-env")
    for name, request in (("maya", ["maya-1", "python"]), ("nuke", ["nuke"])):
        done = run([rez_env, *request, "-o", str(root / f"{name}.rxt")], env, root)
        assert done.returncode == 0, done.stderr
    files = {"maya": str(root / "maya.rxt"), "nuke": str(root / "nuke.rxt")}
    for make, name in ((_rez, "rez"), (_pkg, "pkg")):
        for args in (["--create", name], *([name, *(a.format(**files) for a in e)] for e in EDITS)):
            done = run(make(*args), env, root)
            assert done.returncode == 0, (make, args, done.stderr)
    return root, env


def _columns(out: str, keep: int = 4) -> list[list[str]]:
    return [line.split()[:keep] for line in out.splitlines() if line.strip()]


def _rez_yaml(path: Path) -> object:
    from rez.vendor import yaml

    return yaml.load(path.read_text(), Loader=yaml.FullLoader)  # type: ignore[no-untyped-call]


def test_same_layout_and_suite_yaml(work: tuple[Path, dict[str, str]]) -> None:
    root, _ = work
    for part in ("bin", "contexts"):
        assert sorted(os.listdir(root / "pkg" / part)) == sorted(os.listdir(root / "rez" / part))
    assert sorted(os.listdir(root / "pkg" / "bin")) == ["mymaya", "n_nuke", "python", "render"]
    assert _rez_yaml(root / "pkg" / "suite.yaml") == _rez_yaml(root / "rez" / "suite.yaml")


@pytest.mark.parametrize("verbose", [[], ["-v"]])
def test_tools_agree(work: tuple[Path, dict[str, str]], verbose: list[str]) -> None:
    root, env = work
    theirs = run(_rez("pkg", "-t", *verbose), env, root)  # rez reads pkg's suite
    ours = run(_pkg("rez", "-t", *verbose), env, root)  # and pkg reads rez's
    assert ours.returncode == theirs.returncode == 0, (ours.stderr, theirs.stderr)
    assert _columns(ours.stdout) == _columns(theirs.stdout)
    assert len(_columns(ours.stdout)) == (8 if verbose else 6)
    labels = [line[4:] for line in _columns(ours.stdout, keep=6)]
    if verbose:
        assert ["(hidden)"] in labels
        assert ["(not", "visible)"] in labels
    assert ["(aliased)"] in labels


def test_which_info_and_find_agree(work: tuple[Path, dict[str, str]]) -> None:
    root, env = work
    queries = [
        ["--which", "mymaya"],
        ["--which", "mayapy"],
        ["--find-request", "python"],
        ["--find-resolve", "!maya"],
        ["-v"],
        ["--validate"],
    ]
    for query in queries:
        theirs = run(_rez("pkg", *query), env, root)  # rez reads pkg's suite
        ours = run(_pkg("rez", *query), env, root)  # and pkg reads rez's
        ours_text = ours.stdout.replace(f"{root}/rez", f"{root}/pkg")
        assert (ours.returncode, ours_text) == (theirs.returncode, theirs.stdout), query


def test_list_visible_suites_agrees(work: tuple[Path, dict[str, str]]) -> None:
    root, env = work
    env = dict(env, PATH=f"{root}/pkg/bin:{root}/rez/bin:{env['PATH']}")
    theirs = run(_rez("-l"), env, root)
    assert run(_pkg("-l"), env, root).stdout == theirs.stdout == f"{root}/pkg\n{root}/rez\n"


def _env_of(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    pairs = (item.split("=", 1) for item in done.stdout.split("\0") if item)
    return {key: value for key, value in pairs if key not in IGNORED}


def test_wrappers_run_the_same_tool(work: tuple[Path, dict[str, str]]) -> None:
    """Each suite's wrappers run directly (pkg's through ``pkg forward``, Rez's through
    ``_rez_fwd``) give the same output, with and without ``+`` arguments."""
    root, env = work
    for tool, args in (
        ("mymaya", ["-x", "a b"]),
        ("render", ["1"]),
        ("n_nuke", ["+a"]),
        ("mymaya", ["++no-rez-args", "+a"]),
        ("mymaya", ["+p", "maya-2"]),
    ):
        ours = run([str(root / "pkg" / "bin" / tool), *args], env, root)
        theirs = run([str(root / "rez" / "bin" / tool), *args], env, root)
        assert (ours.returncode, ours.stdout) == (theirs.returncode, theirs.stdout), (tool, args)
        assert " from " in ours.stdout


def test_wrappers_run_in_the_same_environment(work: tuple[Path, dict[str, str]]) -> None:
    root, env = work
    for tool, char in (("mymaya", "+"), ("n_nuke", "@")):
        argv = [f"{char * 2}command", "env", "-0"]
        ours = run([str(root / "pkg" / "bin" / tool), *argv], env, root)
        theirs = run([str(root / "rez" / "bin" / tool), *argv], env, root)
        assert ours.returncode == theirs.returncode == 0
        assert _env_of(ours) == _env_of(theirs)
        assert _env_of(ours)["VER"]


def test_each_forwarder_runs_the_others_wrapper(work: tuple[Path, dict[str, str]]) -> None:
    """Rez's ``_rez_fwd`` runs a wrapper pkg wrote, and ``pkg forward`` one Rez wrote."""
    root, env = work
    theirs = run([str(SCRIPTS / "_rez_fwd"), str(root / "pkg" / "bin" / "mymaya"), "1"], env, root)
    forward = [sys.executable, "-I", "-m", "pkg", "forward"]
    ours = run([*forward, str(root / "rez" / "bin" / "mymaya"), "1"], env, root)
    assert (ours.returncode, ours.stdout) == (theirs.returncode, theirs.stdout)
    assert ours.stdout == "maya from maya-1.0 args:1\n"


def test_about_agrees_but_for_the_path(work: tuple[Path, dict[str, str]]) -> None:
    """``+a``: Rez prints ``bin/<tool name>`` as the path even for an aliased tool; pkg
    prints the wrapper that ran."""
    root, env = work
    ours = run([str(root / "pkg" / "bin" / "render"), "+a"], env, root).stdout.splitlines()
    theirs = run([str(root / "rez" / "bin" / "render"), "+a"], env, root).stdout.splitlines()
    assert [line.replace("/pkg", "/rez") for line in ours] == theirs
