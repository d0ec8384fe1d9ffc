"""``pkg env``: resolve packages into a context and start a shell in it, like ``rez-env``.

``pkg env REQ...`` starts an interactive shell; ``-c CMD`` or ``-- CMD ARGS...`` runs a
command and ``--stdin`` reads commands from standard input instead; the exit status is
theirs.  ``-o FILE`` saves the context instead (``-o -`` prints it) and ``-i FILE``
uses a saved context instead of resolving.  ``-v`` prints the solve's steps and
``--stats`` its statistics; ``--pre-command``, ``--new-session`` and ``--detached``
change how the shell's process starts (see ``docs/contexts.md``).
"""

from __future__ import annotations

import os
import select
import sys
from typing import TYPE_CHECKING

import click
from click import get_current_context

from pkg.cli._grouped import GroupedCommand, arg_groups
from pkg.cli._options import repeat_list_options
from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from pkg.api.env import EnvContext

__all__ = ["env_command", "expand_rule_lists"]

#: Options that take one or more values, as in rez (``--exclude A B``).
_RULE_OPTIONS = frozenset({"--exclude", "--include"})


def expand_rule_lists(args: list[str]) -> list[str]:
    """Repeat ``--exclude``/``--include`` before each of their values.

    Like rez, ``--exclude A B`` takes every following argument up to the next option
    (or ``--``):

    >>> expand_rule_lists(["foo", "--exclude", "*.beta", "bar-1", "-o", "x"])
    ['foo', '--exclude', '*.beta', '--exclude', 'bar-1', '-o', 'x']
    """
    return repeat_list_options(args, _RULE_OPTIONS)


class _EnvCommand(GroupedCommand):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        split = args.index("--") if "--" in args else len(args)
        return super().parse_args(ctx, expand_rule_lists(args[:split]) + args[split:])


@click.command("env", cls=_EnvCommand)
@click.argument("pkgs", metavar="PKG...", nargs=-1)
@click.option(
    "--shell",
    metavar="NAME",
    help="The shell to start (bash, sh, zsh, csh, tcsh, fish); default: the "
    "default_shell setting, else the current shell ($SHELL), else bash.",
)
@click.option("--rcfile", metavar="FILE", help="Source FILE instead of the user's startup files.")
@click.option("--norc", is_flag=True, help="Source no user startup file.")
@click.option(
    "-c",
    "--command",
    metavar="CMD",
    help="Run CMD (one shell argument) in the context and exit with its status, "
    "instead of starting an interactive shell; or give the command after '--'.",
)
@click.option(
    "-s", "--stdin", is_flag=True, help="Read commands from standard input, not interactively."
)
@click.option(
    "-i",
    "--input",
    "input_",
    metavar="FILE",
    help="Use the context saved in FILE (a .rxt file) instead of resolving.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    help="Save the context to FILE (a .rxt file), or print it with '-'.  A failed "
    "resolve is saved too (and the exit status is 1).",
)
@click.option(
    "--ni", "--no-implicit", "no_implicit", is_flag=True, help="Leave out implicit packages."
)
@click.option(
    "--nl", "--no-local", "no_local", is_flag=True, help="Leave out the local repository."
)
@click.option("-b", "--build", is_flag=True, help="Resolve for a build (add build_requires).")
@click.option("--paths", help="Repositories to use instead of packages_path (os.pathsep list).")
@click.option(
    "-t",
    "--time",
    "time_",
    metavar="TIME",
    help="Ignore packages released after TIME: epoch seconds, or relative such as -1d "
    "(write --time=-1d).",
)
@click.option(
    "--max-fails",
    type=int,
    default=-1,
    metavar="N",
    help="Give up once N configurations have failed.",
)
@click.option(
    "--time-limit",
    type=int,
    default=-1,
    metavar="SECS",
    help="Give up when the resolve takes longer than SECS seconds.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="RULE...",
    help="Hide packages matching these rules (e.g. '*.beta'), besides package_filter.",
)
@click.option(
    "--include",
    multiple=True,
    metavar="RULE...",
    help="Let packages matching these rules through the filters (e.g. 'foo-*').",
)
@click.option(
    "--no-filters",
    is_flag=True,
    help="Ignore package_filter (--exclude and --include still apply).",
)
@click.option(
    "-p",
    "--patch",
    is_flag=True,
    help="Patch the current context (or the -i context) with PKG...: each request "
    "replaces the one of its family and kind, '^name' removes a family, the rest are "
    "added; then resolve.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="With --patch: start from the context's resolved versions, not its request.",
)
@click.option(
    "--patch-rank",
    type=int,
    default=0,
    metavar="N",
    help="With --patch: packages not named by PKG... may only change from their N-th "
    "version token on (3: patch releases only).",
)
@click.option("--no-cache", is_flag=True, help="Do not use cached resolves.")
@click.option(
    "--no-pkg-cache",
    is_flag=True,
    help="Neither run packages from the package cache nor copy them into it.",
)
@click.option(
    "--pkg-cache-mode",
    type=click.Choice(["sync", "async"]),
    help="Copy the resolved packages into the package cache before the shell starts "
    "(sync) or in the background (async); default: the package_cache_async setting.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print no welcome message, nor graph locations.")
