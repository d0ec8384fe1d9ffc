"""``pkg plugins``: list the packages that are plugins of a package, like ``rez-plugins``."""

from __future__ import annotations

import os

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["plugins_command"]


@click.command("plugins")
@click.argument("pkg", metavar="PKG")
@click.option("--paths", help="Search path to use instead of packages_path (os.pathsep list).")
@pass_state
def plugins_command(state: AppState, pkg: str, paths: str | None) -> None:
    """List the packages whose 'plugin_for' names package PKG (which must have 'has_plugins')."""
    from pkg.api.plugins import find_plugins

    search_paths = [os.path.expanduser(p) for p in paths.split(os.pathsep) if p] if paths else None
    found = find_plugins(pkg, state.config, paths=search_paths)
    if found:
        click.echo("\n".join(found))
    else:
        click.echo(f"package '{pkg}' has no plugins.", err=True)
