"""``pkg context``: print information about the current context or a ``.rxt`` file,
like ``rez-context``.

Without flags it prints the summary (who resolved it, the request, the resolved
packages with their roots); the flags select one other view instead: ``--req``,
``--res``, ``--tools``, ``--which``, the graphs, ``-i`` (the context as a shell script
or as an environment dict), ``--diff`` and ``--fetch``.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from pkg.cli._state import AppState, pass_state

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pkg.api.context_info import Line, LoadedContext
    from pkg.config import Config

__all__ = ["context_command", "echo_lines"]

#: The rich style of each style name of :data:`pkg.api.context_info.Line`.
_STYLES = {
    "heading": "bold",
    "local": "green",
    "implicit": "cyan",
    "ephemeral": "magenta",
    "critical": "bold red",
}

_FORMATS = ("bash", "csh", "pwsh", "sh", "tcsh", "zsh", "dict", "table", "json")


def styled_lines(lines: Iterable[Line]) -> list[str]:
    """The text of ``lines``, styled with ANSI codes when standard output is a terminal
    (what :func:`echo_lines` prints, for a shell to print later)."""
    if not sys.stdout.isatty():
        return [text for text, _ in lines]
    from rich.console import Console
    from rich.text import Text

    console = Console(force_terminal=True, highlight=False, soft_wrap=True)
    out = []
    for text, style in lines:
        with console.capture() as captured:
            console.print(Text(text, style=_STYLES.get(style or "", "")), end="")
        out.append(captured.get())
    return out


def echo_lines(lines: Iterable[Line]) -> None:
    """Print ``lines``: styled with rich when standard output is a terminal, else as
    plain text (the same characters)."""
    for line in styled_lines(lines):
        click.echo(line)


@click.command("context")
@click.argument("rxt", metavar="[RXT]", required=False)
@click.option(
    "--req",
    "--print-request",
    "print_request",
    is_flag=True,
    help="Print only the request list (not including implicits).",
)
@click.option(
    "--res",
    "--print-resolve",
    "print_resolve",
    is_flag=True,
    help="Print only the resolve list (use with --su to print package URIs).",
)
@click.option(
    "--so",
    "--source-order",
    "source_order",
    is_flag=True,
    help="Print resolved packages in the order they are sourced, not alphabetically.",
)
@click.option(
    "--su",
    "--show-uris",
    "show_uris",
    is_flag=True,
    help="List resolved packages' URIs, rather than their root directories.",
)
@click.option("-t", "--tools", is_flag=True, help="Print the tools available in the context.")
@click.option("--which", metavar="CMD", help="Locate a program within the context.")
@click.option("-g", "--graph", is_flag=True, help="Show the resolve graph as an image.")
@click.option(
    "-d",
    "--dependency-graph",
    is_flag=True,
    help="Show the (simpler) dependency graph; works with the other graph options.",
)
@click.option(
    "--pg", "--print-graph", "print_graph", is_flag=True, help="Print the resolve graph as DOT."
)
@click.option(
    "--wg",
    "--write-graph",
    "write_graph",
    metavar="FILE",
    help="Write the resolve graph to FILE (.dot, or an image such as .png).",
)
@click.option(
    "--pp", "--prune-package", "prune_pkg", metavar="PKG", help="Prune the graph down to PKG."
)
@click.option(
    "-i", "--interpret", is_flag=True, help="Interpret the context and print the resulting code."
)
@click.option(
    "-f",
    "--format",
    "format_",
    type=click.Choice(_FORMATS),
    default=None,
    help="The format of --interpret: a shell's script, or the environment as dict, table "
    "or json (default: the current shell).",
)
@click.option(
    "-s",
    "--style",
    type=click.Choice(["file", "eval"]),
    default="file",
    show_default=True,
    help="Script style of --interpret: a file, or one line to eval.",
)
@click.option("--no-env", is_flag=True, help="Interpret the context in an empty environment.")
@click.option("--diff", metavar="RXT", help="Diff the context against another context file.")
@click.option(
    "--fetch", is_flag=True, help="Diff the context against a new resolve of its request."
)
@pass_state
def context_command(
    state: AppState,
    rxt: str | None,
    print_request: bool,
    print_resolve: bool,
    source_order: bool,
    show_uris: bool,
    tools: bool,
    which: str | None,
    graph: bool,
    dependency_graph: bool,
    print_graph: bool,
    write_graph: str | None,
    prune_pkg: str | None,
    interpret: bool,
    format_: str | None,
    style: str,
    no_env: bool,
    diff: str | None,
    fetch: bool,
) -> None:
    """Print information about the current context, or the context file RXT ('-': read
    it from standard input)."""
    from pkg.api import context_info as info

    config = state.config
    loaded = info.load_for_info(rxt, config)
    parent: dict[str, str] = {} if no_env else dict(os.environ)
    if interpret:
        fmt = format_ or info.default_format(config)
        click.echo(info.interpret(loaded, config, fmt, style=style, parent_environ=parent))
        return
    if print_request:
        for request in loaded.context.package_requests:
            click.echo(str(request))
    elif print_resolve:
        for line in _resolve_list(loaded, show_uris):
            click.echo(line)
    elif tools:
        echo_lines(info.tool_rows(loaded))
    elif diff:
        _echo_diff(info.diff_files(loaded, diff, config))
    elif fetch:
        _echo_diff(info.fetch_diff(loaded, config))
    elif which:
        path = info.which(loaded, config, which, parent)
        if path:
            click.echo(path)
        else:
            click.echo(f"'{which}' not found in the context", err=True)
    elif print_graph:
        click.echo(info.graph_dot(loaded, dependency=dependency_graph, prune=prune_pkg), nl=False)
    elif graph or dependency_graph or write_graph:
        dot = info.graph_dot(loaded, dependency=dependency_graph, prune=prune_pkg)
        _save_or_show(dot, write_graph, config, show=graph or dependency_graph)
    else:
        echo_lines(
            info.summary_lines(
                loaded,
                config,
                verbosity=state.verbosity,
                source_order=source_order,
                show_uris=show_uris,
            )
        )


def _resolve_list(loaded: LoadedContext, show_uris: bool) -> list[str]:
    out = []
    for handle, variant in zip(loaded.context.resolved_packages, loaded.variants, strict=True):
        if show_uris and variant is not None:
            out.append(str(variant.uri))
        else:
            out.append(f"{handle.name}-{handle.version}" if handle.version else handle.name)
    return out


def _echo_diff(lines: list[str]) -> None:
    if lines:
        click.echo("\n".join(lines))


def _save_or_show(dot: str, dest: str | None, config: Config, *, show: bool) -> None:
    """Write the graph (to ``dest``, else a temporary image); with ``show``, open it in
    ``image_viewer`` or the web browser, saying where it is when neither opens."""
    import shutil
    import subprocess
    import tempfile

    from pkg.api._graph import save_graph

    if dest is None:
        # without graphviz, the DOT text is all there is to show
        fmt = (config.dot_image_format or "png") if shutil.which("dot") else "dot"
        fd, dest = tempfile.mkstemp(prefix="resolve-dot-", suffix=f".{fmt}")
        os.close(fd)
    dest = os.path.expanduser(dest)
    if not show:
        save_graph(dot, dest)
        return
    click.echo(f"rendering image to {dest}...")
    save_graph(dot, dest)
    viewed = False
    if config.image_viewer:
        try:
            viewed = subprocess.call([config.image_viewer, dest]) == 0
        except OSError:
            viewed = False
    elif sys.platform != "linux" or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        import webbrowser

        viewed = webbrowser.open_new("file://" + os.path.abspath(dest))
    if not viewed:
        click.echo(f"No image viewer could be opened; the graph is in {dest}", err=True)
