"""``pkg bundle CONTEXT DEST_DIR``: copy a context and its packages into a relocatable
directory, like ``rez-bundle``.

CONTEXT is a ``.rxt`` file, or a request (``"foo-1 bar"``) resolved now.  The bundle
holds ``context.rxt``, ``bundle.yaml`` and a ``packages`` repository with every resolved
variant; ``pkg env -i DEST_DIR/context.rxt`` (or ``rez-env --input``) uses it from wherever
the directory is moved.  See ``docs/contexts.md``.
"""

from __future__ import annotations

import os

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["bundle_command"]


@click.command("bundle")
@click.argument("source", metavar="CONTEXT")
@click.argument("dest_dir", metavar="DEST_DIR")
@click.option(
    "-s",
    "--skip-non-relocatable",
    is_flag=True,
    help="Leave non-relocatable packages out of the bundle, rather than fail.",
)
@click.option(
    "-f",
    "--force",
    is_flag=True,
    help="Bundle packages even if they are not relocatable (use at your own risk).",
)
@click.option(
    "-n",
    "--no-lib-patch",
    is_flag=True,
    help="Don't rewrite library rpaths that point into other bundled packages.",
)
@pass_state
def bundle_command(
    state: AppState,
    /,
    source: str,
    dest_dir: str,
    skip_non_relocatable: bool,
    force: bool,
    no_lib_patch: bool,
) -> None:
    """Bundle a context (a .rxt file, or a request) and its packages into DEST_DIR.

    DEST_DIR must not exist; it appears complete or not at all.
    """
    from pkg.api.bundle import bundle_context
    from pkg.errors import UsageError

    chosen = [flag for flag, on in (("-s", skip_non_relocatable), ("-f", force)) if on]
    if no_lib_patch:
        chosen.append("-n")
    if len(chosen) > 1:  # one argparse group in rez-bundle
        raise UsageError(f"options {' and '.join(chosen)} cannot be used together")
    verbose = state.verbosity > 0

    def show(line: str) -> None:
        if verbose or line.startswith("warning:"):
            click.echo(line, err=True)

    label = os.path.abspath(os.path.expanduser(source)) if os.path.exists(source) else source
    dest = os.path.abspath(os.path.expanduser(dest_dir))
    click.echo(f"Bundling {label} into {dest}...", err=True)
    report = bundle_context(
        source,
        dest_dir,
        state.config,
        force=force,
        skip_non_relocatable=skip_non_relocatable,
        patch_libs=not no_lib_patch,
        on_message=show,
    )
    if verbose:
        click.echo(f"Bundled context written to {report.dest / 'context.rxt'}", err=True)
