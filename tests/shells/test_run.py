"""Rendered scripts run in the real shells: environment, aliases, output streams, source."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.config import load_config
from pkg.rex import (
    Alias,
    Appendenv,
    Command,
    Comment,
    Error,
    Info,
    Prependenv,
    Resetenv,
    RexExecutor,
    Setenv,
    Shebang,
    Source,
    Unsetenv,
    expandable,
    literal,
)
from pkg.shells import get_shell
from tests.shells._run import RUNNERS, run

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.rex import Action

SHELLS = sorted(RUNNERS)

#: Values that break naive quoting somewhere.
HOSTILE = [
    "plain",
    "",
    "with space",
    "  lead and trail  ",
    "it's",
    'say "hi"',
    "'",
    '"',
    "''",
    "a'\"b\"'c",
    "$HOME",
    "${HOME}",
    "$",
    "a$",
    "$$",
    "$1",
    "`date`",
    "$(date)",
    "back\\slash",
    "trailing\\",
    "\\",
    "\\\\",
    "\\n is not a newline",
    "\\'",
    "'\\",
    "bang!",
    "!!",
    "!$",
    "\\!",
    "!\\",
    "a!b'c!d",
    "line1\nline2",
    "\n",
    "ends with newline\n",
    "back\\\nslash-newline",
    "tab\there",
    "unicodé ✓ 日本語 \u201cq\u201d \u2018s\u2019",
    "*",
    "?",
    "[a]",
    "~",
    "~/x",
    "%PATH%",
    "%",
    "-n",
    "-e",
    "{a,b}",
    ";",
    "&",
    "|",
    "#not a comment",
    "a=b",
    "%s%d",
]


@pytest.mark.parametrize("name", SHELLS)
def test_literal_values_arrive_unchanged(name: str, tmp_path: Path) -> None:
    actions: list[Action] = [
        Shebang(),
        *(Setenv(f"V{i}", literal(v)) for i, v in enumerate(HOSTILE)),
    ]
    result = run(name, actions, tmp_path)
    for i, value in enumerate(HOSTILE):
        assert result.environ[f"V{i}"] == value, (i, value)


@pytest.mark.parametrize("name", SHELLS)
def test_expandable_values_expand_only_references(name: str, tmp_path: Path) -> None:
    home = str(tmp_path)
    cases = [
        (expandable("${FOO}"), "foo value"),
        (expandable("$FOO"), "foo value"),
        (expandable("<${FOO}>"), "<foo value>"),
        (expandable("${FOO}${FOO}"), "foo valuefoo value"),
        (expandable("${WEIRD}"), 'it\'s "$x" `y` !z\nw'),
        (expandable("x${WEIRD}y"), 'xit\'s "$x" `y` !z\nwy'),
        (expandable("~/bin"), f"{home}/bin"),
        (expandable("~"), home),
        (expandable("a~/bin"), "a~/bin"),
        (expandable("$ `x` $(y) 'q' \"d\" \\ ! %P%"), "$ `x` $(y) 'q' \"d\" \\ ! %P%"),
        (expandable("${EMPTY}"), ""),
        (expandable("a${EMPTY}b"), "ab"),
        (literal("${FOO} is ").e("${FOO}"), "${FOO} is foo value"),
        (literal("~/x:").e("~/y"), f"~/x:{home}/y"),
    ]
    environ = {"FOO": "foo value", "WEIRD": 'it\'s "$x" `y` !z\nw', "EMPTY": ""}
    actions: list[Action] = [Setenv(f"E{i}", value) for i, (value, _) in enumerate(cases)]
    result = run(name, actions, tmp_path, environ=environ)
    for i, (value, expected) in enumerate(cases):
        assert result.environ[f"E{i}"] == expected, (i, value)


@pytest.mark.parametrize("name", SHELLS)
def test_prepend_append_unset_reset(name: str, tmp_path: Path) -> None:
    actions: list[Action] = [
        Setenv("P", expandable("/a")),
        Prependenv("P", expandable("/b c")),
        Appendenv("P", literal("$x'")),
        Prependenv("PARENT", expandable("/new")),
        Appendenv("SEMI", expandable("two")),
        Prependenv("FRESH", expandable("v")),
        Unsetenv("GONE"),
        Unsetenv("NEVER_SET"),
        Resetenv("R", expandable("${P}")),
        Prependenv("PATH", expandable("/x y")),
        Appendenv("MY_PATH", expandable("/z")),
    ]
    environ = {"PARENT": "/old:/older", "SEMI": "one", "GONE": "x", "MY_PATH": "/p:/q"}
    result = run(name, actions, tmp_path, environ=environ, separators={"SEMI": ";"})
    assert result.environ["P"] == "/b c:/a:$x'"
    assert result.environ["PARENT"] == "/new:/old:/older"
    assert result.environ["SEMI"] == "one;two"
    assert result.environ["PATH"] == "/x y:/usr/bin:/bin"
    assert result.environ["MY_PATH"] == "/p:/q:/z"
    assert result.environ["FRESH"] == "v:"
    assert result.environ["R"] == "/b c:/a:$x'"
    assert "GONE" not in result.environ
    assert "NEVER_SET" not in result.environ


@pytest.mark.parametrize("name", SHELLS)
def test_alias_is_callable_with_arguments(name: str, tmp_path: Path) -> None:
    actions: list[Action] = [
        Alias("greet", "printf '%s|' hello"),
        Alias("say-it", "printf '<%s>'"),
        Command("greet 'a b' c"),
        Command("say-it x"),
    ]
    result = run(name, actions, tmp_path)
    assert result.stdout == "hello|a b|c|<x>"


@pytest.mark.parametrize("name", SHELLS)
def test_info_and_error_streams(name: str, tmp_path: Path) -> None:
    lines = [v for v in HOSTILE if "\n" not in v]
    actions: list[Action] = [
        *(Info(literal(v)) for v in lines),
        Info(literal("")),
        Info(literal("two\nlines")),
        Info(expandable("home is ~ and ${FOO}")),
        Error(literal("oops: it's $bad `x` !")),
        Error(expandable("${FOO} failed\nsecond")),
    ]
    result = run(name, actions, tmp_path, environ={"FOO": "f o"})
    assert result.stdout.split("\n") == [*lines, "", "two", "lines", "home is ~ and f o", ""]
    assert result.stderr == "oops: it's $bad `x` !\nf o failed\nsecond\n"


@pytest.mark.parametrize("name", SHELLS)
def test_info_and_error_need_no_program_on_path(name: str, tmp_path: Path) -> None:
    """A package may replace ``PATH`` before a context's system paths are appended:
    ``info`` and ``error`` must still print (csh has no ``printf`` builtin)."""
    actions: list[Action] = [
        Setenv("PATH", literal(str(tmp_path / "empty"))),
        Info(literal("-n a\\tb\\c")),
        Error(expandable("-e ${FOO}")),
    ]
    result = run(name, actions, tmp_path, environ={"FOO": "f\\no"})
    assert (result.stdout, result.stderr) == ("-n a\\tb\\c\n", "-e f\\no\n")


@pytest.mark.parametrize("name", SHELLS)
def test_comments_are_inert(name: str, tmp_path: Path) -> None:
    text = "hostile ' \" $x `y` ! \\ ; & | %P% end with backslash \\"
    actions: list[Action] = [
        Comment(text),
        Comment("two\nlines \\"),
        Setenv("AFTER", literal("ok")),
    ]
    result = run(name, actions, tmp_path)
    assert result.environ["AFTER"] == "ok"
    assert result.stdout == ""
    assert result.stderr == ""


@pytest.mark.parametrize("name", SHELLS)
def test_source_runs_in_the_same_shell(name: str, tmp_path: Path) -> None:
    shell = get_shell(name)()
    folder = tmp_path / "dir with space" / "it's [a] !x"
    folder.mkdir(parents=True)
    first = folder / f"first.{shell.file_extension}"
    first.write_text(
        shell.render([Setenv("SOURCED", literal("yes 'really'")), Alias("hi", "printf hi")]),
        encoding="utf-8",
    )
    second = folder / f"second.{shell.file_extension}"
    second.write_text(shell.render([Setenv("SECOND", expandable("${SOURCED}!"))]), "utf-8")
    # the path of a source action is expandable: ${DIR} is the shell's variable
    actions: list[Action] = [Source(str(first)), Source(f"${{DIR}}/{second.name}"), Command("hi")]
    result = run(name, actions, tmp_path, environ={"DIR": str(folder)})
    assert result.environ["SOURCED"] == "yes 'really'"
    assert result.environ["SECOND"] == "yes 'really'!"
    assert result.stdout == "hi"


@pytest.mark.parametrize("name", SHELLS)
def test_command_arguments_are_quoted(name: str, tmp_path: Path) -> None:
    args = ["a b", "it's", "$", "!x", "back\\slash", 'q"q', ""]
    actions: list[Action] = [
        Command(("printf", "[%s]", *args)),
        Command(("printf", "[%s]", "${FOO}")),
    ]
    result = run(name, actions, tmp_path, environ={"FOO": "f o"})
    assert result.stdout == "".join(f"[{a}]" for a in args) + "[f o]"


REX_CODE = """
env.PATH.prepend('{root}/bin')
env.PATH.append('/usr/bin')
env.PATH.append('/bin')
env.FOO = literal("it's $x `y` !").e(" ${HOME}")
env.BAR = "{root}/with space/$FOO"
env.BAZ = "~/x"
env.CMAKE_MODULE_PATH.append('{root}/a')
env.CMAKE_MODULE_PATH.append('b c')
env.KEPT.append('more')
unsetenv('GONE')
alias('hello', 'printf hi')
comment("set up {root}")
info("root is {root}")
command("hello")
"""


@pytest.mark.parametrize("name", SHELLS)
def test_rex_executor_and_shell_agree(name: str, tmp_path: Path) -> None:
    """The environment a shell builds from rex actions is the one rex computed."""
    config = load_config(environ={}, home=tmp_path, overrides={"parent_variables": ["KEPT"]})
    parent = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GONE": "1", "KEPT": "k"}
    executor = RexExecutor(config, parent, pathsep=":")
    executor.bind("root", "/pkgs/it's (1.0)")
    executor.execute(REX_CODE)
    result = run(
        name,
        executor.actions,
        tmp_path,
        environ=parent,
        separators=config.env_var_separators,
    )
    assert {k: result.environ.get(k) for k in executor.environ} == executor.environ
    assert executor.environ["KEPT"] == "k:more"
    assert "GONE" not in result.environ
    assert result.stdout == "root is /pkgs/it's (1.0)\nhi"
