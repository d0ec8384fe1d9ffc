"""The registry, the renderer interface and what each shell refuses to write."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.config import load_config
from pkg.errors import PkgError, ShellError
from pkg.rex import (
    Alias,
    Appendenv,
    Command,
    Comment,
    Info,
    Prependenv,
    Setenv,
    Shebang,
    Stop,
    Unsetenv,
    expandable,
    literal,
)
from pkg.shells import (
    SHELLS,
    Shell,
    ShellRenderError,
    UnknownShellError,
    get_shell,
    shell_names,
)
from pkg.shells._quote import segments

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.rex import Action

ALL = shell_names()


def test_names_and_properties() -> None:
    assert ALL == ("bash", "cmd", "csh", "fish", "powershell", "pwsh", "sh", "tcsh", "zsh")
    table = {n: (SHELLS[n].file_extension, SHELLS[n].executable) for n in ALL}
    assert table == {
        "bash": ("sh", "bash"),
        "cmd": ("bat", "cmd"),
        "csh": ("csh", "csh"),
        "fish": ("fish", "fish"),
        "powershell": ("ps1", "powershell"),
        "pwsh": ("ps1", "pwsh"),
        "sh": ("sh", "sh"),
        "tcsh": ("csh", "tcsh"),
        "zsh": ("sh", "zsh"),
    }
    for name in ALL:
        shell = get_shell(name)
        assert issubclass(shell, Shell)
        assert shell.name == name


def test_unknown_shell_is_a_one_line_pkg_error() -> None:
    with pytest.raises(UnknownShellError) as caught:
        get_shell("klingon")
    assert isinstance(caught.value, ShellError)
    assert isinstance(caught.value, PkgError)
    assert str(caught.value) == (
        "unknown shell 'klingon' (known: bash, cmd, csh, fish, powershell, pwsh, sh, tcsh, zsh)"
    )
    assert caught.value.name == "klingon"


def test_from_config_takes_separators_and_pathed_variables(tmp_path: Path) -> None:
    config = load_config(environ={}, home=tmp_path)
    shell = get_shell("bash").from_config(config)
    assert shell.separator("CMAKE_MODULE_PATH") == ";"
    assert shell.separator("DOXYGEN_TAGFILES") == " "
    assert shell.separator("PATH") == ":"
    assert shell.is_pathed("LD_LIBRARY_PATH")
    assert not shell.is_pathed("HOME")
    assert get_shell("cmd").from_config(config).separator("PATH") == ";"
    assert get_shell("pwsh").from_config(config, pathsep=";").separator("PATH") == ";"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("plain", [(False, "plain")]),
        ("${A}$B_1 $ $1 ${ x}", [(True, "A"), (True, "B_1"), (False, " $ $1 ${ x}")]),
        ("~", [(True, "HOME")]),
        ("~/a~", [(True, "HOME"), (False, "/a~")]),
        ("~user/x", [(False, "~user/x")]),
        (literal("~/$A").e("$A"), [(False, "~/$A"), (True, "A")]),
        (literal("x").e("~/y"), [(False, "x"), (True, "HOME"), (False, "/y")]),
    ],
)
def test_segments(value: str, expected: list[tuple[bool, str]]) -> None:
    assert segments(value) == expected


@pytest.mark.parametrize("name", ALL)
def test_render_errors(name: str) -> None:
    shell = get_shell(name)()
    bad: list[Action] = [
        Setenv("BAD NAME", expandable("x")),
        Setenv("A;rm", expandable("x")),
        Unsetenv("$(x)"),
        Prependenv("", expandable("x")),
        Alias("a b", "x"),
        Alias("a;b", "x"),
        Setenv("NUL", literal("a\0b")),
        Stop("stopped"),
    ]
    for action in bad:
        with pytest.raises(ShellRenderError) as caught:
            shell.render([action])
        assert isinstance(caught.value, ShellError)
        assert "\n" not in str(caught.value)
        assert str(caught.value).startswith(f"{name}: ")


def test_cmd_cannot_hold_line_breaks() -> None:
    cmd = get_shell("cmd")()
    with pytest.raises(ShellRenderError, match="line break"):
        cmd.render([Setenv("A", literal("a\nb"))])
    # info and comments are written line by line instead
    assert cmd.render([Info(literal("a\nb")), Comment("c\nd")]) == (
        "echo(a\r\necho(b\r\nREM c\r\nREM d\r\n"
    )


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("plain", "plain"),
        ("a&b", "a^&b"),
        ("a b", '^"a b^"'),
        ("", '^"^"'),
        ('say "hi"', '^"say \\^"hi\\^"^"'),
        ('back\\"q', '^"back\\\\\\^"q^"'),
        ("trail\\ ", '^"trail\\ ^"'),
        ("dir with space\\", '^"dir with space\\\\^"'),
        ("${A}", '^"%A%^"'),
        ("50%", "50%%"),
    ],
)
def test_cmd_arguments(arg: str, expected: str) -> None:
    assert get_shell("cmd")().command(("prog", arg)) == f"prog {expected}"


def test_windows_paths_only_for_pathed_variables() -> None:
    actions: list[Action] = [
        Setenv("MY_PATH", literal("/lit/").e("/a/${B}/c")),
        Setenv("OTHER", expandable("/a/b")),
        Appendenv("PATH", expandable("~/bin")),
    ]
    assert get_shell("cmd")().render(actions).split("\r\n") == [
        "set MY_PATH=/lit/\\a\\%B%\\c",
        "set OTHER=/a/b",
        "set PATH=%PATH%;%USERPROFILE%\\bin",
        "",
    ]
    assert get_shell("pwsh")().render(actions[1:]).split("\n")[0] == (
        'Set-Item -Path "Env:OTHER" -Value "/a/b"'
    )


def test_posix_alias_forms() -> None:
    assert get_shell("sh")().render([Alias("ok", "x"), Alias("not-ident", "y 'z'")]) == (
        'ok() { x "$@"; }\nalias not-ident="y \'z\'"\n'
    )
    assert get_shell("zsh")().render([Alias("a-b", "x")]) == 'a-b() { x "$@"; }\n'


def test_shebang_and_executable() -> None:
    assert get_shell("bash")().render([Shebang()]) == "#!/usr/bin/env bash\n"
    assert get_shell("tcsh")(executable="/bin/tcsh").render([Shebang()]) == "#!/bin/tcsh\n"
    assert get_shell("cmd")().render([Shebang()]) == ""
    assert get_shell("powershell")().render([Shebang()]) == ""


def test_command_forms() -> None:
    bash = get_shell("bash")()
    assert bash.render([Command("echo $HOME | tr a b")]) == "echo $HOME | tr a b\n"
    assert bash.render([Command(())]) == "\n"
    fish = get_shell("fish")()
    assert fish.render([Command(("echo", "it's", "$X"))]) == "echo 'it\\'s' \"$X\"\n"


def test_encodings() -> None:
    assert {n: get_shell(n).encoding for n in ALL if get_shell(n).encoding != "utf-8"} == {
        "powershell": "utf-8-sig"
    }
