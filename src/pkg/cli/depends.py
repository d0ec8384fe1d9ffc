"""``pkg depends``: reverse dependency lookup, like ``rez-depends``."""

from __future__ import annotations

import os

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["depends_command"]


@click.command("depends")
@click.argument("pkg", metavar="PKG")
@click.option("-d", "--depth", type=int, help="Dependency tree depth limit.")
@click.option("--paths", help="Search path to use instead of packages_path (os.pathsep list).")
@click.option(
    "-b", "--build-requires", is_flag=True, help="Include build requirements as dependencies."
)
@click.option(
    "-p",
    "--private-build-requires",
    is_flag=True,
    help="Include the private build requirements of PKG.",
)
@click.option("-g", "--graph", is_flag=True, help="Render the dependency tree to an image.")
@click.option("--pg", "--print-graph", "print_graph", is_flag=True, help="Print the DOT graph.")
@click.option(
    "--wg", "--write-graph", "write_graph", help="Write the graph to FILE (.dot, .png...)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print the levels without their '#N:' labels.")
@pass_state
def depends_command(
    state: AppState,
    pkg: str,
    depth: int | None,
    paths: str | None,
    build_requires: bool,
    private_build_requires: bool,
    graph: bool,
    print_graph: bool,
    write_graph: str | None,
    quiet: bool,
) -> None:
    """Print the packages that depend on the package family PKG, level by level."""
    from pkg.api.depends import reverse_dependencies

    search_paths = [os.path.expanduser(p) for p in paths.split(os.pathsep) if p] if paths else None
    tree = reverse_dependencies(
        pkg,
        state.config,
        depth=depth,
        paths=search_paths,
        build_requires=build_requires,
        private_build_requires=private_build_requires,
    )
    if print_graph:
        click.echo(tree.to_dot())
        return
    if write_graph or graph:
        import tempfile

        from pkg.api._graph import save_graph

        target = write_graph or os.path.join(tempfile.mkdtemp(prefix="pkg-depends-"), "graph.png")
        written = save_graph(tree.to_dot(), target)
        if graph and not write_graph:
            click.echo(f"graph written to {written}")
        return
    for i, level in enumerate(tree.levels):
        click.echo(" ".join(level if quiet else [f"#{i}:", *level]))
