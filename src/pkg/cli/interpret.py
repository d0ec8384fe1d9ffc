"""``pkg interpret``: run a file of rex code and print the resulting shell code (or the
variables it sets), like ``rez-interpret``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pkg.cli._options import repeat_list_options
from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["expand_multi_value", "interpret_command"]

#: The option that takes one or more values, as in rez (``--pv A B``).
_MULTI_OPTIONS = frozenset({"--pv", "--parent-variables"})


def expand_multi_value(args: Sequence[str]) -> list[str]:
    """Repeat ``--pv``/``--parent-variables`` before each of its values.

    Like rez, ``--pv A B`` takes every following argument up to the next option (so
    FILE goes before ``--pv`` or after another option):

    >>> expand_multi_value(["--pv", "A", "B", "-f", "dict", "f.py"])
    ['--pv', 'A', '--pv', 'B', '-f', 'dict', 'f.py']
    """
    return repeat_list_options(args, _MULTI_OPTIONS)


class _InterpretCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, expand_multi_value(args))


@click.command("interpret", cls=_InterpretCommand)
@click.argument("file", metavar="FILE")
@click.option(
    "-c", "--command", "is_code", is_flag=True, help="FILE is a string of rex code, not a file."
)
@click.option(
    "-f",
    "--format",
    "format_",
    metavar="FORMAT",
    help="Print in this format: a shell (bash, csh, fish, pwsh, sh, tcsh, zsh ...), or "
    "'dict' / 'table' for the variables set.  Default: the current shell (the "
    "default_shell setting, else $SHELL, else bash).",
)
@click.option("--no-env", is_flag=True, help="Run the code in an empty environment.")
@click.option(
    "--pv",
    "--parent-variables",
    "parent_vars",
    multiple=True,
    metavar="VAR...",
    help="Variables that appendenv/prependenv extend rather than replace on first use; "
    "'all' for every variable.",
)
@pass_state
def interpret_command(
    state: AppState,
    file: str,
    is_code: bool,
    format_: str | None,
    no_env: bool,
    parent_vars: tuple[str, ...],
) -> None:
    """Run the rex code in FILE and print the shell code it produces."""
    from pkg.api.interpret import interpret, render_interpretation
    from pkg.errors import UsageError

    if is_code:
        code, filename = file, None
    else:
        try:
            with open(file, encoding="utf-8") as stream:
                code = stream.read()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise UsageError(f"cannot read rex file {file}: {reason}") from None
        filename = file
    result = interpret(
        code,
        state.config,
        output_format=format_,
        filename=filename,
        parent_environ={} if no_env else None,
        parent_variables=parent_vars,
    )
    click.echo(render_interpretation(result))
