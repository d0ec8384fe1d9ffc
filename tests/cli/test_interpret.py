"""``pkg interpret``: rex code run through the real command line, printed as variables or
as shell code (which real shells then run)."""

from __future__ import annotations

import doctest
import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

import pkg.api.interpret
import pkg.cli.interpret
from pkg.cli import main
from pkg.cli.interpret import expand_multi_value

if TYPE_CHECKING:
    from pathlib import Path

Run = Callable[..., tuple[int, str, str]]

REX = textwrap.dedent(
    """\
    setenv("GREETING", "hello")
    appendenv("LIST", "/a")
    appendenv("LIST", "/b")
    prependenv("INHERITED", "/front")
    unsetenv("DOOMED")
    alias("hi", "echo hi")
    info("some info")
    comment("a comment")
    name = "world"
    setenv("DERIVED", "{env.GREETING} {name} in $HOME")
    setenv("QUOTED", literal("it's $5"))
    """
)


@pytest.fixture
def rex_file(tmp_path: Path) -> Path:
    path = tmp_path / "code.py"
    path.write_text(REX)
    return path


@pytest.fixture
def run(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], isolated_environment: Path
) -> Run:
    monkeypatch.setenv("INHERITED", "/old")
    monkeypatch.setenv("DOOMED", "1")

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["interpret", *args])
        out, err = capfd.readouterr()
        return code, out, err

    return invoke


def test_dict(run: Run, rex_file: Path, isolated_environment: Path) -> None:
    code, out, err = run("-f", "dict", str(rex_file))
    assert (code, err) == (0, "")
    home = str(isolated_environment)
    assert out == (
        "{'DERIVED': 'hello world in " + home + "',\n"
        " 'GREETING': 'hello',\n"
        " 'INHERITED': '/front',\n"
        " 'LIST': '/a:/b',\n"
        " 'QUOTED': \"it's $5\"}\n"
    )


def test_table(run: Run, rex_file: Path, isolated_environment: Path) -> None:
    code, out, err = run("--format", "table", str(rex_file))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"DERIVED    hello world in {isolated_environment}",
        "GREETING   hello",
        "INHERITED  /front",
        "LIST       /a:/b",
        "QUOTED     it's $5",
    ]


def test_nothing_set_prints_an_empty_dict_or_table(run: Run) -> None:
    assert run("-f", "dict", "-c", "info('x')") == (0, "{}\n", "")
    assert run("-f", "table", "-c", "info('x')") == (0, "\n", "")


def test_no_env_keeps_references_to_unknown_variables(run: Run, rex_file: Path) -> None:
    code, out, _ = run("-f", "dict", "--no-env", str(rex_file))
    assert code == 0
    assert "'DERIVED': 'hello world in ${HOME}'" in out
    assert "'INHERITED': '/front'" in out


def test_parent_variables_are_extended(run: Run, rex_file: Path) -> None:
    # FILE first: like rez, --pv takes every following argument up to the next option
    code, out, _ = run("-f", "table", str(rex_file), "--pv", "INHERITED", "LIST")
    assert code == 0
    lines = out.splitlines()
    assert "INHERITED  /front:/old" in lines
    assert "LIST       :/a:/b" in lines  # an unset parent variable starts out empty
    _, again, _ = run("--pv", "INHERITED", "-f", "table", str(rex_file))
    assert "INHERITED  /front:/old" in again.splitlines()
    _, every, _ = run("-f", "table", "--parent-variables", "all", "--", str(rex_file))
    assert {"INHERITED  /front:/old", "LIST       :/a:/b"} <= set(every.splitlines())


