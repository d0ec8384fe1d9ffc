"""``pkg cp``: copy a package (or some of its variants) into a repository, like ``rez-cp``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pkg.cli._options import IntegersOption
from pkg.cli._state import AppState, pass_state
from pkg.cli._usage import api_usage_errors

if TYPE_CHECKING:
    from pkg.api.repository_ops import CopyOutcome

__all__ = ["cp_command"]


@click.command(name="cp")
@click.argument("pkg", required=False)
@click.option(
    "--dest-path",
    metavar="PATH",
    help="Repository to copy into (not a package directory).  Defaults to the source's "
    "own repository, which is only allowed with --rename or --reversion.",
)
@click.option(
    "--paths",
    metavar="PATHS",
    help="Search path to find PKG in, instead of packages_path (os.pathsep list; overrides --nl).",
)
@click.option("--nl", "--no-local", "no_local", is_flag=True, help="Don't search local packages.")
@click.option("--reversion", metavar="VERSION", help="Give the copy this version.")
@click.option("--rename", metavar="NAME", help="Give the copy this package name.")
@click.option(
    "-o", "--overwrite", is_flag=True, help="Replace variants that already exist at the target."
)
@click.option(
    "-s", "--shallow", is_flag=True, help="Symlink the payload's top entries instead of copying."
)
@click.option(
    "--follow-symlinks", is_flag=True, help="Copy what payload symlinks point to, not the links."
)
@click.option(
    "-k",
    "--keep-timestamp",
    is_flag=True,
    help="Keep the source's timestamp (no effect when adding variants to an existing package).",
)
@click.option(
    "-f", "--force", is_flag=True, help="Copy even a non-relocatable package (at your own risk)."
)
@click.option(
    "--allow-empty", is_flag=True, help="Allow copying into a repository with no packages yet."
)
@click.option("--dry-run", is_flag=True, help="Show what would be copied; change nothing.")
@click.option(
    "--variants",
    cls=IntegersOption,
    type=int,
    multiple=True,
    metavar="INDEX...",
    help="Copy only these variants (0-based; negative counts from the end, -1 is the last).",
)
@click.option(
    "--variant-uri", metavar="URI", help="Copy the variant with this URI (instead of PKG)."
)
@pass_state
def cp_command(
    state: AppState,
    pkg: str | None,
    dest_path: str | None,
    paths: str | None,
    no_local: bool,
    reversion: str | None,
    rename: str | None,
    overwrite: bool,
    shallow: bool,
    follow_symlinks: bool,
    keep_timestamp: bool,
    force: bool,
    allow_empty: bool,
    dry_run: bool,
    variants: tuple[int, ...],
    variant_uri: str | None,
) -> None:
    """Copy a package from one repository to another (or rename/re-version it in place).

    PKG is a request matching exactly one package, e.g. foo-1.2.3.
    """
    from pkg.api.repository_ops import copy

    with api_usage_errors():
        outcome = copy(
            state.config,
            pkg,
            variant_uri=variant_uri,
            dest_path=dest_path,
            paths=paths,
            no_local=no_local,
            rename=rename,
            reversion=reversion,
            variants=list(variants) or None,
            overwrite=overwrite,
            shallow=shallow,
            follow_symlinks=follow_symlinks,
            keep_timestamp=keep_timestamp,
            force=force,
            allow_empty=allow_empty,
            dry_run=dry_run,
        )
    if state.verbosity:
        _explain(outcome)
    _summarise(outcome)


def _explain(outcome: CopyOutcome) -> None:
    """The per-variant detail of ``-v``, on standard error."""
    for source, existing in outcome.skipped:
        click.echo(
            f"Skipping source variant {source.uri} - already exists in destination package "
            f"at {existing.uri}",
            err=True,
        )
    for source, target in outcome.copied:
        if target is None:
            click.echo(
                f"Would copy source variant {source.uri} into {outcome.destination}", err=True
            )
        else:
            click.echo(
                f"Copied source variant {source.uri} to target variant {target.uri}", err=True
            )


def _summarise(outcome: CopyOutcome) -> None:
    """What ``rez-cp`` prints on standard output."""
    source = outcome.source
    if source.num_variants == 0:
        if outcome.copied:
            target = outcome.copied[0][1]
            if target is None:
                click.echo(f"Would copy {source.uri} to {outcome.target_path}/?")
            else:
                click.echo(f"Copied {source.uri} to {target.package.uri}")
        elif outcome.skipped:
            existing_package = outcome.skipped[0][1].package
            click.echo(
                f"Target package already exists: {existing_package.uri}. "
                "Use 'overwrite' to replace it."
            )
        return
    verb = "would be" if outcome.dry_run else "were"
    if outcome.copied:
        click.echo(f"{len(outcome.copied)} variants {verb} copied:")
        for source_variant, target in outcome.copied:
            uri = f"{outcome.target_path}/?" if target is None else target.uri
            click.echo(f"  {source_variant.uri} -> {uri}")
    if outcome.skipped:
        click.echo(f"{len(outcome.skipped)} variants {verb} skipped (target exists):")
        for source_variant, existing in outcome.skipped:
            click.echo(f"  {source_variant.uri} !-> {existing.uri}")
