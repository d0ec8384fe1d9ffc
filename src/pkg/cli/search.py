"""``pkg search``: search package families, packages and variants, like ``rez-search``."""

from __future__ import annotations

import os
import sys

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["search_command"]


@click.command("search")
@click.argument("pkg", metavar="PKG", required=False)
@click.option(
    "-t",
    "--type",
    "type_",
    type=click.Choice(["package", "family", "variant", "auto"]),
    default="auto",
    show_default=True,
    help="Type of resource to search for; 'auto' lists families, or the packages of one "
    "family or of a request with a version range.",
)
@click.option("--nl", "--no-local", "no_local", is_flag=True, help="Don't search local packages.")
@click.option(
    "--validate", is_flag=True, help="Validate each definition found; exit 1 if any is invalid."
)
@click.option("--paths", help="Search path to use instead of packages_path (os.pathsep list).")
@click.option(
    "-f",
    "--format",
    "format_",
    help="Format each package with fields such as '{qualified_name}' or their abbreviations "
    "('{q}'); a literal \\n starts a new line.",
)
@click.option("--no-newlines", is_flag=True, help="Print newlines inside a field as '\\n'.")
@click.option("-l", "--latest", is_flag=True, help="When searching packages, show only the latest.")
@click.option("-e", "--errors", is_flag=True, help="Only print packages that contain errors.")
@click.option("--nw", "--no-warnings", "no_warnings", is_flag=True, help="Suppress warnings.")
@click.option(
    "--before",
    default="0",
    help="Only show packages released before this time: epoch seconds or relative, e.g. -1d.",
)
@click.option(
    "--after",
    default="0",
    help="Only show packages released after this time: epoch seconds or relative, e.g. -1d.",
)
@pass_state
def search_command(
    state: AppState,
    pkg: str | None,
    type_: str,
    no_local: bool,
    validate: bool,
    paths: str | None,
    format_: str | None,
    no_newlines: bool,
    latest: bool,
    errors: bool,
    no_warnings: bool,
    before: str,
    after: str,
) -> None:
    """Search for package families, packages or variants (PKG may be a glob, e.g. 'py*')."""
    from pkg.api._time import parse_epoch_time
    from pkg.api.search import format_result, search
    from pkg.errors import PkgError, UsageError

    before_time = parse_epoch_time(before)
    after_time = parse_epoch_time(after)
    if after_time and before_time and after_time >= before_time:
        raise UsageError("non-overlapping --before and --after")
    search_paths = [p for p in paths.split(os.pathsep) if p] if paths else None
    found = search(
        pkg,
        state.config,
        paths=search_paths,
        no_local=no_local,
        kind=None if type_ == "auto" else type_,  # type: ignore[arg-type]
        latest=latest,
        after=after_time,
        before=before_time,
        validate=validate or errors,
    )
    results = [r for r in found.results if r.error] if errors else found.results
    if not no_warnings and not (validate or errors):
        for error in found.load_errors:
            click.secho(f"warning: {error}", fg="yellow", err=True)
    if not results:
        what = f"erroneous {found.kind}" if errors else found.kind
        click.echo(f"No matching {what} found.", err=True)
        sys.exit(1)
    for result in results:
        if result.error is not None:
            click.secho(result.name, fg="red")
            click.secho(result.error, fg="red", bold=True)
            continue
        try:
            lines = format_result(result, format_)
        except PkgError as error:
            click.secho(result.name, fg="red")
            click.secho(str(error), fg="red", bold=True)
            continue
        for line in lines:
            click.echo(line.replace("\n", "\\n") if no_newlines else line)
    if validate and any(r.error for r in found.results):
        sys.exit(1)
