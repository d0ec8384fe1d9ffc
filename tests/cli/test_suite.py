"""``pkg suite`` and ``pkg forward``: suites of real contexts over a real repository,
with wrappers run as real processes in real shells, with each ``+`` argument."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tests.conftest import write_package

from pkg.cli import main

TOOL_SCRIPT = '#!/bin/sh\necho "{tool} from {pkg} args:$* VER=$SUITE_TEST_VER"\n'

PACKAGES = [
    ("maya", "1.0", ["maya", "render"]),
    ("maya", "2.0", ["maya", "render"]),
    ("nuke", "3.0", ["nuke", "render"]),
    ("python", "3.9", ["python"]),
]


def _make_repo(root: Path) -> None:
    for family, version, tools in PACKAGES:
        body = f"tools = {tools!r}\ndef commands():\n    env.PATH.prepend('{{root}}/bin')\n" + (
            "" if family == "python" else "    env.SUITE_TEST_VER = '{version}'\n"
        )
        write_package(root, family, version, body)
        bin_dir = root / family / version / "bin"
        bin_dir.mkdir()
        for tool in tools:
            script = bin_dir / tool
            script.write_text(TOOL_SCRIPT.format(tool=tool, pkg=f"{family}-{version}"))
            script.chmod(0o755)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository, two contexts (maya-1 python, nuke) and the working directory."""
    repo = tmp_path / "repo"
    _make_repo(repo)
    monkeypatch.setenv("PKG_PACKAGES_PATH", str(repo))
    monkeypatch.setenv("PKG_IMPLICIT_PACKAGES_JSON", "[]")
    monkeypatch.setenv("PKG_DEFAULT_SHELL", "bash")
    monkeypatch.chdir(tmp_path)
    assert main(["env", "maya-1", "python", "-o", "maya.rxt"]) == 0
    assert main(["env", "nuke", "-o", "nuke.rxt"]) == 0
    return tmp_path


def pkg(capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["suite", *args])
    out, err = capfd.readouterr()
    return code, out, err


@pytest.fixture
def suite(env: Path, capfd: pytest.CaptureFixture[str]) -> Path:
    """Suite ``s``: maya (prefix char '+') then nuke (prefix char '@'); render clashes."""
    for args in (
        ["--create", "s"],
        ["s", "-a", "maya.rxt", "-c", "maya"],
        ["s", "-a", "nuke.rxt", "-c", "nuke", "-P", "@"],
    ):
        assert pkg(capfd, *args) == (0, "", "")
    return env / "s"


def shell(command: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in a real bash, from the suite's parent directory."""
    return subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        check=False,
    )


def test_layout_and_suite_yaml(suite: Path) -> None:
    assert sorted(os.listdir(suite)) == ["bin", "contexts", "suite.yaml"]
    assert sorted(os.listdir(suite / "bin")) == ["maya", "nuke", "python", "render"]
    assert (suite / "suite.yaml").read_text() == (
        "contexts:\n"
        "  maya:\n    hidden_tools: !!set {}\n    name: maya\n    prefix_char: null\n"
        "    priority: 1\n    tool_aliases: {}\n"
        "  nuke:\n    hidden_tools: !!set {}\n    name: nuke\n    prefix_char: '@'\n"
        "    priority: 2\n    tool_aliases: {}\n"
    )