@click.option(
    "--fail-graph",
    is_flag=True,
    help="If the resolve fails, write its graph (DOT, and an image when graphviz is "
    "installed) to a temporary directory.",
)
@click.option(
    "--graph",
    "graph_file",
    metavar="FILE",
    help="Write the resolve graph to FILE: DOT (.dot) plus an image beside it when "
    "graphviz is installed, or an image (.png, .svg...) plus its .dot.",
)
@click.option(
    "--new-session",
    is_flag=True,
    help="Start the shell in a new process session (the new_session_popen_args setting).",
)
@click.option(
    "--detached",
    is_flag=True,
    help="Open the shell in a new terminal window (the terminal_emulator_command "
    "setting, else x-terminal-emulator, xterm or konsole when installed).",
)
@click.option(
    "--no-passive",
    is_flag=True,
    help="Print only the solver steps that change the solve (with -vvv).  pkg prints "
    "no passive steps anyway.",
)
@click.option("--stats", is_flag=True, help="Print the solver's statistics after the resolve.")
@click.option(
    "--pre-command",
    metavar="CMD",
    help="Put CMD (split on spaces) before the shell's command line, e.g. 'nice -n 10'.",
)
@pass_state
def env_command(
    state: AppState,
    pkgs: tuple[str, ...],
    shell: str | None,
    rcfile: str | None,
    norc: bool,
    command: str | None,
    stdin: bool,
    input_: str | None,
    output: str | None,
    no_implicit: bool,
    no_local: bool,
    build: bool,
    paths: str | None,
    time_: str | None,
    max_fails: int,
    time_limit: int,
    exclude: tuple[str, ...],
    include: tuple[str, ...],
    no_filters: bool,
    no_cache: bool,
    no_pkg_cache: bool,
    pkg_cache_mode: str | None,
    quiet: bool,
    fail_graph: bool,
    graph_file: str | None,
    new_session: bool,
    detached: bool,
    no_passive: bool,
    stats: bool,
    pre_command: str | None,
    patch: bool,
    strict: bool,
    patch_rank: int,
) -> None:
    """Resolve PKG... into a context and start a shell in it (or run a command)."""
    from pkg.api.env import load_env_context, spawn_shell, write_context
    from pkg.errors import UsageError

    # --no-passive hides the passive steps Rez prints at -vvv; pkg prints none of them.
    del no_passive
    groups = arg_groups(get_current_context())
    run: str | tuple[str, ...] | None = command
    if groups:
        if command:
            raise UsageError("-c/--command is not allowed with a command after '--'")
        run = groups[0] or None
    if input_ and pkgs and not patch:
        raise UsageError("-i/--input cannot be used with PKG arguments, unless patching (-p)")
    if input_ and not patch:
        env = load_env_context(input_, state.config)
        if env.cache_warning:
            click.secho(f"warning: {env.cache_warning}", fg="yellow", err=True)
    else:
        if patch:
            pkgs = _patched(input_, pkgs, strict, patch_rank)
        env = _resolve(
            state,
            pkgs,
            no_local,
            no_implicit,
            build,
            paths,
            time_,
            exclude,
            include,
            no_filters,
            max_fails,
            time_limit,
            no_cache,
            verbosity=state.verbosity,
            package_caching=not no_pkg_cache,
            package_cache_async=None if pkg_cache_mode is None else pkg_cache_mode == "async",
        )
        if env.cache_warning:
            click.secho(f"warning: {env.cache_warning}", fg="yellow", err=True)
        _print_stats(env, state.verbosity, stats)
    image_format = state.config.dot_image_format or "png"
    if not env.success:
        _report_failure(env)
        if fail_graph:
            _write_graph(env, None, image_format, quiet=False)
    if graph_file:
        _write_graph(env, graph_file, image_format, quiet=quiet)
    if output:
        write_context(env.context, output)
    if output or not env.success:
        get_current_context().exit(0 if env.success else 1)
    reads_stdin = stdin and _stdin_ready()
    summary: list[str] = []
    if run is None and not reads_stdin and not quiet:
        from pkg.api.env import entry_summary
        from pkg.cli.context import styled_lines

        summary = styled_lines(entry_summary(env, state.config))
    code = spawn_shell(
        env,
        state.config,
        shell=shell,
        command=run,
        stdin=reads_stdin,
        rcfile=rcfile,
        norc=norc,
        quiet=quiet,
        new_session=new_session,
        detached=detached,
        pre_command=pre_command,
        summary=summary,
    )
    get_current_context().exit(code)


