"""``pkg benchmark``: time the resolves of a benchmark set, like ``rez-benchmark``.

See :mod:`pkg.api.benchmark` for the data format and the results directory.
"""

from __future__ import annotations

import json

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["benchmark_command"]


@click.command("benchmark")
@click.option(
    "--out",
    metavar="RESULTS_DIR",
    default="out",
    show_default=True,
    help="The results directory (must not exist yet; read by --histogram and --compare).",
)
@click.option(
    "--iterations",
    type=int,
    default=1,
    metavar="N",
    show_default=True,
    help="Resolve every request N times and keep the mean time.",
)
@click.option(
    "--histogram",
    is_flag=True,
    help="Print an ASCII histogram of the resolve times in --out, and exit.",
)
@click.option(
    "--compare",
    metavar="RESULTS_DIR",
    help="Compare RESULTS_DIR with --out: fail if a request resolved differently, else "
    "print the change of each statistic (negative: RESULTS_DIR was faster).",
)
@click.option(
    "--packages",
    metavar="PATH",
    help="The repository: a directory, or a tarball holding packages/ (extracted into "
    "--out).  Default: Rez's benchmark set, when Rez is installed.",
)
@click.option(
    "--requests",
    metavar="FILE",
    help="A JSON list of requests, each a list of request strings.  Default: Rez's "
    "benchmark set, when Rez is installed.",
)
@pass_state
def benchmark_command(
    state: AppState,
    out: str,
    iterations: int,
    histogram: bool,
    compare: str | None,
    packages: str | None,
    requests: str | None,
) -> None:
    """Resolve a benchmark set of requests and print timing statistics."""
    from pkg.api import benchmark as api
    from pkg.errors import UsageError

    if histogram:
        for line in api.histogram(out):
            click.echo(line)
        return
    if compare:
        click.echo(json.dumps(api.compare(out, compare), indent=2))
        return
    if packages is None or requests is None:
        default = api.default_benchmark_data()
        if default is None:
            raise UsageError(
                "no benchmark set: give --packages and --requests (Rez's set is the "
                "default only when Rez is installed)"
            )
        packages = packages or str(default[0])
        requests = requests or str(default[1])
    stats = api.run_benchmark(
        packages,
        api.load_requests(requests),
        out,
        state.config,
        iterations=iterations,
        write=_write,
    )
    click.echo("\n\nRESULT:")
    click.echo(json.dumps(stats, indent=2))


def _write(text: str) -> None:
    click.echo(text, nl=False)
