"""``pkg python``: start a Python interpreter, or run a script, in which ``pkg`` is
importable, like ``rez-python``.

Every argument after ``python`` goes to the interpreter unchanged (as with rez, even
``-v`` and ``--``), so ``pkg python script.py -x`` and ``pkg python -c CODE`` work as
they would with ``python``.  Only ``-h``/``--help`` given first shows this command's help.
"""

from __future__ import annotations

import click

__all__ = ["python_command"]

_HELP = ("-h", "--help")


class _PythonCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in _HELP:
            return super().parse_args(ctx, args[:1])
        # after '--', click takes every argument as a value of ARGS, options included
        return super().parse_args(ctx, ["--", *args])


@click.command(
    "python",
    cls=_PythonCommand,
    context_settings={"help_option_names": list(_HELP)},
)
@click.argument("args", metavar="[FILE] [ARGS]...", nargs=-1, type=click.UNPROCESSED)
def python_command(args: tuple[str, ...]) -> None:
    """Run FILE (a Python script) with ARGS, or an interactive interpreter, with pkg
    importable.  All arguments are passed to Python unchanged."""
    from click import get_current_context

    from pkg.api.python import run_python
    from pkg.errors import PkgError

    try:
        code = run_python(args)
    except OSError as error:
        raise PkgError(f"cannot start Python ({error.strerror or error})") from None
    get_current_context().exit(code)
