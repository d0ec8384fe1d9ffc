"""``pkg test PKG [TEST...]``: run the tests a package declares, like ``rez-test``.

Without TEST, the tests tagged ``default`` run; TEST patterns (globs) pick tests whatever
their tags.  The tests of all variants run at the same time (``-j N``); each job's output
is printed whole, in run order, and a summary table ends the run.  Arguments after
``--`` are appended to the command of the (single) test named.  See ``docs/testing.md``.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click
from click import get_current_context

from pkg.cli._grouped import GroupedCommand, arg_groups
from pkg.cli._options import backend_option, repeat_list_options
from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from pkg.api.test import TestJob, TestReport

__all__ = ["expand_extra_packages", "test_command"]

_MULTI = "--extra-packages"


def expand_extra_packages(args: list[str]) -> list[str]:
    """Repeat ``--extra-packages`` before each of its values: as in rez, it takes every
    following argument up to the next option.

    >>> expand_extra_packages(["foo", "--extra-packages", "a", "b", "-s"])
    ['foo', '--extra-packages', 'a', '--extra-packages', 'b', '-s']
    """
    return repeat_list_options(args, {_MULTI})


class _TestCommand(GroupedCommand):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        split = args.index("--") if "--" in args else len(args)
        return super().parse_args(ctx, expand_extra_packages(args[:split]) + args[split:])


@click.command("test", cls=_TestCommand, max_groups=1)
@click.argument("package", metavar="PKG")
@click.argument("tests", metavar="[TEST]...", nargs=-1)
@click.option("-l", "--list", "list_", is_flag=True, help="List the package's tests and exit.")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show which tests would run on which variants, without running them.",
)
@click.option("-s", "--stop-on-fail", is_flag=True, help="Stop at the first test failure.")
@click.option(
    "--inplace",
    is_flag=True,
    help="Run the tests in the current environment, without resolving; a test whose "
    "requirements it does not meet fails.",
)
@click.option(
    "--extra-packages",
    "extra_packages",
    multiple=True,
    metavar="PKG...",
    help="Extra packages to add to every test environment.",
)
@click.option(
    "--paths",
    metavar="PATHS",
    help="Package search path (os.pathsep list) instead of packages_path.",
)
@click.option("--nl", "--no-local", "no_local", is_flag=True, help="Don't load local packages.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Tests to run at once (default: build_thread_count; 1 with --stop-on-fail).",
)
@backend_option("the tests run")
@pass_state
def test_command(
    state: AppState,
    /,
    package: str,
    tests: tuple[str, ...],
    list_: bool,
    dry_run: bool,
    stop_on_fail: bool,
    inplace: bool,
    extra_packages: tuple[str, ...],
    paths: str | None,
    no_local: bool,
    jobs: int | None,
    backend: str,
) -> None:
    """Run the tests listed in a package's definition (its 'tests' attribute).

    Without TEST, the tests tagged 'default' run; TEST globs pick any test.  Arguments
    after '--' are appended to the command of the single TEST named.  The exit status is
    that of the first failed test (255 when its environment could not be resolved), or 0.
    """
    from pkg.api.test import prepare_tests, run_package_tests
    from pkg.cli._usage import api_usage_errors

    ctx = get_current_context()
    config = state.config
    groups = arg_groups(ctx)
    extra_args = list(groups[0]) if groups else []
    search = None
    if paths is not None:
        search = [os.path.expanduser(p) for p in paths.split(os.pathsep) if p]
    with api_usage_errors():
        setup = prepare_tests(
            package,
            config,
            tests=tests,
            paths=search,
            no_local=no_local,
            extra_packages=extra_packages,
            extra_args=extra_args,
            dry_run=dry_run,
            inplace=inplace,
        )
    uri = setup.package.uri
    if not setup.names:
        click.echo(f"No tests found in {uri}", err=True)
        return
    if list_:
        if sys.stdout.isatty():
            click.echo(f"Tests defined in {uri}:")
        click.echo("\n".join(setup.names))
        return
    if not setup.selected:
        click.echo(f"No tests with 'default' run_on tag found in {uri}", err=True)
        return
    report = run_package_tests(
        package,
        config,
        setup=setup,
        jobs=1 if stop_on_fail and jobs is None else jobs,
        stop_on_fail=stop_on_fail,
        backend=backend,  # type: ignore[arg-type]
        on_output=_print_job,
    )
    click.echo("\n")
    for line in summary_lines(report):
        click.echo(line)
    click.echo("")
    if report.result.interrupted:
        click.echo("The tests were interrupted.", err=True)
    ctx.exit(report.exit_code)


def _print_job(job: TestJob, lines: list[str]) -> None:
    if not lines:
        return
    click.echo("")
    for line in lines:
        click.echo(line)
    sys.stdout.flush()


def summary_lines(report: TestReport) -> list[str]:
    """Rez's summary: a heading, the counts, then one row per (test, variant)."""
    counts = report.counts()
    rows = [
        ("Test", "Status", "Variant", "Description"),
        ("----", "------", "-------", "-----------"),
    ]
    for result in report.results():
        variant = "" if result.variant is None else (result.variant.root or result.variant.uri)
        rows.append((result.test, result.status, variant, result.description))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    table = [
        "".join(cell.ljust(width + 2) for cell, width in zip(row[:3], widths, strict=True)) + row[3]
        for row in rows
    ]
    return [
        "Test results:",
        "-" * 80,
        f"{counts['success']} succeeded, {counts['failed']} failed, {counts['skipped']} skipped",
        "",
        *table,
    ]
