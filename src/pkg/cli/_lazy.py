"""The root group's subcommand loading: import a command's module only when it is needed.

Subcommands are listed in :data:`pkg.cli._commands.COMMANDS` as ``"module:attribute"``.
Running ``pkg build`` imports only the build command's module.  ``pkg --help`` imports
every command module to show its short help, so command modules must stay light at import
time: they import click and the standard library at the top, everything else inside
the command function.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import click

from pkg.cli._common import install_common_options
from pkg.cli._rich import is_rich, richen

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["LazyGroup", "load_command"]


def load_command(name: str, target: str) -> click.Command:
    """Import the command ``target`` (``"module:attribute"``) registered as ``name``.

    Raises:
        TypeError: the table entry is malformed or does not name a click command (a bug).
    """
    module_name, sep, attribute = target.partition(":")
    if not sep or not module_name or not attribute:
        raise TypeError(f"command {name!r}: {target!r} is not of the form 'module:attribute'")
    command = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"command {name!r}: {target} is {command!r}, not a click command")
    return command


class LazyGroup(click.Group):
    """A group whose subcommands come from a name -> ``"module:attribute"`` table.

    Commands added with :meth:`add_command` take precedence over the table.  Every command
    handed out gets the common options (see :mod:`pkg.cli._common`), and renders its help
    with rich-click when the group does (see :mod:`pkg.cli._rich`).

    Args:
        table: the name -> ``"module:attribute"`` mapping; read on each lookup, so it may
            be filled after the group is created.
        **kwargs: passed to :class:`click.Group`.
    """

    def __init__(self, *args: Any, table: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        self._loaded: dict[str, click.Command] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.table) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name) or self._loaded.get(cmd_name)
        if command is None:
            target = self.table.get(cmd_name)
            if target is None:
                return None
            command = self._loaded[cmd_name] = load_command(cmd_name, target)
        if is_rich(self):
            richen(command)
        return install_common_options(command)
