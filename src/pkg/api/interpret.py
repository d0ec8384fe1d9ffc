"""``pkg interpret``: run a file (or string) of rex code and show what it does, like
``rez-interpret``.

The code runs in a :class:`~pkg.rex.RexExecutor` over a parent environment (the current
one, or an empty one).  The recorded actions are then either rendered as a script for a
shell, or reduced to the variables the code set (``dict`` and ``table``): each with its
final value, ``$VAR`` references expanded from the parent environment where they are
set there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pprint import pformat
from typing import TYPE_CHECKING

from pkg.errors import PkgError, UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pkg.config import Config, SystemInfo
    from pkg.shells import Shell

__all__ = [
    "VARIABLE_FORMATS",
    "Interpretation",
    "format_names",
    "interpret",
    "render_interpretation",
]

#: Output formats listing variables rather than rendering shell code.
VARIABLE_FORMATS = ("dict", "table")

#: The ``--pv`` value that makes every variable a parent variable.
ALL_PARENT_VARIABLES = "all"


def format_names() -> tuple[str, ...]:
    """The accepted output formats: every known shell, then ``dict`` and ``table``."""
    from pkg.shells import shell_names

    return (*shell_names(), *VARIABLE_FORMATS)


@dataclass(frozen=True, slots=True)
class Interpretation:
    """The outcome of running rex code.

    Attributes:
        format: the shell name, or ``"dict"``/``"table"``.
        text: the script for a shell format; empty for the variable formats.
        variables: the variables the code left set, with their expanded values (only the
            ones it touched: inherited variables it did not change are not listed).
    """

    format: str
    text: str
    variables: Mapping[str, str]


def interpret(
    code: str,
    config: Config,
    *,
    output_format: str | None = None,
    filename: str | None = None,
    parent_environ: Mapping[str, str] | None = None,
    parent_variables: Sequence[str] = (),
) -> Interpretation:
    """Run rex ``code`` and render its actions in ``output_format``.

    Args:
        code: the rex source text.
        config: gives separators, pathed variables and rex error handling.  Its
            ``parent_variables`` and ``all_parent_variables`` settings are *not* used, as
            in Rez: only the ``parent_variables`` argument counts.
        output_format: a shell name (see :func:`format_names`), ``"dict"`` or ``"table"``;
            None for the current shell (``default_shell``, else ``$SHELL``'s shell when pkg
            knows it, else bash).
        filename: the file the code came from, for error messages.
        parent_environ: the environment the code runs over; the current process's when
            None (pass ``{}`` for an empty one).
        parent_variables: variables that ``appendenv``/``prependenv`` extend rather than
            replace on first use; ``["all"]`` means every variable.

    Raises:
        UsageError: ``output_format`` is unknown.
        pkg.rex.RexError: the code failed to compile, raised, or called ``stop()``; the
            message starts with ``rex file FILENAME:`` (or ``rex code:``).
        pkg.errors.ShellError: an action cannot be written in that shell, or (for a
            shell format) an invalid variable or alias name.
    """
    from pkg.context.execute import default_shell_name
    from pkg.rex import RexError, RexExecutor, RexStopError, RexUndefinedVariableError

    plain_errors = (RexError, RexStopError, RexUndefinedVariableError)

    if output_format is None:
        output_format = default_shell_name(config, os.environ)
    elif output_format not in format_names():
        raise UsageError(
            f"-f/--format: unknown format {output_format!r} "
            f"(choose from {', '.join(format_names())})"
        )
    environ = dict(os.environ) if parent_environ is None else dict(parent_environ)
    every = ALL_PARENT_VARIABLES in parent_variables
    config = config.with_overrides(
        {
            "parent_variables": [] if every else list(parent_variables),
            "all_parent_variables": every,
        },
        source="command line",
    )
    shell = None
    pathsep = os.pathsep
    if output_format not in VARIABLE_FORMATS:
        shell = _shell(output_format, config, environ)
        pathsep = shell.pathsep
    executor = RexExecutor(
        config, environ, pathsep=pathsep, bindings={"system": _system(config, environ)}
    )
    try:
        executor.execute(code, filename=filename)
    except RexError as error:
        where = f"rex file {filename}" if filename else "rex code"
        kind = type(error) if type(error) in plain_errors else RexError
        raise kind(f"{where}: {error}") from None
    text = "" if shell is None else shell.render(executor.actions)
    return Interpretation(output_format, text, dict(executor.environ))


def render_interpretation(result: Interpretation) -> str:
    """The text ``pkg interpret`` prints for ``result`` (with no final newline added).

    ``dict`` is the variables as a Python dict literal, sorted by name; ``table`` is
    one ``NAME  value`` line per variable, names padded to a column; a shell format is
    the script as rendered.
    """
    if result.format == "dict":
        return pformat(dict(sorted(result.variables.items())))
    if result.format == "table":
        items = sorted(result.variables.items())
        width = max((len(name) for name, _ in items), default=0)
        return "\n".join(f"{name.ljust(width)}  {value}" for name, value in items)
    return result.text


def _shell(name: str, config: Config, environ: Mapping[str, str]) -> Shell:
    """The renderer for ``name``, its ``#!`` line naming the program found on ``PATH``
    (``/usr/bin/env NAME`` when it is not installed)."""
    from pkg.shells import get_shell
    from pkg.shells.spawn import shell_program

    cls = get_shell(name)
    shell = cls.from_config(config)
    try:
        program: str | None = shell_program(shell, environ)
    except PkgError:
        program = None
    return cls(
        separators=config.env_var_separators,
        pathed_env_vars=config.pathed_env_vars,
        executable=program,
    )


def _system(config: Config, environ: Mapping[str, str]) -> SystemInfo:
    """The ``system`` object rex code sees (``system.platform``, ``system.arch`` ...)."""
    from pathlib import Path

    from pkg.config import SystemInfo

    return SystemInfo(environ, Path.home(), config.platform_map)
