"""``pkg help``: open a package's help, like ``rez-help``."""

from __future__ import annotations

import sys

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["help_command"]


@click.command("help")
@click.argument("pkg", metavar="PKG", required=False)
@click.argument("section", metavar="SECTION", type=int, default=1, required=False)
@click.option("-m", "--manual", is_flag=True, help="Open the manual (documentation_url).")
@click.option("-e", "--entries", is_flag=True, help="List the help entries of PKG.")
@pass_state
def help_command(
    state: AppState, pkg: str | None, section: int, manual: bool, entries: bool
) -> None:
    """Open the help of package PKG (section SECTION, default 1), or the manual."""
    from pkg.api.help import describe_open, find_help, open_uri

    config = state.config
    if manual or not pkg:
        if not config.quiet:
            click.echo(describe_open(config.documentation_url, config))
        open_uri(config.documentation_url, config)
        return
    found = find_help(pkg, config)
    if found.package is None:
        click.echo(f"Could not find a package with help for {pkg!r}.", err=True)
        sys.exit(1)
    click.echo("Help found for:")
    click.echo(found.package.uri)
    if found.package.description:
        click.echo()
        click.echo("Description:")
        click.echo(found.package.description.strip())
        click.echo()
    if entries:
        click.echo("Sections:")
        for i, (label, uri) in enumerate(found.sections, 1):
            click.echo(f"  {i}:\t{label} ({uri})")
        return
    if not 1 <= section <= len(found.sections):
        click.echo("No such help section.", err=True)
        sys.exit(2)
    uri = found.sections[section - 1][1]
    if not config.quiet:
        click.echo(describe_open(uri, config))
    open_uri(uri, config)
