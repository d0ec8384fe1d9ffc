"""Showing usage errors that the library API detects the way click shows its own."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import click

from pkg.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["api_usage_errors"]


@contextlib.contextmanager
def api_usage_errors() -> Iterator[None]:
    """Turn a :class:`pkg.errors.UsageError` raised inside into click's usage error, so it
    is printed with the command's usage line and exits with status 2."""
    try:
        yield
    except UsageError as error:
        raise click.UsageError(str(error), click.get_current_context()) from error
