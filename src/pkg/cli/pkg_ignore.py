"""``pkg pkg-ignore``: hide a package from resolves (or show it again), like
``rez-pkg-ignore``."""

from __future__ import annotations

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["pkg_ignore_command"]


@click.command(name="pkg-ignore")
@click.argument("pkg", metavar="PKG")
@click.argument("path", required=False)
@click.option("-u", "--unignore", is_flag=True, help="Make the package visible again.")
@click.option(
    "-a", "--allow-missing", is_flag=True, help="Ignore the package even if it does not exist."
)
@pass_state
def pkg_ignore_command(
    state: AppState, pkg: str, path: str | None, unignore: bool, allow_missing: bool
) -> None:
    """Hide the exact package PKG (e.g. foo-1.2.3) in the repository PATH from resolves.

    Without PATH, list the repositories to choose from and do nothing.
    """
    from pkg.api.repository_ops import ignore, list_repositories, parse_package_id
    from pkg.api.repository_ops import unignore as show

    parse_package_id(pkg)
    if path is None:
        if allow_missing:
            click.echo("No action taken. Run again, and set PATH to one of:")
            for label in list_repositories(state.config):
                click.echo(label)
        else:
            from pkg.cli.mv import print_choices

            print_choices(state, pkg)
        return
    if unignore:
        outcome = show(state.config, pkg, path)
        click.echo(
            "Package is now visible to resolves once more"
            if outcome.changed
            else "No action taken - package was already visible"
        )
    else:
        outcome = ignore(state.config, pkg, path, allow_missing=allow_missing)
        click.echo(
            "Package is now ignored and will not be visible to resolves"
            if outcome.changed
            else "No action taken - package was already ignored"
        )
