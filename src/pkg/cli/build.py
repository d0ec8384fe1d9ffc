"""``pkg build``: build (and ``-i`` install) the package in the current directory, like
``rez-build``, with its variants built concurrently (``-j N``); or several packages,
given as directories (``pkg build -i DIR...``) or found below them (``--recursive``), in
dependency order.

Arguments after ``--`` go to the build system (as ``--ba``), those after a second ``--``
to its child (as ``--cba``).  Options the command does not know are handed to the
source's ``parse_build_args.py``; a plain argument that names a directory holding a
package definition (any directory with ``--recursive``) is a source directory.  The
build system's own options (cmake's ``--bt`` and ``--bs``) are added when the command
line is parsed.  See ``docs/building.md``.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from typing import TYPE_CHECKING, Any

import click
from click import get_current_context

from pkg.cli._grouped import GroupedCommand, arg_groups
from pkg.cli._options import IntegersOption, backend_option, build_args_options, events_option
from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from pkg.api.build import BuildReport
    from pkg.api.build_many import ManyBuildReport
    from pkg.config import Config

__all__ = ["build_command"]


class _BuildCommand(GroupedCommand):
    """Adds the build systems' own options (:meth:`BuildSystem.cli_options`) on first use,
    so that importing this module stays cheap."""

    _system_params: list[click.Parameter] | None = None

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        if _BuildCommand._system_params is None:
            _BuildCommand._system_params = _system_options()
        return [*params[:-1], *_BuildCommand._system_params, params[-1]]


def _system_options() -> list[click.Parameter]:
    from pkg.api.build import build_system_options

    return [
        click.Option(
            [*option.flags, option.dest],
            type=click.Choice(list(option.choices)),
            default=None,
            help=f"{option.help} ({system}; default: the {option.setting} setting).",
        )
        for system, option in build_system_options()
    ]


@click.command(
    "build",
    cls=_BuildCommand,
    context_settings={"ignore_unknown_options": True},
)
@click.option("-c", "--clean", is_flag=True, help="Clear the current build before rebuilding.")
@click.option("-i", "--install", is_flag=True, help="Install the build into a package repository.")
@click.option(
    "-p",
    "--prefix",
    metavar="PATH",
    help="Install into this package repository (default: local_packages_path).",
)
@click.option(
    "--variants",
    cls=IntegersOption,
    type=int,
    multiple=True,
    metavar="INDEX...",
    help="Build only these variants (0-based; negative indices count from the end).",
)
@click.option(
    "-b",
    "--build-system",
    "build_system",
    metavar="NAME",
    help="The build system to use (cmake, custom, make, python, or a plugin's); "
    "by default it is detected.",
)
@build_args_options()
@click.option(
    "--fail-graph",
    is_flag=True,
    help="Write the resolve graph when a build context fails to resolve.",
)
@click.option(
    "-s",
    "--scripts",
    is_flag=True,
    help="Write build-env scripts that open a shell in each variant's build environment, "
    "instead of building.",
)
@click.option(
    "--view-pre", is_flag=True, help="Print the preprocessed package definition and exit."
)
@click.option(
    "--matrix",
    is_flag=True,
    help="Print the variants as JSON for a CI system (index, requires, subpath and the "
    "command that builds only that variant with the same options), and exit.",
)
@click.option(
    "--process",
    type=click.Choice(["local", "remote"]),
    default="local",
    show_default=True,
    help="The build process (only local is available).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Tasks to run at once (default: build_thread_count).",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Let other variants (and packages that do not depend on a failed one) finish "
    "after a failure.",
)
@click.option(
    "--recursive",
    is_flag=True,
    help="Build every package found below the current directory (or the DIRs given), "
    "in dependency order.",
)
@events_option()
@backend_option("the builds run")
@click.argument("custom_args", nargs=-1, type=click.UNPROCESSED, metavar="[DIR|ARGS]...")
@pass_state
def build_command(
    state: AppState,
    /,
    clean: bool,
    install: bool,
    prefix: str | None,
    variants: tuple[int, ...],
    build_system: str | None,
    build_args: str | None,
    child_build_args: str | None,
    fail_graph: bool,
    scripts: bool,
    view_pre: bool,
    matrix: bool,
    process: str,
    jobs: int | None,
    keep_going: bool,
    recursive: bool,
    events: str,
    backend: str,
    custom_args: tuple[str, ...],
    **system_options: Any,
) -> None:
    """Build the package in the current directory (and install it with -i).

    Each variant is resolved, built and installed by tasks that run concurrently; a
    variant is installed completely or not at all.  Given source directories (DIR...),
    or with --recursive, build several packages in dependency order.
    """
    from pkg.errors import UsageError

    ctx = get_current_context()
    if process != "local":
        raise UsageError("the 'remote' build process is not available; use --process local")
    config = state.config
    dirs, custom_args = _source_dirs(custom_args, config, recursive=recursive)
    groups = [*arg_groups(ctx), (), ()]
    build_list = _args("--ba", build_args, groups[0])
    child_list = _args("--cba", child_build_args, groups[1])
    if recursive or len(dirs) > 1:
        for flag, given in (
            ("--view-pre", view_pre),
            ("--matrix", matrix),
            ("-s/--scripts", scripts),
            ("--variants", bool(variants)),
            ("--fail-graph", fail_graph),
        ):
            if given:
                raise click.UsageError(
                    f"{flag} works on one package; it cannot be used with "
                    "several source directories or --recursive"
                )
        many = _run_many(
            state,
            dirs or [os.getcwd()],
            recursive=recursive,
            clean=clean,
            install=install,
            prefix=prefix,
            build_system=build_system,
            build_args=build_list,
            child_build_args=child_list,
            custom_args=custom_args,
            system_options={k: v for k, v in system_options.items() if v is not None},
            jobs=jobs,
            keep_going=keep_going,
            events=events,
            backend=backend,
        )
        _summarise_many(many, err=events == "json")
        if not many.ok:
            ctx.exit(130 if many.interrupted else 1)
        return
    source = dirs[0] if dirs else os.getcwd()
    if view_pre:
        from pkg.api.build import preprocessed_package

        click.echo(preprocessed_package(source, config), nl=False)
        return
    if matrix:
        from pkg.api.build import variant_matrix

        same = _same_options(
            clean, install, prefix, build_system, custom_args, system_options, jobs
        )
        rows = variant_matrix(source, config, variants=list(variants) or None)
        for row in rows:
            chosen = [] if row["index"] is None else ["--variants", str(row["index"])]
            tail = ["--", *build_list] if build_list or child_list else []
            tail += ["--", *child_list] if child_list else []
            where = [source] if dirs else []
            row["command"] = shlex.join(["pkg", "build", *same, *chosen, *where, *tail])
        click.echo(json.dumps(rows, indent=2))
        return
    report = _run(
        state,
        source,
        clean=clean,
        install=install,
        prefix=prefix,
        variants=list(variants) or None,
        build_system=build_system,
        build_args=build_list,
        child_build_args=child_list,
        custom_args=custom_args,
        system_options={k: v for k, v in system_options.items() if v is not None},
        scripts=scripts,
        jobs=jobs,
        keep_going=keep_going,
        events=events,
        backend=backend,
    )
    _summarise(report, err=events == "json")
    if fail_graph:
        _write_fail_graphs(report)
    if not report.ok:
        ctx.exit(130 if report.interrupted else 1)


def _same_options(
    clean: bool,
    install: bool,
    prefix: str | None,
    build_system: str | None,
    custom_args: tuple[str, ...],
    system_options: dict[str, Any],
    jobs: int | None,
) -> list[str]:
    """The options of this command line that change what a build of one variant does."""
    from pkg.api.build import build_system_options

    out = ["-c"] if clean else []
    out += ["-i"] if install else []
    out += ["-p", prefix] if prefix else []
    out += ["-b", build_system] if build_system else []
    out += ["-j", str(jobs)] if jobs else []
    for _system, option in build_system_options():
        value = system_options.get(option.dest)
        if value is not None:
            out += [option.flags[0], str(value)]
    return [*out, *custom_args]


def _args(flag: str, value: str | None, group: tuple[str, ...]) -> list[str]:
    from pkg.errors import UsageError

    if value:
        if group:
            raise UsageError(f"{flag} is not allowed with arguments after '--'")
        return value.strip().split()
    return list(group)


def _source_dirs(
    args: tuple[str, ...], config: Config, *, recursive: bool
) -> tuple[list[str], tuple[str, ...]]:
    from pkg.api.build_many import split_source_dirs

    dirs, rest = split_source_dirs(args, config, recursive=recursive)
    return dirs, tuple(rest)


def _run(
    state: AppState,
    source: str,
    *,
    jobs: int | None,
    keep_going: bool,
    events: str,
    backend: str,
    **options: Any,
) -> BuildReport:
    from rich.console import Console

    from pkg.api.build import build_package, prepare_build
    from pkg.cli._progress import make_display
    from pkg.cli._usage import api_usage_errors

    config = state.config
    with api_usage_errors():
        setup = prepare_build(source, config, keep_going=keep_going, **options)
    console = Console()
    if events != "json":
        click.echo(f"Building {setup.package.qualified_name} with {setup.system}...")
    with make_display(console, mode=events, verbose=state.verbosity) as display:  # type: ignore[arg-type]
        return build_package(
            setup.source_dir,
            config,
            setup=setup,
            jobs=jobs,
            keep_going=keep_going,
            backend=backend,  # type: ignore[arg-type]
            on_event=display,
        )


def _run_many(
    state: AppState,
    roots: list[str],
    *,
    recursive: bool,
    jobs: int | None,
    keep_going: bool,
    events: str,
    backend: str,
    **options: Any,
) -> ManyBuildReport:
    from rich.console import Console

    from pkg.api.build_many import build_packages, find_source_packages, prepare_builds
    from pkg.cli._progress import make_display
    from pkg.cli._usage import api_usage_errors

    config = state.config
    with api_usage_errors():
        dirs = find_source_packages(roots, config, recursive=recursive)
        setup = prepare_builds(dirs, config, keep_going=keep_going, **options)
    if events != "json":
        names = ", ".join(s.package.qualified_name for s in setup.setups)
        click.echo(f"Building {len(setup.setups)} package(s) in dependency order: {names}...")
    with make_display(Console(), mode=events, verbose=state.verbosity) as display:  # type: ignore[arg-type]
        return build_packages(
            setup,
            config,
            jobs=jobs,
            keep_going=keep_going,
            backend=backend,  # type: ignore[arg-type]
            on_event=display,
        )


def _summarise_many(report: ManyBuildReport, *, err: bool) -> None:
    """One line per package: name, variants built out of those planned, status."""
    rows = report.rows()
    width = max(len(row.package) for row in rows)
    click.echo("\nBuild summary:", err=err)
    for row in rows:
        status = f"{row.status}: {row.reason}" if row.reason else row.status
        counts = f"{row.built}/{row.variants}"
        click.echo(f"  {row.package:<{width}}  {counts:>5} variant(s)  {status}", err=err)
    if report.interrupted:
        click.echo("The build was interrupted.", err=True)
    sys.stdout.flush()


def _summarise(report: BuildReport, *, err: bool) -> None:
    """Rez's summary: ``All N build(s) were successful.``, or which variants failed."""
    plans = report.setup.plans
    failures = report.failures()
    if not failures:
        click.echo(f"\nAll {len(plans)} build(s) were successful.", err=err)
    else:
        ok = len(plans) - len(failures)
        click.echo(f"\n{ok} of {len(plans)} build(s) were successful; failed:", err=err)
        for plan, reason in failures:
            click.echo(f"  {plan.label}: {reason}", err=err)
    if report.interrupted:
        click.echo("The build was interrupted.", err=True)
    scripts = [path for path in report.scripts() if os.path.basename(path) == "build-env"]
    if scripts:
        click.echo("\nThe following executable script(s) have been created:", err=err)
        for path in scripts:
            click.echo(path, err=err)
    sys.stdout.flush()


def _write_fail_graphs(report: BuildReport) -> None:
    from pkg.api.env import write_graph

    for failed in report.context_failures():
        graph = failed.context.resolve_graph()
        if graph is None or not graph.nodes:
            click.echo("the failed resolve context did not generate a graph.", err=True)
            continue
        dot_file, image = write_graph(graph)
        click.echo(f"Resolve graph written to {image or dot_file}", err=True)
