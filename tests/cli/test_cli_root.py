"""The root group: help, version, unknown commands and lazy subcommand loading."""

from __future__ import annotations

import sys
import textwrap
from typing import TYPE_CHECKING

import pytest
import rich_click as click

from pkg import __version__
from pkg.cli import cli, main
from pkg.cli._commands import COMMANDS
from pkg.cli._common import install_common_options
from pkg.cli._lazy import LazyGroup, load_command

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from click.testing import CliRunner


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_root_options(runner: CliRunner, flag: str) -> None:
    result = runner.invoke(cli, [flag])
    assert result.exit_code == 0
    assert "Usage: pkg [OPTIONS] COMMAND [ARGS]..." in result.output
    for shown in ("--info", "-i", "--version", "-V", "--verbose", "-v", "--help"):
        assert shown in result.output
    assert "--debug" not in result.output
    assert "--profile" not in result.output


def test_help_lists_registered_commands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


def test_help_lists_an_added_command_with_its_short_help(
    runner: CliRunner, add_command: Callable[[click.Command], click.Command]
) -> None:
    @click.command("zz-demo")
    def demo() -> None:
        """Demonstrate listing.  More text that is not part of the short help."""

    add_command(demo)
    result = runner.invoke(cli, ["--help"])
    assert "zz-demo" in result.output
    assert "Demonstrate listing." in result.output


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(runner: CliRunner, flag: str) -> None:
    result = runner.invoke(cli, [flag])
    assert result.exit_code == 0
    major, minor = sys.version_info[:2]
    assert result.output.startswith(f"pkg {__version__} from ")
    assert result.output.endswith(f" (python {major}.{minor})\n")


def test_version_wins_over_a_subcommand(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["-V", "no-such-command"])
    assert result.exit_code == 0
    assert result.output.startswith("pkg ")


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No such command 'no-such-command'." in captured.err
    assert "Usage: pkg" in captured.err


def test_unknown_root_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-such-option"]) == 2
    assert "No such option '--no-such-option'" in capsys.readouterr().err


def test_no_arguments_shows_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "Usage: pkg" in capsys.readouterr().out


def test_help_and_version_exit_zero_through_main(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "Usage: pkg" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith(f"pkg {__version__}")


def test_registered_commands_load_with_common_options() -> None:
    for name in COMMANDS:
        command = cli.get_command(click.Context(cli), name)
        assert isinstance(command, click.Command), name
        assert {"debug", "profile"} <= {param.name for param in command.params}, name


# -- lazy loading ---------------------------------------------------------------------------


@pytest.fixture
def lazy_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A throw-away module ``pkg_test_lazy_cmd`` with a command ``hello`` and a non-command."""
    name = "pkg_test_lazy_cmd"
    (tmp_path / f"{name}.py").write_text(
        textwrap.dedent(
            '''
            import rich_click as click

            NOT_A_COMMAND = 42

            @click.command()
            @click.argument("who", default="world")
            def hello(who):
                """Say hello."""
                click.echo(f"hello {who}")
            '''
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


def _group(table: dict[str, str]) -> LazyGroup:
    return LazyGroup("root", table=table)


def test_listing_does_not_import(lazy_module: str) -> None:
    group = _group({"hello": f"{lazy_module}:hello", "b": f"{lazy_module}:hello"})
    assert group.list_commands(click.Context(group)) == ["b", "hello"]
    assert lazy_module not in sys.modules


def test_get_command_imports_only_then(lazy_module: str, runner: CliRunner) -> None:
    group = _group({"hello": f"{lazy_module}:hello"})
    command = group.get_command(click.Context(group), "hello")
    assert lazy_module in sys.modules
    assert command is not None
    assert {"verbose", "debug", "profile"} <= {param.name for param in command.params}
    assert group.get_command(click.Context(group), "hello") is command
    result = runner.invoke(group, ["hello", "-v", "you"])
    assert result.output == "hello you\n"


def test_unknown_name_is_none(lazy_module: str) -> None:
    group = _group({"hello": f"{lazy_module}:hello"})
    assert group.get_command(click.Context(group), "bye") is None


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("no_colon", "not of the form 'module:attribute'"),
        (":hello", "not of the form 'module:attribute'"),
        ("mod:", "not of the form 'module:attribute'"),
        ("{module}:NOT_A_COMMAND", "not a click command"),
    ],
)
def test_malformed_table_entries_are_bugs(lazy_module: str, target: str, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        load_command("x", target.format(module=lazy_module))


def test_common_options_are_installed_once_and_respect_own_flags() -> None:
    @click.command()
    @click.option("-v", "--version-of", "version_of")
    def own() -> None:
        """A command that uses -v for something else."""

    install_common_options(own)
    install_common_options(own)
    names = [param.name for param in own.params]
    assert names == ["version_of", "debug", "profile"]
