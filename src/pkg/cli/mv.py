"""``pkg mv``: move a package to another repository, like ``rez-mv``."""

from __future__ import annotations

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["mv_command", "print_choices"]


def print_choices(state: AppState, package: str) -> None:
    """Print the ``packages_path`` repositories holding ``package`` for the user to choose
    from (Rez's "No action taken" listing), or fail if there is none."""
    from pkg.api.repository_ops import PackageNotFoundError, repositories_containing

    found = repositories_containing(state.config, package)
    if not found:
        raise PackageNotFoundError(package)
    click.echo("No action taken. Run again, and set PATH to one of:")
    for label in found:
        click.echo(label)


@click.command(name="mv")
@click.argument("pkg", metavar="PKG")
@click.argument("path", required=False)
@click.option(
    "-d", "--dest-path", metavar="PATH", required=True, help="Repository to move PKG into."
)
@click.option("-k", "--keep-timestamp", is_flag=True, help="Keep the source's timestamp.")
@click.option(
    "-f", "--force", is_flag=True, help="Move even a non-relocatable package (at your own risk)."
)
@pass_state
def mv_command(
    state: AppState, pkg: str, path: str | None, dest_path: str, keep_timestamp: bool, force: bool
) -> None:
    """Move the package PKG (e.g. foo-1.2.3) from the repository PATH to another one.

    The copy stays hidden until it is complete; the source is then hidden (not deleted).
    Without PATH, list the repositories holding PKG and do nothing.
    """
    if path is None:
        print_choices(state, pkg)
        return
    from pkg.api.repository_ops import move

    outcome = move(state.config, pkg, path, dest_path, keep_timestamp=keep_timestamp, force=force)
    if state.verbosity:
        click.echo(f"Package {outcome.source.uri} moved to {outcome.moved.uri}", err=True)