def _patched(input_: str | None, pkgs: tuple[str, ...], strict: bool, rank: int) -> tuple[str, ...]:
    """The request of ``--patch``: the -i context's (else the current one's) patched
    with ``pkgs``."""
    from pkg.api.env import patched_requests

    return patched_requests(pkgs, input_path=input_, strict=strict, rank=rank)


def _stdin_ready() -> bool:
    """Whether standard input has something to read now (rez-env drops ``--stdin`` when
    it has not, as shells do)."""
    try:
        return bool(select.select([sys.stdin], [], [], 0.0)[0])
    except (OSError, ValueError):
        return True


def _resolve(
    state: AppState,
    pkgs: tuple[str, ...],
    no_local: bool,
    no_implicit: bool,
    build: bool,
    paths: str | None,
    time_: str | None,
    exclude: tuple[str, ...],
    include: tuple[str, ...],
    no_filters: bool,
    max_fails: int,
    time_limit: int,
    no_cache: bool,
    *,
    verbosity: int,
    package_caching: bool = True,
    package_cache_async: bool | None = None,
) -> EnvContext:
    from pkg.api._time import parse_epoch_time
    from pkg.api.env import SolveProgress, create_context

    return create_context(
        list(pkgs),
        state.config,
        paths=None if paths is None else [p for p in paths.split(os.pathsep) if p],
        no_local=no_local,
        add_implicit_packages=not no_implicit,
        building=build,
        timestamp=parse_epoch_time(time_) if time_ else None,
        exclude=exclude,
        include=include,
        no_filters=no_filters,
        max_fails=max_fails,
        time_limit=time_limit,
        caching=not no_cache,
        package_caching=package_caching,
        package_cache_async=package_cache_async,
        reporter=SolveProgress(click.echo) if verbosity else None,
    )


def _print_stats(env: EnvContext, verbosity: int, stats: bool) -> None:
    """Print the solve's statistics as rez-env does: with ``--stats`` (under a
    ``solve_stats`` key), and always at ``-vvv``; not for a resolve read from the cache
    (no solve ran)."""
    from pprint import pformat

    from pkg.api.env import solve_stats

    if env.resolve is None or env.resolve.from_cache or not (stats or verbosity > 2):
        return
    data = solve_stats(env.resolve)
    if verbosity > 2:
        click.echo("\nSOLVE STATS:")
        click.echo(pformat(data))
    else:
        click.echo(pformat({"solve_stats": data}))


def _report_failure(env: EnvContext) -> None:
    click.echo(f"The resolve of '{env.request_str()}' failed.", err=True)
    source = env.context if env.resolve is None else env.resolve
    if source.status == "aborted":
        click.echo(f"Resolve aborted: {source.failure_description}", err=True)
    else:
        click.echo(source.failure_description or "Resolve failed.", err=True)


def _write_graph(env: EnvContext, path: str | None, image_format: str, *, quiet: bool) -> None:
    from pkg.api.env import write_graph

    graph = env.graph()
    if not graph.nodes:
        click.echo("The resolve did not produce a graph.", err=True)
        return
    dot_file, image = write_graph(graph, path, image_format=image_format)
    if quiet:
        return
    if image is None:
        where = f"{dot_file} (no image: graphviz's 'dot' is not on PATH)"
    else:
        where = f"{dot_file} and {image}"
    click.echo(f"Resolve graph written to {where}", err=True)
