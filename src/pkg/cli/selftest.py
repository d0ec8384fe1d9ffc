"""``pkg selftest``: check this installation (Rez's ``rez-selftest`` runs Rez's tests).

See :mod:`pkg.api.selftest` for the checks.  The output reads like a test run: one line
per check, the details of the failures, then ``Ran N checks`` and ``OK`` or ``FAILED``;
the exit status is 1 when a check failed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
from click import get_current_context

from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from pkg.api.selftest import CheckResult

__all__ = ["selftest_command"]

#: rez-selftest's module flags that pkg has a check for (``--solver``...).
_GROUP_FLAGS = (
    "imports",
    "config",
    "packages",
    "package_repository",
    "solver",
    "context",
    "completion",
    "shells",
)

_RULE = "-" * 70


def _group_option(name: str) -> Any:
    return click.option(
        f"--{name}",
        "groups",
        flag_value=name,
        multiple=True,
        help=f"Run the {name} checks (several such flags add up).",
    )


def _group_options(function: Any) -> Any:
    for name in reversed(_GROUP_FLAGS):
        function = _group_option(name)(function)
    return function


@click.command("selftest")
@click.argument("tests", metavar="[NAMED_TEST]...", nargs=-1)
@click.option(
    "-s",
    "--only-shell",
    metavar="SHELL",
    help="Run the shell check of SHELL only (skipped when SHELL is not on PATH).",
)
@click.option("--keep-tmpdirs", is_flag=True, help="Keep the temporary directory.")
@_group_options
@pass_state
def selftest_command(
    state: AppState,
    tests: tuple[str, ...],
    only_shell: str | None,
    keep_tmpdirs: bool,
    groups: tuple[str, ...],
) -> None:
    """Check this installation: imports, config, a resolve and each shell on PATH.

    NAMED_TEST: checks to run by name (imports, config, repository, solver, context,
    completion, shell_<name>); all of them by default.
    """
    from pkg.api.selftest import run_selftest, select_checks

    checks = select_checks(tests, groups, only_shell)
    report = run_selftest(
        checks,
        overrides=state.config_overrides,
        keep_tmpdirs=keep_tmpdirs,
        report=_print_result,
    )
    for result in report.failures:
        click.echo("=" * 70)
        click.echo(f"FAIL: {result.name}")
        click.echo(_RULE)
        click.echo(result.detail.rstrip())
        click.echo()
    click.echo(_RULE)
    click.echo(f"Ran {len(report.results)} checks in {report.seconds:.3f}s")
    click.echo()
    skipped = sum(r.status == "skipped" for r in report.results)
    extra = f"skipped={skipped}" if skipped else ""
    if report.success:
        click.echo(f"OK ({extra})" if extra else "OK")
    else:
        counts = ", ".join(filter(None, [f"failures={len(report.failures)}", extra]))
        click.echo(f"FAILED ({counts})")
    if report.tmpdir is not None:
        click.echo(f"Temporary directory kept: {report.tmpdir}")
    if not report.success:
        get_current_context().exit(1)


def _print_result(result: CheckResult) -> None:
    note = ""
    if result.status == "ok" and result.detail:
        note = f" ({result.detail})"
    elif result.status == "skipped":
        note = f": {result.detail}"
    click.echo(f"{result.name} ... {result.status}{note}")
