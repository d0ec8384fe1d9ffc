"""``pkg pkg-cache``: list, fill and clean the package cache, like ``rez-pkg-cache``.

Without an action it lists the cache's variants (status, package, variant uri, cache
path; ``-c`` picks the columns).  ``-a URI...`` copies variants into the cache now,
``-r URI...`` takes them out, ``--clean`` deletes unused and stalled copies, ``--logs``
prints the copier's logs.  ``--daemon`` (hidden) is the background copier ``pkg env``
starts.  See ``docs/caching.md``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from pkg.cli._options import repeat_list_options
from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import Config

__all__ = ["expand_lists", "pkg_cache_command"]

#: Options that take one or more values, as in rez (``-a URI URI``).
_LIST_OPTIONS = frozenset({"-a", "--add-variants", "-r", "--remove-variants", "-c", "--columns"})
_COLUMNS = ("status", "package", "variant_uri", "orig_path", "cache_path")
_DEFAULT_COLUMNS = ("status", "package", "variant_uri", "cache_path")


def expand_lists(args: list[str]) -> list[str]:
    """Repeat a list option before each of its values (``-a A B`` -> ``-a A -a B``).

    >>> expand_lists(["-a", "x[0]", "y[]", "--force", "DIR"])
    ['-a', 'x[0]', '-a', 'y[]', '--force', 'DIR']
    """
    return repeat_list_options(args, _LIST_OPTIONS)


class _PkgCacheCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, expand_lists(args))


@click.command("pkg-cache", cls=_PkgCacheCommand)
@click.argument("directory", metavar="[DIR]", required=False)
@click.option(
    "-a", "--add-variants", multiple=True, metavar="URI...", help="Add variants to the cache."
)
@click.option("--logs", is_flag=True, help="View the logs of the cache's copier.")
@click.option(
    "-r",
    "--remove-variants",
    multiple=True,
    metavar="URI...",
    help="Remove variants from the cache.",
)
@click.option(
    "--clean",
    is_flag=True,
    help="Remove unused variants (package_cache_max_variant_days) and stalled copies, "
    "and delete what was removed.",
)
@click.option("--daemon", is_flag=True, hidden=True)
@click.option(
    "--pkg-cache-mode",
    type=click.Choice(["sync", "async"]),
    help="With -a: 'sync' waits for a copy of the same variant running elsewhere; "
    "default: the package_cache_async setting.",
)
@click.option(
    "-c",
    "--columns",
    multiple=True,
    type=click.Choice(_COLUMNS),
    metavar="COLUMN...",
    help=f"Columns to print, from: {', '.join(_COLUMNS)}  [default: {' '.join(_DEFAULT_COLUMNS)}]",
)
@click.option(
    "-f",
    "--force",
    is_flag=True,
    help="With -a: cache the variant even if it is not cachable (at your own risk).",
)
@pass_state
def pkg_cache_command(
    state: AppState,
    directory: str | None,
    add_variants: tuple[str, ...],
    logs: bool,
    remove_variants: tuple[str, ...],
    clean: bool,
    daemon: bool,
    pkg_cache_mode: str | None,
    columns: tuple[str, ...],
    force: bool,
) -> None:
    """Manipulate a package cache (DIR, default: the cache_packages_path setting)."""
    from pkg.api import pkg_cache as api
    from pkg.api.pkg_cache import open_cache
    from pkg.errors import UsageError

    actions = [
        name
        for name, given in (
            ("-a/--add-variants", add_variants),
            ("--logs", logs),
            ("-r/--remove-variants", remove_variants),
            ("--clean", clean),
            ("--daemon", daemon),
        )
        if given
    ]
    if len(actions) > 1:
        raise UsageError(f"{actions[0]} is not allowed with {actions[1]}")
    config = state.config
    if not directory and not config.cache_packages_path:
        raise UsageError("DIR must be specified, as there is no configured 'cache_packages_path'")
    cache = open_cache(config, directory)
    if daemon:
        api.run_daemon(cache, config)
    elif add_variants:
        sync = None if pkg_cache_mode is None else pkg_cache_mode == "sync"
        for uri in add_variants:
            _add(cache.path, uri, config, force=force, sync=sync)
    elif remove_variants:
        for uri in remove_variants:
            _remove(cache.path, uri, config)
    elif clean:
        api.clean_cache(cache, config)
    elif logs:
        for line in api.log_lines(cache):
            click.echo(line)
    else:
        _list(cache.path, config, columns or _DEFAULT_COLUMNS)


def _add(path: str, uri: str, config: Config, *, force: bool, sync: bool | None) -> None:
    from pkg.api.pkg_cache import VariantStatus, add_variant_uri, open_cache

    click.echo(f"Adding variant {uri!r} to package cache at {path}:", err=True)
    status, root = add_variant_uri(open_cache(config, path), uri, config, force=force, sync=sync)
    if status is VariantStatus.FOUND:
        click.echo(f"Already exists: {root}", err=True)
    elif status is VariantStatus.COPYING:
        click.secho(f"Another process is currently copying to: {root}", fg="yellow", err=True)
    elif status is VariantStatus.COPY_STALLED:
        click.secho(f"A copy to {root} has stalled (see --clean)", fg="yellow", err=True)
    elif status is VariantStatus.SKIPPED:
        click.secho(
            "Cache no longer accepting new variant due to size limit (package_cache_space_buffer).",
            fg="yellow",
            err=True,
        )
    else:
        click.echo(f"Successfully cached to: {root}", err=True)


def _remove(path: str, uri: str, config: Config) -> None:
    from pkg.api.pkg_cache import VariantStatus, open_cache, remove_variant_uri

    click.echo(f"Removing variant {uri!r} from package cache at {path}:", err=True)
    status = remove_variant_uri(open_cache(config, path), uri, config)
    if status is VariantStatus.NOT_FOUND:
        click.secho("No such variant found in cache", fg="red", err=True)
    elif status is VariantStatus.COPYING:
        click.secho("Another process is currently caching this variant", fg="yellow", err=True)
    else:
        click.echo("Variant successfully removed", err=True)


def _list(path: str, config: Config, columns: Sequence[str]) -> None:
    from pkg.api.pkg_cache import list_variants, open_cache

    rows = list_variants(open_cache(config, path), config)
    if not rows:
        click.echo("No cached packages.", err=True)
        return
    table = [[row.column(c) for c in columns] for row in rows]
    tty = sys.stdout.isatty()
    if tty:
        click.echo(f"Package cache at {path}:\n")
        table[:0] = [[c.replace("_", " ") for c in columns], ["-" * len(c) for c in columns]]
    widths = [max(len(r[i]) for r in table) for i in range(len(columns))]
    for cells in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True)).rstrip())
