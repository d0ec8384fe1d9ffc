"""``pkg status``: what the current environment is, or what a name is, like
``rez-status``.

Without an argument it says which context (``$REZ_RXT_FILE``) the shell is in;
``OBJECT`` may be a tool of the current context, a package (the context's, else the
latest released one), or a context file.  ``-t`` lists the current context's tools.
The exit status is 1 when nothing was found.
"""

from __future__ import annotations

import sys

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["status_command"]


@click.command("status")
@click.argument("obj", metavar="[OBJECT]", required=False)
@click.option(
    "-t",
    "--tools",
    is_flag=True,
    help="List the tools of the current context; OBJECT may then be a glob pattern such as 'foo*'.",
)
@pass_state
def status_command(state: AppState, obj: str | None, tools: bool) -> None:
    """Report the current environment, or what OBJECT (a tool, package or context file)
    is."""
    from pkg.api import context_info as info
    from pkg.cli.context import echo_lines

    loaded = info.current_context(state.config)
    if tools:
        rows = info.status_tool_rows(loaded, obj)
        if not rows:
            click.echo("No matching tools.")
            sys.exit(1)
        echo_lines(rows)
        return
    if not obj:
        for line in info.status_lines(loaded):
            click.echo(line)
        return
    lines = info.object_lines(obj, loaded, state.config)
    if not lines:
        click.echo(f"pkg does not know what '{obj}' is")
        sys.exit(1)
    for line in lines:
        click.echo(line)
