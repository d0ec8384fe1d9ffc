"""``pkg context``: printing a context made by ``pkg env -o`` (or the current one)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from tests.conftest import write_package

from pkg.cli import main

if TYPE_CHECKING:
    from pathlib import Path

Run = Callable[..., tuple[int, str, str]]

#: (family, version, package.py body); ``baz`` goes to the local repository.
PACKAGES = [
    ("bar", "1", "tools = ['barbie']\n"),
    ("bar", "2", "tools = ['barbie']\n"),
    (
        "foo",
        "1.0",
        "requires = ['bar-1']\ntools = ['footool', 'fooctl']\n"
        "def commands():\n    env.PATH.prepend('{root}/bin')\n    env.FOO_ROOT = '{root}'\n",
    ),
    ("foo", "2.0", "requires = ['bar-2']\ntools = ['footool']\n"),
    ("clash", "1", "tools = ['barbie']\n"),
]


@pytest.fixture
def repos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A release repository and a local one (holding ``baz-3``), on the search path."""
    release, local = tmp_path / "repo", tmp_path / "local"
    for family, version, body in PACKAGES:
        write_package(release, family, version, body)
    write_package(local, "baz", "3", "requires = ['foo']\n")
    tool = release / "foo" / "1.0" / "bin" / "footool"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\necho footool\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PKG_PACKAGES_PATH", os.pathsep.join([str(local), str(release)]))
    monkeypatch.setenv("PKG_LOCAL_PACKAGES_PATH", str(local))
    monkeypatch.setenv("PKG_IMPLICIT_PACKAGES_JSON", '["~platform==linux"]')
    return release, local


@pytest.fixture
def run(repos: tuple[Path, Path], capfd: pytest.CaptureFixture[str]) -> Run:
    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capfd.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def rxt(run: Run, tmp_path: Path) -> Path:
    """``baz foo-1`` saved by ``pkg env -o``."""
    path = tmp_path / "ctx.rxt"
    assert run("env", "baz", "foo-1", "-o", str(path))[0] == 0
    return path


