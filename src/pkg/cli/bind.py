"""``pkg bind``: make packages of software found on this system, like ``rez-bind``.

``pkg bind PKG [ARG...]`` binds one package (``python``, ``cmake`` ...; ``PKG`` may carry
a range, ``python-3.11+``) and the packages it requires (unless ``--no-deps``) into the
local packages repository, ``-i PATH`` or ``-r`` (the release repository).  Arguments
after ``PKG`` go to its bind module (``pkg bind python --exe /usr/bin/python3``;
``pkg bind python -h`` shows them).  ``-l`` lists the bind modules, ``-s`` only looks
one up, and ``--quickstart`` binds the standard set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.bind import BindError, BindReporter, BoundVariant

__all__ = ["bind_command"]


def columnise(rows: Sequence[Sequence[str]], padding: int = 2) -> list[str]:
    """Rows as lines of left-aligned columns ``padding`` spaces apart (the last column
    is not padded), as Rez prints its tables.

    >>> columnise([["A", "B"], ["long", "x"]])
    ['A     B', 'long  x']
    """
    widths: dict[int, int] = {}
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths.get(index, 0), len(cell))
    lines = []
    for row in rows:
        cells = [
            cell if index == len(row) - 1 else cell.ljust(widths[index] + padding)
            for index, cell in enumerate(row)
        ]
        lines.append("".join(cells))
    return lines


def _print_packages(variants: Sequence[BoundVariant]) -> None:
    """The ``PACKAGE URI`` table of the packages of ``variants``, by name."""
    packages = sorted({(v.name, v.uri) for v in variants})
    rows = [["PACKAGE", "URI"], ["-------", "---"], *([name, uri] for name, uri in packages)]
    click.echo("\n".join(columnise(rows)))


def _print_close_matches(name: str) -> None:
    from pkg.bind import close_matches, get_bind_modules

    modules = get_bind_modules()
    matches = close_matches(name)
    if matches:
        click.echo(f"{name!r} not found. Close matches:")
        click.echo("\n".join(columnise([[match, modules[match]] for match in matches])))
    else:
        click.echo("No matches.")


def _reporter() -> BindReporter:
    """A reporter printing progress on standard output and problems on standard error."""
    from pkg.bind import BindReporter

    class _Printer(BindReporter):
        def searching(self, path: str) -> None:
            click.echo(f"searching {path}...")

        def creating(self, name: str, path: str) -> None:
            click.echo(f"creating package {name!r} in {path}...")

        def skipped(self, uri: str) -> None:
            click.secho(
                f"warning: Skipping installation: Package variant already exists: {uri}",
                fg="yellow",
                err=True,
            )

        def warning(self, message: str) -> None:
            click.secho(f"warning: {message}", fg="yellow", err=True)

        def dependency_failed(self, name: str, error: BindError) -> None:
            click.secho(
                f"error: Could not bind {name!r}: {type(error).__name__}: {error}",
                fg="red",
                err=True,
            )

    return _Printer()


@click.command(
    name="bind",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.option(
    "--quickstart",
    is_flag=True,
    help="Bind the standard starter set: platform, arch, os, python, setuptools, pip.",
)
@click.option(
    "-r", "--release", is_flag=True, help="Write to release_packages_path (wins over -i)."
)
@click.option(
    "-i",
    "--install-path",
    metavar="PATH",
    help="Repository to write to (default: local_packages_path).",
)
@click.option("--no-deps", is_flag=True, help="Bind only PKG, not the packages it requires.")
@click.option("-l", "--list", "list_", is_flag=True, help="List the bind modules and exit.")
@click.option(
    "-s",
    "--search",
    is_flag=True,
    help="Look up the bind module of PKG (or close matches); bind nothing.",
)
@click.argument("pkg", required=False)
@click.argument("bind_args", nargs=-1, type=click.UNPROCESSED, metavar="[ARG]...")
@pass_state
def bind_command(
    state: AppState,
    quickstart: bool,
    release: bool,
    install_path: str | None,
    no_deps: bool,
    list_: bool,
    search: bool,
    pkg: str | None,
    bind_args: tuple[str, ...],
) -> None:
    """Make a package of software already installed on this system.

    PKG names what to bind, optionally with a range (python-3.11+).  Every ARG after
    PKG goes to its bind module; 'pkg bind PKG -h' lists the module's options.
    """
    import pkg.bind as binding

    if list_:
        rows = [["PACKAGE", "BIND MODULE"], ["-------", "-----------"]]
        rows += [[name, path] for name, path in binding.get_bind_modules().items()]
        click.echo("\n".join(columnise(rows)))
        return
    config = state.config
    target = binding.install_path(config, install_path, release=release)
    reporter = _reporter()
    if quickstart:
        installed = binding.quickstart(
            config,
            path=target,
            reporter=reporter,
            on_start=lambda name, path: click.echo(f"Binding {name} into {path}..."),
        )
        if installed:
            click.echo(
                "\nSuccessfully converted the following software found on the current "
                "system into packages:\n"
            )
            _print_packages(installed)
        click.echo(
            "\nTo bind other software, see what's available using the command "
            "'pkg bind --list', then run 'pkg bind <name>'.\n"
        )
        return
    if not pkg:
        raise click.UsageError("PKG required.")
    name, version_range = binding.parse_target(pkg)
    known = name in binding.get_bind_modules()
    if search or not known:
        click.echo(f"searching {binding.bind_module_dir()}...")
        if not known:
            _print_close_matches(name)
            if not search:
                raise binding.BindError(f"Bind module not found for {name!r}")
        return
    try:
        installed = binding.bind_package(
            config,
            name,
            path=target,
            version_range=version_range,
            no_deps=no_deps,
            bind_args=bind_args,
            reporter=reporter,
        )
    except binding.BindHelpRequested as help_:
        click.echo(help_.text, nl=False)
        return
    if installed:
        click.echo("The following packages were installed:\n")
        _print_packages(installed)
