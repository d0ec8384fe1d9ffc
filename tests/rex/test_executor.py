"""The executor: every rex callable, ``env``, expansion, separators and parent variables."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.rex import (
    Alias,
    Appendenv,
    Command,
    Comment,
    Error,
    Info,
    Prependenv,
    Resetenv,
    RexError,
    RexExecutor,
    RexStopError,
    RexUndefinedVariableError,
    Setenv,
    Shebang,
    Source,
    Unsetenv,
    expandable,
    literal,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from pkg.config import Config


def run(executor: RexExecutor, code: str) -> list[tuple[str, ...]]:
    executor.execute(code)
    return [_plain(action) for action in executor.actions]


def _plain(action: object) -> tuple[str, ...]:
    kind = str(getattr(action, "kind", ""))
    fields = [getattr(action, f) for f in ("key", "name", "value") if hasattr(action, f)]
    return (kind, *(str(f) for f in fields))


def test_shebang_comes_first_by_default(config: Config) -> None:
    executor = RexExecutor(config, {})
    assert executor.actions == [Shebang()]
    executor.shebang()
    assert executor.actions == [Shebang(), Shebang()]


def test_setenv_forms(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    code = "setenv('A', 'a')\nenv.B = 'b'\nenv['C'] = 3\nenv.D.set('d')\n"
    assert run(executor, code) == [
        ("setenv", "A", "a"),
        ("setenv", "B", "b"),
        ("setenv", "C", "3"),
        ("setenv", "D", "d"),
    ]
    assert executor.environ == {"A": "a", "B": "b", "C": "3", "D": "d"}


def test_getenv_sees_earlier_setenv(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    executor.execute("env.A = 'x'\nenv.B = getenv('A') + env.A.get() + str(env.A) + env.A.value()")
    assert executor.environ["B"] == "xxxx"


def test_getenv_falls_back_to_parent(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    assert executor.getenv("LANG") == "C"
    with pytest.raises(RexUndefinedVariableError, match="undefined environment variable: NOPE"):
        executor.getenv("NOPE")


def test_unsetenv(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    assert run(executor, "env.A = 1\nunsetenv('A')\nenv.LANG.unset()") == [
        ("setenv", "A", "1"),
        ("unsetenv", "A"),
        ("unsetenv", "LANG"),
    ]
    assert "A" not in executor.environ
    # As in Rez, an unset only forgets what this code set: the parent value shows again.
    assert executor.defined("LANG")


def test_resetenv(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    executor.execute("resetenv('A', 'x', friends=['B'])\nenv.C.reset('y')")
    assert executor.actions == [
        Resetenv("A", expandable("x"), ["B"]),
        Resetenv("C", expandable("y"), None),
    ]
    assert executor.environ == {"A": "x", "C": "y"}


def test_first_touch_replaces_parent_value(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    code = "env.PATH.prepend('/a')\nenv.PATH.append('/b')\nprependenv('PATH', '/c')"
    assert run(executor, code) == [
        ("setenv", "PATH", "/a"),
        ("appendenv", "PATH", "/b"),
        ("prependenv", "PATH", "/c"),
    ]
    assert executor.getenv("PATH") == "/c:/a:/b"


def test_append_after_unset_is_a_set_again(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    code = "env.X.append('1')\nenv.X.unset()\nappendenv('X', '2')"
    assert run(executor, code)[-1] == ("setenv", "X", "2")


def test_parent_variables_keep_the_parent_value(
    make_executor: Callable[..., RexExecutor],
) -> None:
    executor = make_executor(overrides={"parent_variables": ["PATH", "MISSING"]})
    code = "env.PATH.prepend('/a')\nenv.MISSING.append('/m')\nenv.OTHER.append('/o')"
    assert run(executor, code) == [
        ("prependenv", "PATH", "/a"),
        ("appendenv", "MISSING", "/m"),
        ("setenv", "OTHER", "/o"),
    ]
    assert executor.getenv("PATH") == "/a:/usr/bin:/bin"
    # Rez joins onto the empty value of a missing parent variable.
    assert executor.getenv("MISSING") == ":/m"


def test_all_parent_variables(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor(overrides={"all_parent_variables": True})
    assert run(executor, "env.LANG.append('x')\nenv.NEW.prepend('y')") == [
        ("appendenv", "LANG", "x"),
        ("prependenv", "NEW", "y"),
    ]
    assert executor.getenv("LANG") == "C:x"


def test_separators_from_config(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor(overrides={"env_var_separators": {"FLAGS": " "}})
    executor.execute(
        "env.FLAGS = '-a'\nenv.FLAGS.append('-b')\nenv.CMAKE_MODULE_PATH = 'x'\n"
        "env.CMAKE_MODULE_PATH.append('y')\nenv.P = 'p'\nenv.P.append('q')"
    )
    assert executor.getenv("FLAGS") == "-a -b"
    assert executor.getenv("P") == "p:q"
    assert executor.separator("FLAGS") == " "
    assert executor.separator("OTHER") == ":"
    # the default separators are still there unless overridden
    assert make_executor().separator("CMAKE_MODULE_PATH") == ";"


def test_pathsep_argument(config: Config) -> None:
    executor = RexExecutor(config, {}, pathsep=";", shebang=False)
    executor.execute("env.P = 'a'\nenv.P.append('b')")
    assert executor.getenv("P") == "a;b"


def test_is_pathed(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    assert executor.is_pathed("PYTHONPATH")
    assert not executor.is_pathed("HOME")


def test_alias_command_source_comment_info_error(
    make_executor: Callable[..., RexExecutor],
) -> None:
    executor = make_executor()
    executor.bind("root", "/r")
    code = (
        "alias('go', '{root}/bin/go --x')\n"
        "command('echo {root}')\n"
        "command(['ls', '-l'])\n"
        "source('{root}/init.sh')\n"
        "comment('root is {root}')\n"
        "info()\n"
        "info('hello {root}')\n"
        "error('bad {root}')\n"
    )
    executor.execute(code)
    assert executor.actions == [
        Alias("go", "/r/bin/go --x"),
        Command("echo {root}"),
        Command(("ls", "-l")),
        Source("/r/init.sh"),
        Comment("root is /r"),
        Info(expandable("")),
        Info(expandable("hello /r")),
        Error(expandable("bad /r")),
    ]


def test_stop(make_executor: Callable[..., RexExecutor]) -> None:
    with pytest.raises(RexStopError, match=r"^no 3 here$"):
        make_executor().execute("stop('no %d here', 3)")
    with pytest.raises(RexStopError, match=r"^100%$"):
        make_executor().execute("stop('100%')")


def test_defined_undefined(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    executor.execute("env.NEW = '1'")
    assert executor.defined("NEW")
    assert executor.defined("LANG")
    assert executor.undefined("NOPE")
    assert not executor.defined("NOPE")


def test_expandvars(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    executor.bind("root", "/r")
    executor.execute("env.A = 'a'")
    assert executor.expandvars("$A/${LANG}/$NOPE/{root}") == "a/C/${NOPE}/{root}".replace(
        "{root}", "/r"
    )
    assert executor.expandvars("$A {root}", format=False) == "a {root}"


def test_expansion_in_values(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    executor.bind("root", "/r")
    code = (
        "x = '{root}/x'\n"
        "env.A = '{root}/bin:$PATH:${HOME}/$LANG1'\n"
        "env.B = '{x}'\n"
        "env.C = '{nope} stays'\n"
        "env.D = '~/d'\n"
        "env.E = literal('{root} $PATH')\n"
        "env.F = literal('{root}').e('{root}')\n"
        "env.G = '{{braces}}'\n"
        "env.H = format('{root}/h')\n"
    )
    actions = run(executor, code)
    assert actions == [
        ("setenv", "A", "/r/bin:${PATH}:${HOME}/${LANG}1"),
        ("setenv", "B", "/r/x"),
        ("setenv", "C", "{nope} stays"),
        ("setenv", "D", "~/d"),
        ("setenv", "E", "{root} $PATH"),
        ("setenv", "F", "{root}/r"),
        ("setenv", "G", "{braces}"),
        ("setenv", "H", "/r/h"),
    ]
    assert executor.environ["A"] == "/r/bin:/usr/bin:/bin:/home/u/C1"
    assert executor.environ["D"] == "/home/u/d"
    assert executor.environ["E"] == "{root} $PATH"


def test_env_reference_in_format(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    executor.execute("env.A = 'x'\nenv.B = '{env.A}-{env.LANG}'")
    assert executor.environ["B"] == "x-C"
    with pytest.raises(RexUndefinedVariableError):
        make_executor().execute("env.B = '{env.NOPE}'")


def test_non_string_values_are_not_formatted(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    assert run(executor, "env.A = 1.5\nenv.B = ['{x}']") == [
        ("setenv", "A", "1.5"),
        ("setenv", "B", "['{x}']"),
    ]


def test_key_is_formatted_too(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    executor.bind("name", "foo")
    assert run(executor, "setenv('{name}_HOME', 'x')") == [("setenv", "foo_HOME", "x")]


def test_env_object(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    env = executor.env
    assert "LANG" in env
    assert "NEW" not in env
    assert not env.NEW
    assert "NEW" in env  # asking for a variable remembers its name, as in Rez
    env.NEW.setdefault("1")
    env.NEW.setdefault("2")
    assert executor.getenv("NEW") == "1"
    assert env.NEW == "1"
    assert env["NEW"] == env.NEW
    assert env.NEW != "2"
    assert env.NEW.name == "NEW"
    assert repr(env.NEW) == "EnvironmentVariable('NEW', '1')"
    assert len(env) == len(list(env))
    with pytest.raises(AttributeError):
        env.__wrapped__  # noqa: B018


def test_optionvars(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor(overrides={"optionvars": {"a": {"b": 1}, "c": "x"}})
    assert executor.optionvars("a.b") == 1
    assert executor.optionvars("a.z", 5) == 5
    assert executor.optionvars("missing") is None
    with pytest.raises(RexError, match="'c' is not a dict"):
        executor.optionvars("c.d")


def test_locals_do_not_leak_between_runs(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()
    executor.execute("secret = 1")
    assert "secret" not in executor.namespace
    executor.execute("env.A = '{secret}'")
    assert executor.environ["A"] == "{secret}"


def test_functions_run_with_the_namespace(make_executor: Callable[..., RexExecutor]) -> None:
    executor = make_executor()

    def commands() -> None:
        env.FROM_FUNC = "yes"  # type: ignore[name-defined]  # noqa: F821

    executor.execute(commands)
    assert executor.environ == {"FROM_FUNC": "yes"}
    calls: list[int] = []
    executor.execute(lambda: calls.append(1))
    executor.execute(_Callable(calls))
    assert calls == [1, 2]


class _Callable:
    def __init__(self, calls: list[int]) -> None:
        self.calls = calls

    def __call__(self) -> None:
        self.calls.append(2)


def test_errors_are_wrapped(make_executor: Callable[..., RexExecutor]) -> None:
    with pytest.raises(RexError, match="ZeroDivisionError") as info:
        make_executor().execute("1 / 0")
    assert isinstance(info.value.__cause__, ZeroDivisionError)
    with pytest.raises(RexError, match="syntax error at line 2"):
        make_executor().execute("x = 1\nx = = 2")


def test_errors_propagate_without_catch_rex_errors(
    make_executor: Callable[..., RexExecutor],
) -> None:
    executor = make_executor(overrides={"catch_rex_errors": False})
    with pytest.raises(ZeroDivisionError):
        executor.execute("1 / 0")


def test_actions_are_frozen() -> None:
    action = Setenv("A", literal("x"))
    with pytest.raises(AttributeError):
        action.key = "B"  # type: ignore[misc]
    assert Setenv.kind == "setenv"
    assert {Unsetenv("A"), Unsetenv("A"), Prependenv("A", literal("x"))} == {
        Unsetenv("A"),
        Prependenv("A", literal("x")),
    }
    assert Appendenv("A", literal("x")) != Prependenv("A", literal("x"))  # type: ignore[comparison-overlap]
