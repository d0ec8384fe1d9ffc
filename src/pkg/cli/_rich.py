"""rich-click, imported only when help or a usage error is shown.

pkg's commands are plain click commands: parsing and running a command does not need
rich-click, and importing it (with rich) costs about a sixth of ``pkg env``'s start-up.
Help and usage errors are still rendered by rich-click: :func:`richen` turns a command
into an instance of a subclass of its class and of ``rich_click.RichCommand`` (or
``RichGroup``) in place, and :func:`show_error` renders an error as rich-click would.

:func:`pkg.cli.main` richens the root group before parsing when the command line asks
for help (:func:`wants_help`), and the root group then richens each subcommand it hands
out; errors are rendered by :func:`show_error` after the fact.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["is_rich", "richen", "show_error", "wants_help"]

#: The options that show help.
HELP_OPTIONS = frozenset({"-h", "--help"})


def wants_help(args: Sequence[str]) -> bool:
    """Whether the command line ``args`` (without the program name) shows help: no
    arguments at all, or ``-h``/``--help`` before the first ``--``.

    A false positive only costs the import of rich-click.
    """
    if not args:
        return True
    for arg in args:
        if arg == "--":
            return False
        if arg in HELP_OPTIONS:
            return True
    return False


def is_rich(command: click.Command) -> bool:
    """Whether ``command`` renders its help with rich-click."""
    return any(cls.__module__.startswith("rich_click") for cls in type(command).__mro__)


#: (command class, rich-click base) -> the class made of both.
_RICH_CLASSES: dict[tuple[type[Any], type[Any]], type[Any]] = {}


def _rich_class(cls: type[click.Command], rich_base: type[click.Command]) -> type[Any]:
    if cls in (click.Command, click.Group):
        return rich_base
    made = _RICH_CLASSES.get((cls, rich_base))
    if made is None:
        namespace = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        made = _RICH_CLASSES[cls, rich_base] = type(cls.__name__, (cls, rich_base), namespace)
    return made


def richen(command: click.Command) -> click.Command:
    """Make ``command`` render its help and errors with rich-click, in place.

    Its class becomes a subclass of its own class and of ``rich_click.RichCommand`` (or
    ``RichGroup`` for a group), so its own behaviour (parsing, loading subcommands) comes
    first; the attributes rich-click's ``__init__`` would have set are given their
    defaults.  Contexts made for the command afterwards are rich-click contexts.
    """
    if is_rich(command):
        return command
    import rich_click

    group = isinstance(command, click.Group)
    base: type[click.Command] = rich_click.RichGroup if group else rich_click.RichCommand
    command.__class__ = _rich_class(type(command), base)
    defaults: dict[str, Any] = {"panel": None, "panels": [], "aliases": [], "_help_option": None}
    if group:
        defaults |= {"_alias_mapping": {}, "_panel_command_mapping": {}}
    for name, value in defaults.items():
        if not hasattr(command, name):
            setattr(command, name, value)
    return command


def show_error(error: click.ClickException) -> None:
    """Print ``error`` to standard error as rich-click does: the usage line of the command
    at fault, a hint to its help option and the message in a panel."""
    ctx: click.Context | None = getattr(error, "ctx", None)
    if isinstance(error, click.exceptions.NoArgsIsHelpError):
        print(error.message)  # the help itself, rendered when the error was made
        return
    command: Any = richen(ctx.command if ctx is not None else click.Command(None))
    formatter = command._error_formatter()
    formatter.write_error(error)
    print(formatter.getvalue(), file=sys.stderr, end="")