def test_parent_variables_setting_is_not_used(
    run: Run, rex_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PKG_ALL_PARENT_VARIABLES", "1")
    _, out, _ = run("-f", "table", str(rex_file))
    assert "INHERITED  /front" in out.splitlines()


def test_command_string(run: Run) -> None:
    assert run("-f", "dict", "-c", "setenv('A', '1')\nappendenv('A', '2')") == (
        0,
        "{'A': '1:2'}\n",
        "",
    )


def _bash_result(script: str, env: dict[str, str], tmp_path: Path) -> tuple[str, dict[str, str]]:
    """Source ``script`` in real bash; return what it printed and the environment after."""
    bash = shutil.which("bash")
    assert bash is not None
    path = tmp_path / "script.sh"
    path.write_text(script)
    done = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", f'. "{path}"; printf "\\0"; env -0'],
        env=env,
        capture_output=True,
        check=True,
    )
    printed, _, listing = done.stdout.decode().partition("\0")
    pairs = (item.split("=", 1) for item in listing.split("\0") if "=" in item)
    return printed, {key: value for key, value in pairs}  # noqa: C416 (pairs of a split)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_script_runs_in_bash(
    run: Run, rex_file: Path, isolated_environment: Path, tmp_path: Path
) -> None:
    code, out, err = run("-f", "bash", str(rex_file))
    assert (code, err) == (0, "")
    assert out.startswith("#!")
    assert out.endswith("\n\n")  # the script's last newline, then the printed one
    env = {"PATH": os.environ["PATH"], "HOME": str(isolated_environment), "INHERITED": "/old"}
    env["DOOMED"] = "1"
    printed, result = _bash_result(out, env, tmp_path)
    assert printed == "some info\n"
    assert result["GREETING"] == "hello"
    assert result["LIST"] == "/a:/b"
    assert result["INHERITED"] == "/front"
    assert result["DERIVED"] == f"hello world in {isolated_environment}"
    assert result["QUOTED"] == "it's $5"
    assert "DOOMED" not in result
    assert "BASH_FUNC_hi%%" in result  # the alias, exported as a function


@pytest.mark.parametrize(
    ("shell_var", "default_shell", "expected"),
    [
        ("/bin/zsh", "", "zsh"),
        ("/usr/bin/tcsh", "", "tcsh"),
        ("/bin/bash", "csh", "csh"),  # the default_shell setting wins
        ("/opt/unknown-shell", "", "bash"),  # else bash
    ],
)
def test_default_format_is_the_current_shell(
    run: Run,
    rex_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    shell_var: str,
    default_shell: str,
    expected: str,
) -> None:
    monkeypatch.setenv("SHELL", shell_var)
    monkeypatch.setenv("PKG_DEFAULT_SHELL", default_shell)
    code, out, _ = run(str(rex_file))
    assert code == 0
    assert (code, out) == run("-f", expected, str(rex_file))[:2]
    others = {"zsh", "tcsh", "csh", "bash"} - {expected}
    assert all(out != run("-f", other, str(rex_file))[1] for other in others)


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["missing.py"], 2, "cannot read rex file missing.py: No such file or directory"),
        (["-f", "xml", "-c", "x = 1"], 2, "-f/--format: unknown format 'xml'"),
        (["-c", "stop('not here %s', 1)"], 1, "rex code: not here 1"),
        (["-f", "dict", "-c", "setenv('A', nope)"], 1, "rex code: NameError: name 'nope'"),
        (["-f", "dict", "-c", "x = ("], 1, "rex code: syntax error at line 1"),
        (["-f", "dict", "-c", "setenv('A', env.NOT_SET_ANYWHERE)"], 1, "NOT_SET_ANYWHERE"),
        (["-f", "bash", "-c", "setenv('A-B', '1')"], 1, "invalid variable name 'A-B'"),
    ],
)
def test_errors_are_one_line(run: Run, args: list[str], status: int, message: str) -> None:
    code, out, err = run(*args)
    assert code == status
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_error_names_the_file(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("setenv('A', 1)\nraise ValueError('boom')\n")
    code, _, err = run("-f", "dict", str(bad))
    assert code == 1
    assert err.strip() == f"pkg: error: rex file {bad}: ValueError: boom"


def test_expand_multi_value() -> None:
    assert expand_multi_value(["f.py", "--pv", "A", "B", "--no-env"]) == [
        "f.py",
        "--pv",
        "A",
        "--pv",
        "B",
        "--no-env",
    ]
    assert expand_multi_value(["--pv=A", "f.py"]) == ["--pv=A", "f.py"]


@pytest.mark.parametrize("module", [pkg.api.interpret, pkg.cli.interpret])
def test_module_examples(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


def test_system_object(run: Run) -> None:
    import platform

    code, out, _ = run("-f", "dict", "-c", "setenv('A', system.arch)\nsetenv('B', '{system.arch}')")
    assert (code, out) == (0, f"{{'A': '{platform.machine()}', 'B': '{platform.machine()}'}}\n")
