"""``pkg diff``: compare the source of two packages in the configured diff tool, like
``rez-diff``.
"""

from __future__ import annotations

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["diff_command"]


@click.command("diff")
@click.argument("pkg1", metavar="PKG1")
@click.argument("pkg2", metavar="PKG2", required=False)
@pass_state
def diff_command(state: AppState, pkg1: str, pkg2: str | None) -> None:
    """Compare the source of package PKG1 (e.g. 'foo-1.2') with PKG2, or with the
    previous version of PKG1 when PKG2 is not given, in the difftool setting's tool.

    Released git packages are compared by their source at the released commit; other
    packages by their directories in the repository.
    """
    from pkg.api.diff import plan_diff, run_diff

    config = state.config
    plan = plan_diff(pkg1, pkg2, config)
    run_diff(plan, config, report=click.echo)
