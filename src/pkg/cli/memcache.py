"""``pkg memcache``: query and manage the memcached servers, like ``rez-memcache``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from pkg.api.memcache import MemcacheError, PollRow

__all__ = ["memcache_command"]


@click.command("memcache")
@click.option("--flush", is_flag=True, help="Flush all cache entries (of every user).")
@click.option("--stats", is_flag=True, help="List the statistics of each server.")
@click.option("--reset-stats", is_flag=True, help="Reset the statistics of each server.")
@click.option("--poll", is_flag=True, help="Continually poll, showing gets/sets per second.")
@click.option(
    "--interval",
    type=float,
    metavar="SECS",
    default=1.0,
    show_default=True,
    help="Interval (in seconds) used when polling.",
)
@click.option(
    "--warm",
    is_flag=True,
    help="Read every package of the non-local repositories into their metadata index.",
)
@pass_state
def memcache_command(
    state: AppState,
    flush: bool,
    stats: bool,
    reset_stats: bool,
    poll: bool,
    interval: float,
    warm: bool,
) -> None:
    """Manage and query the memcached server(s) of memcached_uri.

    Without options, prints a summary of each server: uptime, hits, misses and memory.
    """
    from pkg.api import memcache as api

    config = state.config
    if poll:
        _poll(api.poll(config, interval))
        return
    if flush:
        _check(api.failures(api.flush(config)))
        click.echo("memcached servers are flushed.")
        return
    if warm:

        def show(name: str) -> None:
            if state.verbosity:
                click.echo(f"warming: {name}")

        count = api.warm(config, on_package=show)
        click.echo(f"package index is warmed ({count} packages).")
        return
    if reset_stats:
        _check(api.failures(api.reset_stats(config)))
        click.echo("memcached servers are stat reset.")
        return
    results = api.server_stats(config)
    _check(api.failures(results), total=len(results))
    answered = [(r.server, r.value) for r in results if r.value is not None]
    if stats:
        from pkg.cli.config import render_yaml

        click.echo(render_yaml([[server, values] for server, values in answered]))
    else:
        summaries = [api.summarise(server, values) for server, values in answered]
        for line in api.columns(api.summary_rows(summaries)):
            click.echo(line)
    if len(answered) < len(results):
        sys.exit(1)


def _check(errors: Sequence[MemcacheError], *, total: int | None = None) -> None:
    """Raise if a server failed, or (given ``total``) if all ``total`` did; otherwise
    warn about each one that failed."""
    from pkg.api.memcache import MemcacheServersError

    if not errors:
        return
    if total is None or len(errors) == total:
        raise MemcacheServersError(errors)
    for error in errors:
        click.secho(f"warning: {error}", fg="yellow", err=True)


def _poll(rows_per_interval: Iterator[list[PollRow]]) -> None:
    header = ("SERVER", "CONNS", "GET/s", "SET/s", "TEST_GET", "TEST_SET")
    click.echo(f"{header[0]:<32} " + " ".join(f"{h:<12}" for h in header[1:]).rstrip())
    for rows in rows_per_interval:
        for row in rows:
            figures = (
                f"{row.connections:<12d}",
                f"{row.gets_per_second:<12g}",
                f"{row.sets_per_second:<12g}",
                f"{row.test_get:<12.6f}",
                f"{row.test_set:<12.6f}",
            )
            click.echo(f"{row.server:<32} " + " ".join(figures).rstrip())
