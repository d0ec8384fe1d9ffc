"""The error policy of ``pkg.cli.main``, exercised with test-only commands."""

from __future__ import annotations

import pstats
from typing import TYPE_CHECKING

import pytest
import rich_click as click

from pkg.cli import AppState, main, pass_state
from pkg.errors import ConfigError, PkgError, UsageError, VersionError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def _raising(error: BaseException) -> click.Command:
    @click.command("t-raise")
    def raise_it() -> None:
        """Raise the test's error."""
        raise error

    return raise_it


@pytest.fixture
def raise_with(
    add_command: Callable[[click.Command], click.Command],
) -> Callable[[BaseException], None]:
    def install(error: BaseException) -> None:
        add_command(_raising(error))

    return install


@pytest.mark.parametrize(
    ("error", "code", "line"),
    [
        (PkgError("boom"), 1, "pkg: error: boom"),
        (UsageError("--foo needs --bar"), 2, "pkg: error: --foo needs --bar"),
        (ConfigError("bad", key_path="a.b"), 1, "pkg: error: key 'a.b': bad"),
    ],
)
def test_pkg_error_is_one_line(
    raise_with: Callable[[BaseException], None],
    capsys: pytest.CaptureFixture[str],
    error: PkgError,
    code: int,
    line: str,
) -> None:
    raise_with(error)
    assert main(["t-raise"]) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == line + "\n"


def test_multi_line_message_is_printed_as_is(
    raise_with: Callable[[BaseException], None], capsys: pytest.CaptureFixture[str]
) -> None:
    error = VersionError("version", "1..2", 2, "empty token")
    raise_with(error)
    assert main(["t-raise"]) == 1
    assert capsys.readouterr().err == f"pkg: error: {error}\n"
    assert str(error).count("\n") == 2


def test_exit_code_comes_from_the_error_class(
    raise_with: Callable[[BaseException], None], capsys: pytest.CaptureFixture[str]
) -> None:
    class Special(PkgError):
        exit_code = 7

    raise_with(Special("special"))
    assert main(["t-raise"]) == 7
    assert capsys.readouterr().err == "pkg: error: special\n"


@pytest.mark.parametrize(
    ("argv", "env", "traceback"),
    [
        (["t-raise"], {}, False),
        (["t-raise", "--debug"], {}, True),
        (["--debug", "t-raise"], {}, True),
        (["t-raise"], {"PKG_DEBUG": "1"}, True),
        (["t-raise"], {"PKG_DEBUG": "yes"}, True),
        (["t-raise"], {"PKG_DEBUG": "0"}, False),
        (["t-raise"], {"PKG_DEBUG": ""}, False),
        (["t-raise", "-v"], {}, False),
        (["t-raise", "-vv"], {}, True),
        (["-v", "t-raise", "-v"], {}, True),
    ],
)
def test_traceback_only_when_asked(
    raise_with: Callable[[BaseException], None],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: dict[str, str],
    traceback: bool,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    raise_with(PkgError("boom"))
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.endswith("pkg: error: boom\n")
    assert ("Traceback (most recent call last)" in err) is traceback
    assert ("in raise_it" in err) is traceback


def test_a_bug_prints_the_traceback(
    raise_with: Callable[[BaseException], None], capsys: pytest.CaptureFixture[str]
) -> None:
    raise_with(ZeroDivisionError("division by zero"))
    assert main(["t-raise"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last)")
    assert "in raise_it" in err
    assert err.endswith("pkg: internal error: ZeroDivisionError: division by zero\n")


def test_keyboard_interrupt_exits_130_quietly(
    raise_with: Callable[[BaseException], None], capsys: pytest.CaptureFixture[str]
) -> None:
    raise_with(KeyboardInterrupt())
    assert main(["t-raise"]) == 130
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_abort_exits_1(
    raise_with: Callable[[BaseException], None], capsys: pytest.CaptureFixture[str]
) -> None:
    raise_with(click.Abort())
    assert main(["t-raise"]) == 1
    assert "Aborted" in capsys.readouterr().err


def test_click_usage_error_in_a_command_exits_2(
    add_command: Callable[[click.Command], click.Command], capsys: pytest.CaptureFixture[str]
) -> None:
    @click.command("t-needs")
    @click.argument("name")
    def needs(name: str) -> None:
        """Need an argument."""

    add_command(needs)
    assert main(["t-needs"]) == 2
    captured = capsys.readouterr()
    assert "Missing argument 'NAME'" in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("code", [0, 3])
def test_commands_set_exit_codes_with_ctx_exit(
    add_command: Callable[[click.Command], click.Command], code: int
) -> None:
    @click.command("t-exit")
    @click.pass_context
    def exit_with(ctx: click.Context) -> None:
        """Exit with a code."""
        ctx.exit(code)

    add_command(exit_with)
    assert main(["t-exit"]) == code


@pytest.mark.parametrize(("code", "expected"), [(None, 0), (4, 4), ("message", 1)])
def test_system_exit_in_a_command(
    raise_with: Callable[[BaseException], None],
    capsys: pytest.CaptureFixture[str],
    code: object,
    expected: int,
) -> None:
    raise_with(SystemExit(code))
    assert main(["t-raise"]) == expected
    assert capsys.readouterr().err == ("message\n" if code == "message" else "")


# -- the application state -------------------------------------------------------------------


@pytest.fixture
def states(add_command: Callable[[click.Command], click.Command]) -> list[AppState]:
    """Run ``t-state`` to append the invocation's state to this list."""
    seen: list[AppState] = []

    @click.command("t-state")
    @pass_state
    def record(state: AppState) -> None:
        """Record the state."""
        seen.append(state)

    add_command(record)
    return seen


@pytest.mark.parametrize(
    ("argv", "verbosity", "debug"),
    [
        (["t-state"], 0, False),
        (["-v", "t-state"], 1, False),
        (["t-state", "-vvv"], 3, False),
        (["-v", "t-state", "--verbose"], 2, False),
        (["--debug", "t-state"], 0, True),
        (["t-state", "--debug"], 0, True),
    ],
)
def test_common_options_fill_the_state(
    states: list[AppState], argv: list[str], verbosity: int, debug: bool
) -> None:
    assert main(argv) == 0
    [state] = states
    assert (state.verbosity, state.debug, state.profile) == (verbosity, debug, None)


def test_pkg_debug_sets_the_state(states: list[AppState], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PKG_DEBUG", "TRUE")
    assert main(["t-state"]) == 0
    assert states[0].debug
    assert states[0].show_traceback


def test_config_is_not_loaded_unless_asked(states: list[AppState]) -> None:
    assert main(["t-state"]) == 0
    assert states[0]._config is None


@pytest.mark.parametrize("where", ["root", "command"])
def test_profile_writes_statistics(states: list[AppState], tmp_path: Path, where: str) -> None:
    out = tmp_path / "out.prof"
    argv = ["--profile", str(out), "t-state"]
    if where == "command":
        argv = ["t-state", "--profile", str(out)]
    assert main(argv) == 0
    assert states[0].profile == str(out)
    stats = pstats.Stats(str(out))
    assert any(name == "record" for (_file, _line, name) in stats.stats)  # type: ignore[attr-defined]


def test_hidden_options_stay_hidden_in_command_help(
    states: list[AppState], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["t-state", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--verbose" in out
    assert "--debug" not in out
    assert "--profile" not in out
    assert states == []
