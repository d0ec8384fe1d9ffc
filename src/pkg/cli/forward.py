"""``pkg forward``: the entry point of a suite's wrappers (Rez's ``_rez_fwd``).

``pkg forward WRAPPER ARG...`` runs the tool the wrapper file names in its suite's saved
context, with ``ARG...``; arguments starting with ``+`` are the wrapper's own options
(``+a``, ``+i``, ``+p``, ``++versions`` ...; ``+h`` lists them).  It reads the wrappers
Rez writes too.  See ``docs/suites.md``.
"""

from __future__ import annotations

import sys

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["forward_command"]


@click.command(
    "forward",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.argument("wrapper", metavar="YAML")
@click.argument("args", nargs=-1, type=click.UNPROCESSED, metavar="[ARG]...")
@pass_state
def forward_command(state: AppState, wrapper: str, args: tuple[str, ...]) -> None:
    """Run the suite tool of the wrapper file YAML with ARG... (used by the wrappers in
    a suite's bin directory)."""
    from pkg.api.suite import run_tool

    code = run_tool(
        wrapper,
        args,
        state.config,
        echo=click.echo,
        echo_err=lambda text: click.echo(text, err=True),
    )
    sys.exit(code)
