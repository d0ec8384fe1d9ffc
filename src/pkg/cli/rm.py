"""``pkg rm``: delete packages or package families from a repository, like ``rez-rm``."""

from __future__ import annotations

import click

from pkg.cli._state import AppState, pass_state
from pkg.cli._usage import api_usage_errors

__all__ = ["rm_command"]


@click.command(name="rm")
@click.argument("path", required=False)
@click.option(
    "-p",
    "--package",
    metavar="PKG",
    help="Delete this package (e.g. foo-1.2.3), even if it is ignored.",
)
@click.option(
    "-f",
    "--family",
    metavar="FAMILY",
    help="Delete this package family (e.g. python); it must hold no package.",
)
@click.option(
    "--force-family",
    is_flag=True,
    help="With -f: delete the family even if it holds packages.",
)
@click.option(
    "-i",
    "--ignored-since",
    type=int,
    metavar="DAYS",
    help="Delete every package ignored for DAYS days or more (in PATH, or packages_path).",
)
@click.option("--dry-run", is_flag=True, help="Show what --ignored-since would delete.")
@pass_state
def rm_command(
    state: AppState,
    path: str | None,
    package: str | None,
    family: str | None,
    force_family: bool,
    ignored_since: int | None,
    dry_run: bool,
) -> None:
    """Delete package(s) or a package family from the repository PATH."""
    chosen = [
        flag
        for flag, given in (
            ("-p/--package", package is not None),
            ("-f/--family", family is not None or force_family),
            ("-i/--ignored-since", ignored_since is not None),
        )
        if given
    ]
    if len(chosen) > 1:
        raise click.UsageError(f"argument {chosen[1]}: not allowed with argument {chosen[0]}")
    if package is not None:
        _remove_package(state, package, path, dry_run)
    elif family is not None or force_family:
        _remove_family(state, family, path, force=force_family, dry_run=dry_run)
    elif ignored_since is not None:
        _remove_ignored(state, ignored_since, path, dry_run)
    else:
        raise click.UsageError("Must specify either --package or --ignored-since")


def _remove_package(state: AppState, package: str, path: str | None, dry_run: bool) -> None:
    if dry_run:
        raise click.UsageError("--dry-run is not supported with --package")
    if not path:
        raise click.UsageError("Must specify PATH with --package")
    from pkg.api.repository_ops import remove_package

    remove_package(state.config, package, path)
    click.echo("Package removed.")


def _remove_family(
    state: AppState, family: str | None, path: str | None, *, force: bool, dry_run: bool
) -> None:
    if family is None:
        raise click.UsageError("--force-family needs the family: -f FAMILY --force-family")
    if dry_run:
        raise click.UsageError("--dry-run is not supported with --family")
    if not path:
        raise click.UsageError("Must specify PATH with --family")
    from pkg.api.repository_ops import remove_family

    with api_usage_errors():
        remove_family(state.config, family, path, force=force)
    click.echo("Package family removed.")


def _remove_ignored(state: AppState, days: int, path: str | None, dry_run: bool) -> None:
    from pkg.api.repository_ops import remove_ignored_since

    outcome = remove_ignored_since(
        state.config, days, paths=[path] if path else None, dry_run=dry_run
    )
    if state.verbosity:
        for label in outcome.searched:
            click.echo(f"Searching {label}...", err=True)
        for label, name in outcome.removed:
            verb = "Would remove" if dry_run else "Removed"
            click.echo(f"{verb} {name} from {label}", err=True)
    if not outcome.count:
        click.echo("No packages were removed.")
    elif dry_run:
        click.echo(f"{outcome.count} packages would be removed.")
    else:
        click.echo(f"{outcome.count} packages were removed.")
