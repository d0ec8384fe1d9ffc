"""``pkg complete``: shell completion for ``pkg`` (Rez's ``rez-complete``).

Called by the completion scripts with the command line in ``COMP_LINE`` and the cursor
position in ``COMP_POINT``; prints the candidates, one a line.  ``--script SHELL`` prints
a shell's completion script, ``--install SHELL`` writes it where the shell loads it
from.  The flags of a subcommand are read from its click command, whose module is
imported only when that subcommand is being completed.  See ``docs/completion.md``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from pkg.api.complete import ArgKind, CommandSpec, OptionSpec

__all__ = ["complete_command", "completion_script"]

#: Parameter names (click's) that hold package requests.
_PACKAGE_PARAMS = frozenset({"pkg", "pkgs", "pkg1", "pkg2", "package", "prune_package"})
#: Parameter names (click's) that hold a shell name.
_SHELL_PARAMS = frozenset({"shell", "only_shell"})
#: Commands whose package arguments are family names only (as in Rez).
_FAMILY_COMMANDS = frozenset({"depends", "plugins"})
#: Commands whose ``PKG`` argument is not a repository package.
_NOT_PACKAGES = frozenset({"bind"})

#: Subcommands not offered (known without importing them; hidden in Rez too).
_HIDDEN_COMMANDS = frozenset({"forward"})

_SHELLS = ("bash", "zsh", "fish")


def completion_script(shell: str) -> str:
    """The completion script of ``shell`` (``bash``, ``zsh`` or ``fish``), shipped as
    package data in ``pkg/cli/completion/``."""
    from importlib.resources import files

    return (files("pkg.cli") / "completion" / f"pkg.{shell}").read_text(encoding="utf-8")


@click.command("complete")
@click.option(
    "--script",
    type=click.Choice(_SHELLS),
    metavar="SHELL",
    help="Print the completion script of SHELL (bash, zsh or fish), to source it: "
    'eval "$(pkg complete --script bash)".',
)
@click.option(
    "--install",
    type=click.Choice(_SHELLS),
    metavar="SHELL",
    help="Write the completion script of SHELL where that shell loads completions "
    "from, and print the file written.",
)
@pass_state
def complete_command(state: AppState, script: str | None, install: str | None) -> None:
    """Shell completion: print the candidates for $COMP_LINE, or the scripts.

    Prints the completions of the command line in $COMP_LINE (cursor at $COMP_POINT),
    one a line, as the completion scripts ask for them.
    """
    from pkg.errors import UsageError

    if script and install:
        raise UsageError("--script and --install cannot be used together")
    if script:
        click.echo(completion_script(script), nl=False)
        return
    if install:
        from pkg.api.complete import install_script

        path = install_script(install, completion_script(install))
        click.echo(f"Installed the {install} completion script: {path}")
        if install == "zsh":
            click.echo(f"Add 'fpath=({path.parent} $fpath)' before compinit in ~/.zshrc.")
        return
    for candidate in _complete(state):
        click.echo(candidate)


def _complete(state: AppState) -> list[str]:
    from pkg.api.complete import complete_words, package_completions, split_line
    from pkg.errors import PkgError

    line = os.environ.get("COMP_LINE", "")
    try:
        point: int | None = int(os.environ.get("COMP_POINT", ""))
    except ValueError:
        point = None
    words, prefix = split_line(line, point)

    def packages(text: str, family_only: bool) -> list[str]:
        try:
            return package_completions(text, state.config, family_only=family_only)
        except PkgError:  # a broken config or repository: offer nothing
            return []

    return complete_words(words[1:], prefix, _root_spec(), packages)


def _root_spec() -> CommandSpec:
    from pkg.api.complete import CommandSpec
    from pkg.cli import cli

    ctx = click.Context(cli, info_name="pkg")
    names = cli.list_commands(ctx)

    def load(name: str) -> CommandSpec | None:
        if name not in names:
            return None
        command = cli.get_command(ctx, name)
        return None if command is None else _spec(command, name)

    visible = tuple(n for n in names if n not in _HIDDEN_COMMANDS)
    return CommandSpec(_options(cli, "pkg"), (), visible, load)


def _spec(command: click.Command, name: str) -> CommandSpec:
    from pkg.api.complete import CommandSpec

    positionals: list[tuple[ArgKind, int]] = [
        (_kind(param, name), param.nargs)
        for param in command.params
        if isinstance(param, click.Argument)
    ]
    if isinstance(command, click.Group):
        group = command
        ctx = click.Context(group, info_name=name)

        def load(sub: str) -> CommandSpec | None:
            found = group.get_command(ctx, sub)
            return None if found is None else _spec(found, sub)

        subcommands = tuple(
            n
            for n in group.list_commands(ctx)
            if (c := group.get_command(ctx, n)) is not None and not c.hidden
        )
        return CommandSpec(_options(command, name), tuple(positionals), subcommands, load)
    return CommandSpec(_options(command, name), tuple(positionals))


def _kind(param: click.Parameter, command: str) -> ArgKind:
    metavar = (param.metavar or "").lstrip("[").upper()
    if command in _NOT_PACKAGES:
        return "text"
    if param.name in _PACKAGE_PARAMS or metavar.startswith("PKG"):
        return "family" if command in _FAMILY_COMMANDS else "package"
    return "text"


def _options(command: click.Command, name: str) -> dict[str, OptionSpec]:
    from pkg.api.complete import OptionSpec

    options: dict[str, OptionSpec] = {
        "-h": OptionSpec(),
        "--help": OptionSpec(),
    }
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        takes_value = not param.is_flag and not param.count
        choices: tuple[str, ...] = ()
        if isinstance(param.type, click.Choice):
            choices = tuple(str(c) for c in param.type.choices)
        elif param.name in _SHELL_PARAMS:
            from pkg.api.complete import shell_choices

            choices = shell_choices()
        spec = OptionSpec(takes_value, choices, _kind(param, name), param.hidden)
        for flag in (*param.opts, *param.secondary_opts):
            options[flag] = spec
    return options
