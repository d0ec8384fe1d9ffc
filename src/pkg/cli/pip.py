"""``pkg pip``: install a Python distribution and its dependencies as packages, like
``rez-pip``, converting the distributions concurrently.

``pkg pip -i PACKAGE`` runs ``pip install --target`` once, then turns each installed
distribution into a package in ``local_packages_path`` (``-r``: ``release_packages_path``;
``-p PATH``: that repository).  Everything after ``-e``/``--extra`` goes to ``pip install``
(``-e --no-index --find-links DIR``).  See ``docs/pip.md``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click
from click import get_current_context

from pkg.cli._options import backend_option
from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from pkg.api.pip import PipReport

__all__ = ["pip_command", "split_extra"]

_EXTRA_FLAGS = ("-e", "--extra")


def split_extra(args: list[str]) -> tuple[list[str], list[str] | None]:
    """Split the command line at the first ``-e``/``--extra``: everything after it is for
    pip (as rez-pip's ``-e`` takes the rest of the line).

    >>> split_extra(["-i", "foo", "-e", "--no-index", "-e", "x"])
    (['-i', 'foo'], ['--no-index', '-e', 'x'])
    >>> split_extra(["-i", "foo"])
    (['-i', 'foo'], None)
    """
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg in _EXTRA_FLAGS:
            return args[:index], args[index + 1 :]
        if arg.startswith("--extra="):
            return args[:index], [arg.split("=", 1)[1], *args[index + 1 :]]
    return args, None


class _PipCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        own, extra = split_extra(list(args))
        ctx.meta["pkg.pip.extra"] = extra
        return super().parse_args(ctx, own)


@click.command("pip", cls=_PipCommand)
@click.argument("package", metavar="PACKAGE")
@click.option(
    "--python-version",
    metavar="VERSION",
    help="The python package to use (default: the latest); the packages made require "
    "python-MAJOR.MINOR.",
)
@click.option("-i", "--install", is_flag=True, help="Install the package (required).")
@click.option(
    "-r", "--release", is_flag=True, help="Install into release_packages_path (default: local)."
)
@click.option("-p", "--prefix", metavar="PATH", help="Install into this package repository.")
@click.option(
    "-e",
    "--extra",
    "extra_placeholder",
    metavar="ARGS...",
    help="Pass every argument after this one to 'pip install' (replaces pip_extra_args).",
)
@click.option("--no-deps", is_flag=True, help="Install the package only, not its dependencies.")
@click.option(
    "--min-deps",
    is_flag=True,
    help="Install the dependencies pip needs, skipping those already installed (the default).",
)
@click.option(
    "--dry-run", is_flag=True, help="Run pip and convert, but install nothing; list what would be."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Conversions to run at once (default: 4 per CPU, at most 16).",
)
@backend_option("the conversions run")
@pass_state
def pip_command(
    state: AppState,
    /,
    package: str,
    python_version: str | None,
    install: bool,
    release: bool,
    prefix: str | None,
    extra_placeholder: str | None,
    no_deps: bool,
    min_deps: bool,
    dry_run: bool,
    jobs: int | None,
    backend: str,
) -> None:
    """Install a pip-compatible Python package, and its dependencies, as packages.

    PACKAGE is what 'pip install' takes: a name, a requirement ('foo>=1', 'foo[extra]'),
    a wheel or archive path, or a URL.
    """
    from pkg.errors import UsageError

    ctx = get_current_context()
    extra: list[str] | None = ctx.meta.get("pkg.pip.extra")
    if not install and not dry_run:
        raise click.UsageError("expected one of: --install (or --dry-run)", ctx)
    if no_deps and min_deps:
        raise UsageError("--no-deps and --min-deps exclude each other")
    if release and prefix:
        raise UsageError("-r/--release and -p/--prefix exclude each other")
    report = _run(
        state,
        package,
        python_version=python_version,
        release=release,
        prefix=prefix,
        extra_args=extra,
        no_deps=no_deps,
        dry_run=dry_run,
        jobs=jobs,
        backend=backend,
    )
    _summarise(report)
    if not report.ok:
        ctx.exit(1)


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def _run(state: AppState, package: str, **options: Any) -> PipReport:
    from rich.console import Console

    from pkg.api.pip import PipInstallError, pip_install
    from pkg.cli._progress import make_display
    from pkg.cli._usage import api_usage_errors

    config = state.config
    try:
        with api_usage_errors():
            if not state.verbosity:
                return pip_install(package, config, warn=_warn, **options)
            console = Console(stderr=True)
            with make_display(console, mode="plain", verbose=state.verbosity) as display:
                return pip_install(package, config, warn=_warn, on_event=display, **options)
    except PipInstallError as error:
        if error.tail and not state.verbosity:
            click.echo("pip's output ended with:", err=True)
            for line in error.tail:
                click.echo(f"  {line}", err=True)
        raise


def _summarise(report: PipReport) -> None:
    for result in report.results:
        package = result.package
        if result.skipped:
            click.echo(f"Skipped {package.qualified_name} (already installed in {result.root})")
        elif report.dry_run:
            variant = ", ".join(package.variant_requires)
            click.echo(
                f"Would install {package.qualified_name} [{variant}] into {report.install_root}"
            )
        else:
            click.echo(f"Installed {package.qualified_name} into {result.root}")
        for warning in result.warnings:
            click.echo(f"warning: {package.qualified_name}: {warning}", err=True)
    for name, reason in report.failures:
        click.echo(f"pkg: error: {name}: {reason}", err=True)
    installed = len(report.installed())
    if report.dry_run:
        click.echo(f"{len(report.results)} package(s) would be considered; nothing was installed.")
    elif installed:
        click.echo(f"{installed} package(s) were installed.")
    else:
        click.echo("No package was installed.", err=True)
    if report.skipped():
        click.echo(f"{len(report.skipped())} package(s) were already installed.")
    sys.stdout.flush()
