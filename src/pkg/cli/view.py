"""``pkg view``: print the contents of a package, like ``rez-view``."""

from __future__ import annotations

import sys

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["view_command"]


@click.command("view")
@click.argument("pkg", metavar="PKG")
@click.option(
    "-f",
    "--format",
    "format_",
    type=click.Choice(["py", "yaml"]),
    default="yaml",
    show_default=True,
    help="Format to print the package in.",
)
@click.option("-a", "--all", "all_", is_flag=True, help="Show all attributes, incl. release ones.")
@click.option("-b", "--brief", is_flag=True, help="Print only the contents, not the URI.")
@click.option(
    "-c", "--current", is_flag=True, help="Show the package as resolved in the current context."
)
@pass_state
def view_command(
    state: AppState, pkg: str, format_: str, all_: bool, brief: bool, current: bool
) -> None:
    """View the contents of the latest package matching PKG (e.g. 'foo', 'foo-1.2')."""
    from pkg.api.view import find_package, package_items, plain, render_py
    from pkg.cli.config import render_yaml

    if current:
        import os

        if os.environ.get("REZ_RXT_FILE"):
            from pkg.errors import UsageError

            raise UsageError("--current needs resolved contexts, which pkg cannot read yet")
        click.echo("not in a resolved environment context.", err=True)
        sys.exit(1)
    package = find_package(pkg, state.config)
    if package is None:
        click.echo("no matches found")
        sys.exit(1)
    if not brief:
        click.echo("URI:")
        click.echo(package.uri)
        click.echo()
        click.echo("CONTENTS:")
    items = package_items(package, include_release=all_)
    if format_ == "py":
        click.echo(render_py(items))
        return
    click.echo("\n\n".join(render_yaml({key: plain(value)}) for key, value in items))
