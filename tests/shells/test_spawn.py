"""Startup scripts for a shell in a context: which files, in which order, which process."""

from __future__ import annotations

import doctest
import os
import shutil
from typing import TYPE_CHECKING

import pytest

import pkg.shells.spawn
from pkg.errors import ShellError
from pkg.shells import Bash, Cmd, Csh, Fish, Sh, Tcsh, Zsh, get_shell
from pkg.shells.spawn import (
    StartupOptions,
    join_command,
    startup_files,
    system_paths,
    write_startup,
)

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.shells import Shell

ENVIRON = {"PATH": os.environ.get("PATH", os.defpath)}


@pytest.mark.parametrize(
    ("shell", "args", "expected"),
    [
        (Bash(), ["echo", "a b", "$X", ""], 'echo "a b" "$X" \'\''),
        (Bash(), ['say "hi"', "`x`"], '"say "\'"\'"hi"\'"\'"" "\\`x\\`"'),
        (Tcsh(), ["echo", "wow!"], 'echo "wow\\!"'),
        (Fish(), ["echo", 'a "b" \\'], 'echo "a \\"b\\" \\\\"'),
        (Zsh(), ["plain-word", "x=1,y:2"], "plain-word x=1,y:2"),
    ],
)
def test_join_command(shell: Shell, args: list[str], expected: str) -> None:
    assert join_command(shell, args) == expected


def _home(tmp_path: Path, *names: str) -> Path:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    for name in names:
        (home / name).write_text("\n")
    return home


@pytest.mark.parametrize(
    ("shell", "options", "expected"),
    [
        # a bash command only gets $BASH_ENV
        (Bash(), StartupOptions(command="x"), ["BASH_ENV"]),
        (Bash(), StartupOptions(), ["~/.bashrc"]),
        (Bash(), StartupOptions(norc=True), []),
        (Bash(), StartupOptions(rcfile="RC"), ["RC"]),
        (Bash(), StartupOptions(rcfile="RC", norc=True), []),
        # zsh and the C shells source the user's files for commands too, as in Rez
        (Zsh(), StartupOptions(command="x"), ["~/.zlogin", "~/.zshrc"]),
        (Zsh(), StartupOptions(), ["~/.zshrc"]),
        (Tcsh(), StartupOptions(command="x"), ["~/.cshrc", "~/.login"]),
        (Csh(), StartupOptions(), ["~/.cshrc"]),
        (Sh(), StartupOptions(command="x"), []),
        (Sh(), StartupOptions(), ["~/.profile", "ENV"]),
        (Sh(), StartupOptions(norc=True), ["ENV"]),
    ],
)
def test_startup_files(
    tmp_path: Path, shell: Shell, options: StartupOptions, expected: list[str]
) -> None:
    home = _home(tmp_path, ".bashrc", ".profile", ".zlogin", ".zshrc", ".cshrc", ".login")
    rc = tmp_path / "rc"
    rc.write_text("\n")
    environ = {"BASH_ENV": str(rc), "ENV": str(rc), "HOME": str(home)}
    named = {str(rc): "BASH_ENV" if shell.name == "bash" else "ENV"}
    options = StartupOptions(
        command=options.command,
        norc=options.norc,
        rcfile=str(rc) if options.rcfile else None,
    )
    found = startup_files(shell, options, environ, home)
    expected = [str(rc) if e == "RC" else e for e in expected]
    assert [named.get(f, f) if f != options.rcfile else f for f in found] == expected


def _launch(shell: Shell, tmp_path: Path, options: StartupOptions) -> tuple[list[str], str]:
    if shutil.which(shell.executable) is None:
        pytest.skip(f"{shell.name} is not installed")
    context = tmp_path / f"context.{shell.file_extension}"
    launch = write_startup(
        shell, context, tmp_path, options, environ=ENVIRON, home=_home(tmp_path, ".bashrc")
    )
    return list(launch.argv), (tmp_path / f"rez-shell.{shell.file_extension}").read_text()


def test_command_launcher(tmp_path: Path) -> None:
    argv, script = _launch(Bash(), tmp_path, StartupOptions(command="echo hi"))
    assert argv[1:] == [str(tmp_path / "rez-shell.sh")]
    lines = script.splitlines()
    assert lines[1] == 'export REZ_ENV_PROMPT="${REZ_ENV_PROMPT}>"'
    assert lines[2] == f'. "{tmp_path}/context.sh"'
    assert lines.index("unset BASH_ENV") < lines.index("echo hi") < lines.index("exit $?")


def test_context_sourced_before_the_rc_file(tmp_path: Path) -> None:
    _, script = _launch(Bash(), tmp_path, StartupOptions())
    assert f'--rcfile "{tmp_path}/rcfile.sh"' in script
    lines = (tmp_path / "rcfile.sh").read_text().splitlines()
    assert lines[:2] == [f'. "{tmp_path}/context.sh"', '. "${HOME}/.bashrc"']
    assert "printf '%s\\n' \"You are now in a pkg-configured environment.\"" in lines
    _launch(Bash(), tmp_path, StartupOptions(quiet=True, norc=True))
    text = (tmp_path / "rcfile.sh").read_text()
    assert "bashrc" not in text
    assert "pkg-configured" not in text


def test_fish_norc(tmp_path: Path) -> None:
    argv, script = _launch(Fish(), tmp_path, StartupOptions(norc=True))
    assert argv[1] == "--no-config"
    assert f"fish --no-config --init-command \"source '{tmp_path}/init.fish'\"" in script


def test_windows_shells_cannot_start(tmp_path: Path) -> None:
    with pytest.raises(ShellError, match="pkg cannot start cmd yet"):
        write_startup(
            Cmd(), tmp_path / "c.bat", tmp_path, StartupOptions(), environ={}, home=tmp_path
        )


def test_missing_program(tmp_path: Path) -> None:
    with pytest.raises(ShellError, match="'zsh' is not on PATH"):
        write_startup(
            Zsh(),
            tmp_path / "c.sh",
            tmp_path,
            StartupOptions(),
            environ={"PATH": ""},
            home=tmp_path,
        )


def test_system_paths() -> None:
    assert system_paths(Bash(), ENVIRON, ["/a", "/b"]) == ("/a", "/b")
    if shutil.which("bash"):
        found = system_paths(get_shell("bash")(), ENVIRON)
        assert found
        assert all(p in found for p in os.defpath.split(os.pathsep) if p)
        assert system_paths(Bash(), ENVIRON) is found  # asked once


def test_module_examples() -> None:
    assert doctest.testmod(pkg.shells.spawn).failed == 0
