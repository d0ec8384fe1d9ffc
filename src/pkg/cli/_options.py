"""Option types shared by several commands."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence

__all__ = [
    "IntegersOption",
    "backend_option",
    "build_args_options",
    "events_option",
    "repeat_list_options",
]

#: The event loops the orchestrator runs on (anyio backends).
BACKENDS = ("asyncio", "trio")
#: How orchestrator progress is shown (pkg.cli._progress).
EVENT_MODES = ("auto", "live", "plain", "json")


def backend_option(what_runs: str) -> Callable[[Any], Any]:
    """``--backend {asyncio,trio}``: the event loop ``what_runs`` (e.g. "the builds run")
    on."""
    return click.option(
        "--backend",
        type=click.Choice(BACKENDS),
        default="asyncio",
        show_default=True,
        help=f"The event loop {what_runs} on.",
    )


def build_args_options() -> Callable[[Any], Any]:
    """``--ba/--build-args`` and ``--cba/--child-build-args``, as ``rez-build`` and
    ``rez-release`` have them."""
    build_args = click.option(
        "--ba",
        "--build-args",
        "build_args",
        metavar="ARGS",
        help="Extra arguments for the build system (or give them after '--').",
    )
    child_build_args = click.option(
        "--cba",
        "--child-build-args",
        "child_build_args",
        metavar="ARGS",
        help="Extra arguments for the child build system (or give them after a second '--').",
    )

    def apply(function: Any) -> Any:
        return build_args(child_build_args(function))

    return apply


def events_option() -> Callable[[Any], Any]:
    """``--events {auto,live,plain,json}``: how a task graph's progress is shown."""
    return click.option(
        "--events",
        type=click.Choice(EVENT_MODES),
        default="auto",
        show_default=True,
        help="How progress is shown; json writes one object per event on standard output.",
    )


_INTEGER = re.compile(r"-?\d+")


class IntegersOption(click.Option):
    """An option taking one or more integers in a row (``--variants 0 2 -1``), as argparse's
    ``nargs='+'``; the last occurrence wins.  Declare it with ``multiple=True``."""

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        super().add_to_parser(parser, ctx)
        for name in self.opts:
            option = parser._long_opt.get(name) or parser._short_opt.get(name)
            if option is not None:
                option.process = _take_integers(option)


def repeat_list_options(args: Sequence[str], options: Collection[str]) -> list[str]:
    """Repeat each of ``options`` before every value that follows it, up to the next
    option (``-a A B`` -> ``-a A -a B``), so that a click option with ``multiple=True``
    reads what rez's argparse ``nargs='+'`` option reads.  ``--opt=A`` stays one value.

    >>> repeat_list_options(["x", "-a", "A", "B", "-f", "C"], {"-a"})
    ['x', '-a', 'A', '-a', 'B', '-f', 'C']
    """
    out: list[str] = []
    current: str | None = None
    for arg in args:
        if arg in options:
            current = arg
            out.append(arg)
            continue
        if arg.startswith("-"):
            current = None
        elif current is not None and out[-1] != current:
            out.append(current)
        out.append(arg)
    return out


def _take_integers(option: Any) -> Callable[[Any, Any], None]:
    def process(value: Any, state: Any) -> None:
        values = [value]
        while state.rargs and _INTEGER.fullmatch(state.rargs[0]):
            values.append(state.rargs.pop(0))
        state.opts[option.dest] = values
        state.order.append(option.obj)

    return process