def test_info_and_tools(suite: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert pkg(capfd, "s") == (0, "Suite contains 2 contexts:\nmaya nuke\n", "")
    code, out, _ = pkg(capfd, "s", "-v")
    assert code == 0
    assert out.splitlines()[2:] == [
        "NAME  VISIBLE TOOLS            PATH",
        "----  -------------            ----",
        f"maya  2 tools from 2 packages  {suite}/contexts/maya.rxt",
        f"nuke  2 tools from 1 packages  {suite}/contexts/nuke.rxt",
    ]
    _, out, _ = pkg(capfd, "s", "-t")
    assert [line.rstrip() for line in out.splitlines()] == [
        "TOOL    ALIASING  PACKAGE     CONTEXT",
        "----    --------  -------     -------",
        "maya    -         maya-1.0    maya",
        "python  -         python-3.9  maya",
        "",
        "nuke    -         nuke-3.0    nuke",
        "render  -         nuke-3.0    nuke",
    ]
    main(["suite", "s", "-t", "-v", "-c", "maya"])
    out = capfd.readouterr().out
    assert "render  -         maya-1.0    maya     (not visible)" in out


def test_which_find_validate(suite: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert pkg(capfd, "s", "--which", "render") == (0, f"{suite}/bin/render\n", "")
    assert pkg(capfd, "s", "--which", "nope") == (1, "", "")
    assert pkg(capfd, "s", "--find-request", "python") == (0, "maya\n", "")
    assert pkg(capfd, "s", "--find-resolve", "!maya") == (0, "nuke\n", "")
    assert pkg(capfd, "s", "--find-resolve", "maya-1") == (0, "maya\n", "")
    assert pkg(capfd, "s", "--validate") == (0, "The suite is valid.\n", "")
    # a package that vanished makes the suite invalid
    for path in (suite.parent / "repo" / "nuke" / "3.0").iterdir():
        if path.is_file():
            path.unlink()
    code, out, err = pkg(capfd, "s", "--validate")
    assert (code, out) == (1, "")
    assert err.startswith("The suite is invalid:\nerror in context 'nuke': ")


def test_edits(suite: Path, capfd: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["-p", "n_", "-c", "nuke"],
        ["-s", "_m", "-c", "maya"],
        ["--alias", "maya", "mymaya", "-c", "maya"],
        ["--hide", "python", "-c", "maya"],
    ):
        assert pkg(capfd, "s", *args) == (0, "", "")
    assert sorted(os.listdir(suite / "bin")) == ["mymaya", "n_nuke", "n_render", "render_m"]
    assert pkg(capfd, "s", "--unalias", "maya", "-c", "maya")[0] == 0
    assert pkg(capfd, "s", "--unhide", "python", "-c", "maya")[0] == 0
    assert pkg(capfd, "s", "-p", "", "-c", "nuke")[0] == 0
    assert pkg(capfd, "s", "-s", "", "-c", "maya")[0] == 0
    assert sorted(os.listdir(suite / "bin")) == ["maya", "nuke", "python", "render"]
    assert shell("s/bin/render").stdout.startswith("render from nuke-3.0")
    assert pkg(capfd, "s", "-b", "maya")[0] == 0
    assert shell("s/bin/render").stdout.startswith("render from maya-1.0")
    assert pkg(capfd, "s", "-r", "maya")[0] == 0
    assert sorted(os.listdir(suite / "bin")) == ["nuke", "render"]
    assert os.listdir(suite / "contexts") == ["nuke.rxt"]


def test_verbose_edits_say_what_they_do(suite: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert pkg(capfd, "s", "--hide", "python", "-c", "maya", "-v") == (
        0,
        "hiding tool 'python' in context 'maya'...\nsaving suite to 's'...\n",
        "",
    )
    assert pkg(capfd, "--create", "t", "-v") == (0, "create empty suite at 't'...\n", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["s", "--hide", "maya"], "--context must be supplied when using --hide"),
        (["s", "--hide", "nope", "-c", "maya"], "no such tool 'nope' in context 'maya'"),
        (["s", "-a", "nuke.rxt", "-c", "nuke"], "context already in the suite: 'nuke'"),
        (["s", "-r", "zz"], "no such context in the suite: 'zz'"),
        (["--create", "s"], "cannot save suite, path exists:"),
        (["nowhere"], "no such suite directory: nowhere"),
        ([], "DIR required."),
    ],
)
def test_errors(
    suite: Path, capfd: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = pkg(capfd, *args)
    assert code != 0
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_list_visible_suites(suite: Path, capfd: pytest.CaptureFixture[str]) -> None:
    result = shell(f"{_pkg()} suite -l")
    assert result.stdout == "No visible suites.\n"
    result = shell(f'PATH="{suite}/bin:$PATH" {_pkg()} suite -l')
    assert result.stdout == f"{suite}\n"


def _pkg() -> str:
    import sys

    return f"{sys.executable} -I -m pkg"


# -- the wrappers ------------------------------------------------------------------------


def test_wrapper_runs_tool_in_its_context(suite: Path) -> None:
    result = shell("s/bin/maya -x 'a b' --flag")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "maya from maya-1.0 args:-x a b --flag VER=1.0\n"
    # the '@' context passes '+' arguments to the tool
    assert shell("s/bin/nuke +a").stdout == "nuke from nuke-3.0 args:+a VER=3.0\n"
    # a wrapper found on PATH
    result = shell(f'PATH="{suite}/bin:$PATH"; render 1')
    assert result.stdout == "render from nuke-3.0 args:1 VER=3.0\n"


def test_about_and_versions(suite: Path) -> None:
    assert shell("s/bin/maya +a").stdout.splitlines() == [
        "Tool:     maya",
        f"Path:     {suite}/bin/maya",
        f"Suite:    {suite}",
        f"Context:  {suite}/contexts/maya.rxt ('maya')",
        "Package:  maya-1.0",
    ]
    assert shell("s/bin/nuke @@about").stdout.splitlines()[-1] == "Package:  nuke-3.0"
    repo = suite.parent / "repo"
    assert shell("s/bin/maya ++versions").stdout.splitlines() == [
        f"  maya-2.0  {repo}/maya/2.0",
        f"* maya-1.0  {repo}/maya/1.0",
    ]


def test_patch_strict_local_and_peek(suite: Path) -> None:
    assert shell("s/bin/maya +p maya-2").stdout == "maya from maya-2.0 args: VER=2.0\n"
    result = shell(
        "s/bin/maya ++verbose +p maya-2 ++nl ++strict ++command printenv REZ_USED_REQUEST"
    )
    assert result.returncode == 0
    assert "maya-2 python-3.9" in result.stdout
    assert shell("s/bin/maya ++peek").stdout == ""  # nothing changed
    write_package(suite.parent / "repo", "maya", "1.5", "tools = ['maya']\n")
    result = shell("s/bin/maya ++peek")
    assert result.stdout.split() == ["maya-1.0", "maya-1.5", "(+1", "versions)"]
    result = shell("s/bin/maya +p nope-9")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_command_stdin_interactive_quiet(suite: Path) -> None:
    result = shell("s/bin/maya ++command printenv SUITE_TEST_VER")
    assert result.stdout == "1.0\n"
    result = shell("s/bin/maya ++command sh -c 'exit 7'")
    assert result.returncode == 7
    result = shell("s/bin/maya ++stdin", stdin="echo from-stdin $SUITE_TEST_VER\n")
    assert result.stdout == "maya from maya-1.0 args: VER=1.0\n"
    result = shell("s/bin/maya +i ++quiet", stdin="echo in-shell\nexit 3\n")
    assert (result.returncode, result.stdout) == (3, "in-shell\n")
    result = shell("s/bin/nuke @i @@quiet", stdin="exit 4\n")
    assert result.returncode == 4


def test_no_rez_args_and_help(suite: Path) -> None:
    result = shell("s/bin/maya ++no-rez-args +a ++peek")
    assert result.stdout == "maya from maya-1.0 args:+a ++peek VER=1.0\n"
    result = shell("s/bin/maya +h")
    assert result.returncode == 0
    assert "++no-rez-args" in result.stdout
    result = shell("s/bin/maya ++command")
    assert result.returncode == 2
    assert "expected at least one argument" in result.stderr


def test_prefix_char_disabled(env: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert pkg(capfd, "--create", "s")[0] == 0
    assert pkg(capfd, "s", "-a", "maya.rxt", "-c", "m", "-P", "")[0] == 0
    assert shell("s/bin/maya +a ++peek").stdout == "maya from maya-1.0 args:+a ++peek VER=1.0\n"


def test_suite_visibility(suite: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = f"{suite}/bin"
    command = f'PATH="{bin_dir}:$PATH" maya ++command printenv PATH'
    assert bin_dir in shell(command).stdout.strip().split(":")
    monkeypatch.setenv("PKG_SUITE_VISIBILITY", "never")
    assert bin_dir not in shell(command).stdout.strip().split(":")
    monkeypatch.setenv("PKG_SUITE_VISIBILITY", "parent")
    assert bin_dir in shell(command).stdout.strip().split(":")


def test_status_shows_suites(suite: Path) -> None:
    result = shell(f'PATH="{suite}/bin:$PATH" maya ++command {_pkg()} status')
    assert f"1 visible suites:\n{suite}\n" in result.stdout
    assert f"Currently within context 'maya' in suite at {suite}" in result.stdout


def test_forward_errors(env: Path, capfd: pytest.CaptureFixture[str]) -> None:
    Path("w").write_text("not: a wrapper\n")
    assert main(["forward", "w", "x"]) != 0
    assert "not a suite tool's wrapper: w" in capfd.readouterr().err
    assert main(["forward", "missing"]) != 0
    assert "cannot read wrapper missing" in capfd.readouterr().err


def test_tool_in_conflict_within_a_context(env: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["env", "maya-1", "nuke", "-o", "both.rxt"]) == 0
    assert pkg(capfd, "--create", "s")[0] == 0
    assert pkg(capfd, "s", "-a", "both.rxt", "-c", "both")[0] == 0
    rows = {line.split()[0]: line.rstrip() for line in pkg(capfd, "s", "-t")[1].splitlines()}
    assert rows["render"] == "render  -         maya-1.0 (+1 more)  both     (in conflict)"
    rows = {line.split()[0]: line.rstrip() for line in pkg(capfd, "s", "-t", "-v")[1].splitlines()}
    assert rows["render"].split(None, 2)[2] == "maya-1.0, nuke-3.0  both     (in conflict)"
    # +a names every provider; ++versions cannot choose one and fails
    assert shell("s/bin/render +a").stdout.splitlines()[-1] == (
        "Packages (in conflict): maya-1.0 nuke-3.0"
    )
    result = shell("s/bin/render ++versions")
    assert (result.returncode, result.stdout) == (1, "Packages (in conflict): maya-1.0 nuke-3.0\n")