def _section(out: str, heading: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def test_summary(run: Run, rxt: Path, repos: tuple[Path, Path]) -> None:
    release, local = repos
    code, out, err = run("context", str(rxt))
    assert (code, err) == (0, "")
    first = out.splitlines()[0]
    assert first.startswith("resolved by ")
    assert first.endswith(", using pkg v0.1.0")
    assert out.splitlines()[1] == ""
    assert _section(out, "requested packages:") == [
        "baz               ",
        "foo-1             ",
        "~platform==linux  (implicit)",
    ]
    assert _section(out, "resolved packages:") == [
        f"bar-1    {release}/bar/1    ".ljust(9 + len(f"{release}/foo/1.0") + 2),
        f"baz-3    {local}/baz/3".ljust(9 + len(f"{release}/foo/1.0") + 2) + "(local)",
        f"foo-1.0  {release}/foo/1.0  ",
    ]


def test_summary_orders_and_uris(run: Run, rxt: Path, repos: tuple[Path, Path]) -> None:
    release, _ = repos
    _, out, _ = run("context", str(rxt), "--so")
    assert [line.split()[0] for line in _section(out, "resolved packages:")] == [
        "bar-1",
        "foo-1.0",
        "baz-3",
    ]
    _, out, _ = run("context", str(rxt), "--su")
    assert f"{release}/foo/1.0/package.py[]" in out
    _, out, _ = run("context", str(rxt), "-v")
    assert "search paths:" in out
    assert "resolve details:" in out
    assert f"rxt file:          {rxt}" in out


def test_request_and_resolve_lists(run: Run, rxt: Path, repos: tuple[Path, Path]) -> None:
    release, local = repos
    assert run("context", str(rxt), "--req") == (0, "baz\nfoo-1\n", "")
    assert run("context", str(rxt), "--res") == (0, "bar-1\nfoo-1.0\nbaz-3\n", "")
    _, out, _ = run("context", str(rxt), "--res", "--su")
    assert out.splitlines() == [
        f"{release}/bar/1/package.py[]",
        f"{release}/foo/1.0/package.py[]",
        f"{local}/baz/3/package.py[]",
    ]


def test_current_context_and_outside_one(
    run: Run, rxt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("context") == (1, "", "pkg: error: not in a resolved environment context.\n")
    monkeypatch.setenv("REZ_RXT_FILE", str(rxt))
    assert run("context", "--req") == (0, "baz\nfoo-1\n", "")


def test_context_from_stdin(
    rxt: Path, pkg_script: list[str], repos: tuple[Path, Path], tmp_path: Path
) -> None:
    done = subprocess.run(
        [*pkg_script, "context", "-", "--res"],
        input=rxt.read_text(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "bar-1\nfoo-1.0\nbaz-3\n")


def test_bad_files(run: Run, tmp_path: Path) -> None:
    code, out, err = run("context", str(tmp_path / "missing.rxt"))
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "missing.rxt" in err
    bad = tmp_path / "bad.rxt"
    bad.write_text("{}")
    code, _, err = run("context", str(bad))
    assert code == 1
    assert "bad.rxt" in err
    assert "not a context file" in err


def test_failed_context(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "failed.rxt"
    assert run("env", "foo-1", "bar-2", "-o", str(path))[0] == 1
    code, out, _ = run("context", str(path))
    assert code == 0
    assert out.startswith("resolve failed, by ")
    assert "The context failed to resolve:" in out
    assert "resolved packages:" not in out


def test_tools(run: Run, rxt: Path, tmp_path: Path) -> None:
    assert run("context", str(rxt), "-t") == (
        0,
        "TOOL     PACKAGE  \n"
        "----     -------  \n"
        "barbie   bar-1    \n"
        "fooctl   foo-1.0  \n"
        "footool  foo-1.0  \n",
        "",
    )
    clash = tmp_path / "clash.rxt"
    run("env", "bar-1", "clash", "-o", str(clash))
    _, out, _ = run("context", str(clash), "-t")
    assert out.splitlines()[2:] == [
        "barbie  bar-1    (in conflict)",
        "barbie  clash-1  (in conflict)",
    ]


def test_which(run: Run, rxt: Path, repos: tuple[Path, Path]) -> None:
    release, _ = repos
    assert run("context", str(rxt), "--which", "footool") == (
        0,
        f"{release}/foo/1.0/bin/footool\n",
        "",
    )
    assert run("context", str(rxt), "--which", "nope-not-here") == (
        0,
        "",
        "'nope-not-here' not found in the context\n",
    )


def test_interpret_environment(run: Run, rxt: Path, repos: tuple[Path, Path]) -> None:
    release, _ = repos
    _, out, _ = run("context", str(rxt), "-i", "-f", "json")
    env = json.loads(out)
    assert env["FOO_ROOT"] == f"{release}/foo/1.0"
    assert env["PATH"].split(os.pathsep)[0] == f"{release}/foo/1.0/bin"
    assert env["REZ_USED_RESOLVE"] == "bar-1 foo-1.0 baz-3"
    assert "REZ_RXT_FILE" not in env
    _, out, _ = run("context", str(rxt), "-i", "-f", "dict")
    assert out.startswith("{'FOO_ROOT': ")
    _, out, _ = run("context", str(rxt), "-i", "-f", "table")
    rows = out.splitlines()
    assert rows[0].split() == ["FOO_ROOT", f"{release}/foo/1.0"]
    starts = {len(row) - len(row.split(None, 1)[1]) for row in rows if len(row.split()) == 2}
    assert len(starts) == 1


def test_interpret_script_runs_in_bash(run: Run, rxt: Path, repos: tuple[Path, Path]) -> None:
    release, _ = repos
    code, script, _ = run("context", str(rxt), "-i", "-f", "bash")
    assert code == 0
    assert f'export REZ_RXT_FILE="{rxt}"' in script
    done = subprocess.run(
        ["bash", "--norc", "-c", f'{script}\necho "$FOO_ROOT|$REZ_RXT_FILE"; footool'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout == f"{release}/foo/1.0|{rxt}\nfootool\n"
    code, line, _ = run("context", str(rxt), "-i", "-f", "bash", "-s", "eval")
    assert line.count("\n") == 1
    assert "#" not in line
    assert ";export FOO_ROOT=" in line
    done = subprocess.run(
        ["bash", "--norc", "-c", f'eval {shlex.quote(line)}; echo "$FOO_ROOT"'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout == f"{release}/foo/1.0\n"


def test_interpret_no_env(run: Run, rxt: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PKG_PARENT_VARIABLES_JSON", '["FROM_PARENT"]')
    monkeypatch.setenv("FROM_PARENT", "parent")
    code, out, _ = run("context", str(rxt), "-i", "-f", "csh", "--no-env")
    assert code == 0
    assert "setenv FOO_ROOT" in out
    assert "parent" not in out


def test_graphs(run: Run, rxt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, dot, _ = run("context", str(rxt), "--pg")
    assert dot.startswith("digraph g {")
    assert '"foo-1.0[]"' in dot
    code, dot, _ = run("context", str(rxt), "-d", "--pg")
    assert dot.splitlines()[1:] == [
        'bar [label="bar-1", fontsize="10", fillcolor="#AAFFAA", style="filled"];',
        'foo [label="foo-1.0", fontsize="10", fillcolor="#AAFFAA", style="filled"];',
        'baz [label="baz-3", fontsize="10", fillcolor="#AAFFAA", style="filled"];',
        "baz -> foo;",
        "foo -> bar;",
        "}",
    ]
    code, dot, _ = run("context", str(rxt), "-d", "--pg", "--pp", "foo")
    assert "baz -> foo;" in dot
    assert "bar" not in dot
    assert run("context", str(rxt), "--pg", "--pp", "nothere")[0] == 2
    out_file = tmp_path / "graph.dot"
    assert run("context", str(rxt), "--wg", str(out_file)) == (0, "", "")
    assert out_file.read_text() == run("context", str(rxt), "--pg")[1]
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    code, _, err = run("context", str(rxt), "-g", "--wg", str(tmp_path / "g.dot"))
    assert code == 0
    assert err == f"No image viewer could be opened; the graph is in {tmp_path}/g.dot\n"


def test_diff(run: Run, rxt: Path, tmp_path: Path) -> None:
    other = tmp_path / "new.rxt"
    run("env", "foo-2", "-o", str(other))
    code, out, _ = run("context", str(rxt), "--diff", str(other))
    assert (code, out.splitlines()) == (
        0,
        [
            "ctx.rxt  new.rxt  ",
            "-------  -------  ",
            "bar-1    bar-2    (+1 versions)",
            "foo-1.0  foo-2.0  (+1 versions)",
            "baz-3    -        ",
        ],
    )
    code, out, _ = run("context", str(other), "--diff", str(rxt))
    assert out.splitlines()[2:] == [
        "bar-2    bar-1    (-1 versions)",
        "foo-2.0  foo-1.0  (-1 versions)",
        "-        baz-3    ",
    ]
    assert run("context", str(rxt), "--diff", str(rxt)) == (0, "", "")


def test_diff_needs_the_same_search_path(run: Run, rxt: Path, repos: tuple[Path, Path]) -> None:
    release, _ = repos
    other = rxt.with_name("other.rxt")
    run("env", "foo-1", "--paths", str(release), "-o", str(other))
    code, _, err = run("context", str(rxt), "--diff", str(other))
    assert code == 1
    assert "package search paths differ" in err


def test_fetch(run: Run, rxt: Path, repos: tuple[Path, Path]) -> None:
    release, _ = repos
    assert run("context", str(rxt), "--fetch") == (0, "", "")
    write_package(release, "bar", "1.5", "")
    write_package(release, "bar", "1.7", "")
    _, out, _ = run("context", str(rxt), "--fetch")
    assert out.splitlines() == [
        "current  updated  ",
        "-------  -------  ",
        "bar-1    bar-1.7  (+2 versions)",
    ]


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a terminal")
def test_interactive_shell_prints_the_summary(
    rxt: Path, pkg_script: list[str], tmp_path: Path
) -> None:
    argv = [*pkg_script, "env", "-i", str(rxt), "--shell", "bash", "--norc"]
    done = subprocess.run(
        ["script", "-qec", shlex.join(argv), "/dev/null"],
        input="exit 4\n",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    out = done.stdout.replace("\r", "")
    assert done.returncode == 4, out
    summary = out.index("requested packages:")
    resolved = out.index("baz-3    ")
    welcome = out.index("You are now in a pkg-configured environment.")
    assert out.index("resolved by ") < summary < resolved < welcome
    assert "(local)" in out[resolved:welcome]


def test_missing_package_is_marked(run: Run, rxt: Path, repos: tuple[Path, Path]) -> None:
    release, _ = repos
    shutil.rmtree(release / "bar" / "1")
    code, out, _ = run("context", str(rxt))
    assert code == 0
    assert f"bar-1    {release}/bar/1    (NOT FOUND)" in out.splitlines()
    code, _, err = run("context", str(rxt), "-i", "-f", "json")
    assert code == 1
    assert err == f"pkg: error: the context's package bar-1[] is not in {release}\n"


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a terminal")
def test_terminal_output_is_the_piped_text_styled(
    rxt: Path, pkg_script: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = [*pkg_script, "context", str(rxt)]
    piped = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    monkeypatch.setenv("COLUMNS", "30")
    done = subprocess.run(
        ["script", "-qec", shlex.join(argv), "/dev/null"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    styled = done.stdout.replace("\r", "")
    assert "\x1b[" in styled
    assert re.sub(r"\x1b\[[0-9;]*m", "", styled) == piped
