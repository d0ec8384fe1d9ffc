"""The options every ``pkg`` command accepts: ``-v/--verbose``, ``--debug`` and ``--profile``.

Command modules do not declare them.  The root group calls :func:`install_common_options`
on each command it hands out, which appends the options to the command's parameters and
wraps its callback so that ``--profile`` can time it.  The options do not reach the
command's callback: they are recorded in the invocation's
:class:`~pkg.cli._state.AppState` instead, so ``pkg -v build`` and ``pkg build -v`` mean
the same thing (and ``pkg -v build -v`` counts two).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import click
from click import get_current_context

from pkg.cli._state import state_of

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["common_options", "install_common_options"]

_INSTALLED_MARK = "_pkg_common_options"


def _add_verbosity(ctx: click.Context, _param: click.Parameter, value: int) -> None:
    if value:
        state_of(ctx).verbosity += value


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        state_of(ctx).debug = True


def _set_profile(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        state_of(ctx).profile = value


def common_options() -> list[click.Option]:
    """Fresh instances of the common options (a parameter object belongs to one command)."""
    return [
        click.Option(
            ["-v", "--verbose"],
            count=True,
            metavar="",
            expose_value=False,
            callback=_add_verbosity,
            help="Verbose mode, repeat for more verbosity.",
        ),
        click.Option(
            ["--debug"],
            is_flag=True,
            expose_value=False,
            hidden=True,
            callback=_set_debug,
            help="Show full tracebacks for errors (also: PKG_DEBUG=1).",
        ),
        click.Option(
            ["--profile"],
            metavar="FILE",
            expose_value=False,
            hidden=True,
            callback=_set_profile,
            help="Write cProfile statistics of the command to FILE.",
        ),
    ]


def _profiled(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        state = state_of(get_current_context())
        if state.profile is None:
            return callback(*args, **kwargs)
        import cProfile

        profiler = cProfile.Profile()
        try:
            return profiler.runcall(callback, *args, **kwargs)
        finally:
            profiler.dump_stats(state.profile)

    return run


def install_common_options(command: click.Command) -> click.Command:
    """Give ``command`` the common options; return it.  Installing twice is harmless.

    An option is skipped if the command already uses one of its flags, so a command that
    gives ``-v`` another meaning keeps it.
    """
    if getattr(command, _INSTALLED_MARK, False):
        return command
    taken = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for option in common_options():
        if taken.isdisjoint(option.opts):
            command.params.append(option)
    if command.callback is not None:
        command.callback = _profiled(command.callback)
    setattr(command, _INSTALLED_MARK, True)
    return command
