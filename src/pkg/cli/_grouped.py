"""Rez-style ``--`` argument groups for the "grouped" commands (env, build, release, test, ...).

Each ``--`` on the command line of a grouped command starts a new group of arguments that
the command does not parse itself::

    pkg env foo bar -- python -c 'print(1)'     # group 1: the command to run
    pkg build -- -DFOO=1 -- -j4                 # group 1: build-system args, group 2: child's

Everything before the first ``--`` is parsed as usual; a ``--`` inside a later group just
starts the next group.  The groups land in ``ctx.meta`` (read them with :func:`arg_groups`)
or, if the command asks for it, in a parameter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["ARG_GROUPS_KEY", "GroupedCommand", "arg_groups", "split_arg_groups"]

#: Key of the groups in ``ctx.meta``.
ARG_GROUPS_KEY = "pkg.arg_groups"

_SEPARATOR = "--"


def split_arg_groups(args: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """Split ``args`` at every ``--`` into the command's own arguments and the extra groups.

    >>> split_arg_groups(["foo", "--", "echo", "hi", "--", "x"])
    (['foo'], [['echo', 'hi'], ['x']])
    >>> split_arg_groups(["foo"])
    (['foo'], [])
    >>> split_arg_groups(["foo", "--"])
    (['foo'], [[]])
    """
    groups: list[list[str]] = [[]]
    for arg in args:
        if arg == _SEPARATOR:
            groups.append([])
        else:
            groups[-1].append(arg)
    return groups[0], groups[1:]


def arg_groups(ctx: click.Context) -> tuple[tuple[str, ...], ...]:
    """The extra argument groups of ``ctx``'s command; empty if none were given."""
    groups: tuple[tuple[str, ...], ...] = ctx.meta.get(ARG_GROUPS_KEY, ())
    return groups


class GroupedCommand(click.Command):
    """A command whose arguments after ``--`` are split into groups instead of parsed.

    Args:
        max_groups: how many groups the command accepts; more is a usage error.  ``None``
            (the default) accepts any number, like rez, which ignores the groups it does
            not use.
        groups_param: if given, the groups are also passed to the callback as this
            keyword argument (a tuple of tuples of strings).
        **kwargs: passed to :class:`click.Command`.
    """

    def __init__(
        self,
        *args: Any,
        max_groups: int | None = None,
        groups_param: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_groups = max_groups
        self.groups_param = groups_param

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own, extra = split_arg_groups(args)
        if self.max_groups is not None and len(extra) > self.max_groups:
            if self.max_groups == 0:
                message = "this command takes no arguments after '--'"
            else:
                message = (
                    f"this command takes at most {self.max_groups} '--' argument group(s),"
                    f" got {len(extra)}"
                )
            raise click.UsageError(message, ctx=ctx)
        groups = tuple(tuple(group) for group in extra)
        ctx.meta[ARG_GROUPS_KEY] = groups
        rest = super().parse_args(ctx, own)
        if self.groups_param is not None:
            ctx.params[self.groups_param] = groups
        return rest
