"""``pkg yaml2py``: print a ``package.yaml`` as ``package.py``, like ``rez-yaml2py``."""

from __future__ import annotations

import os
import sys

import click

__all__ = ["yaml2py_command"]


@click.command("yaml2py")
@click.argument("path", metavar="PATH", required=False)
def yaml2py_command(path: str | None) -> None:
    """Print the package.yaml in directory PATH (default: the current one) as package.py."""
    from pkg.api.view import yaml_to_py

    directory = os.path.expanduser(path) if path else os.getcwd()
    text = yaml_to_py(directory)
    if text is None:
        click.echo(f"Couldn't load the package at {directory!r}", err=True)
        sys.exit(1)
    click.echo(text)
