"""The ``pkg`` command line: the root group, its subcommand table and the error policy.

The console script ``pkg`` calls :func:`main`.  Subcommands are loaded lazily from
:data:`pkg.cli._commands.COMMANDS`; every subcommand gets the common options
``-v/--verbose``, ``--debug`` and ``--profile FILE``.  How errors are shown and which exit
codes are used is described in ``docs/cli.md`` and implemented by :func:`main`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from pkg import __version__
from pkg.cli._commands import COMMANDS
from pkg.cli._common import common_options
from pkg.cli._grouped import GroupedCommand, arg_groups, split_arg_groups
from pkg.cli._lazy import LazyGroup
from pkg.cli._rich import richen, show_error, wants_help
from pkg.cli._state import AppState, pass_state, state_of
from pkg.errors import PkgError

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "AppState",
    "GroupedCommand",
    "RootGroup",
    "arg_groups",
    "cli",
    "main",
    "pass_state",
    "split_arg_groups",
    "state_of",
]

#: Exit code for an interrupted command (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130
#: Exit code for a bug in pkg (an exception that is not a ``PkgError``).
EXIT_INTERNAL_ERROR = 1


def version_line() -> str:
    """``pkg <version> from <package dir> (python <major>.<minor>)``, what ``--version`` prints."""
    import os.path

    import pkg

    where = os.path.dirname(pkg.__file__) if pkg.__file__ else "?"
    return f"pkg {__version__} from {where} (python {sys.version_info[0]}.{sys.version_info[1]})"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_line())
        ctx.exit()


def _print_info(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from pkg.cli._info import info_text

        click.echo(info_text(state_of(ctx)))
        ctx.exit()


def _root_params() -> list[click.Parameter]:
    return [
        click.Option(
            ["-i", "--info"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_print_info,
            help="Print information about pkg and its configuration, and exit.",
        ),
        click.Option(
            ["-V", "--version"],
            is_flag=True,
            expose_value=False,
            is_eager=True,
            callback=_print_version,
            help="Print the version and exit.",
        ),
        *common_options(),
    ]


@click.pass_context
def _root(ctx: click.Context) -> None:
    state_of(ctx)


class _Interrupted(BaseException):
    """Carries Ctrl-C past click, which would otherwise print "Aborted!" and exit 1."""


class _UsageFailure(BaseException):
    """Carries a click error past click's plain rendering, to :func:`main`'s rich one."""

    def __init__(self, error: click.ClickException) -> None:
        super().__init__(error)
        self.error = error


class RootGroup(LazyGroup):
    """The root group: a :class:`LazyGroup` that lets Ctrl-C and usage errors through to
    :func:`main`."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt as interrupt:
            raise _Interrupted from interrupt
        except click.ClickException as error:
            raise _UsageFailure(error) from error

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as interrupt:
            raise _Interrupted from interrupt
        except click.ClickException as error:
            raise _UsageFailure(error) from error


#: The root ``pkg`` group.
cli = RootGroup(
    "pkg",
    table=COMMANDS,
    callback=_root,
    params=_root_params(),
    help="pkg: package configuration, build and release (a drop-in successor to Rez).",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _report(header: str, error: BaseException, *, traceback: bool) -> None:
    if traceback:
        import traceback as tb

        tb.print_exception(error, file=sys.stderr)
    print(f"{header}{error}", file=sys.stderr)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``pkg`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit code.

    * a :class:`~pkg.errors.PkgError` prints ``pkg: error: <message>`` and returns its
      ``exit_code`` (with the traceback first under ``--debug``, ``PKG_DEBUG=1`` or ``-vv``);
    * a click usage error prints click's message (rendered by rich-click) and returns its
      exit code (2);
    * Ctrl-C returns 130 without a message;
    * any other exception is a bug: its traceback and ``pkg: internal error: ...`` are
      printed and 1 is returned.

    A command sets a non-zero exit code with ``ctx.exit(code)``.
    """
    state = AppState()
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_help(args):
        richen(cli)
    try:
        cli.main(args, prog_name="pkg", standalone_mode=True, obj=state)
    except SystemExit as exit_:
        return _exit_code(exit_.code)
    except _UsageFailure as failure:
        show_error(failure.error)
        return failure.error.exit_code
    except (_Interrupted, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    except PkgError as error:
        _report("pkg: error: ", error, traceback=state.show_traceback)
        return error.exit_code
    except Exception as error:
        _report(f"pkg: internal error: {type(error).__name__}: ", error, traceback=True)
        return EXIT_INTERNAL_ERROR
    return 0  # pragma: no cover - click's standalone mode always raises SystemExit
