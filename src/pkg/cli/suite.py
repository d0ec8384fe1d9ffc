"""``pkg suite``: create, edit and inspect a suite, like ``rez-suite``.

A suite is a directory of saved contexts whose tools are exposed as wrappers in its
``bin`` directory (put it on ``PATH``).  One operation runs per call, chosen in Rez's
order; the options that act on one context need ``-c NAME``.  See ``docs/suites.md``.
"""

from __future__ import annotations

import sys

import click

from pkg.cli._state import AppState, pass_state

__all__ = ["suite_command"]


@click.command("suite")
@click.argument("directory", metavar="[DIR]", required=False)
@click.option("-l", "--list", "list_", is_flag=True, help="List the suites visible on PATH.")
@click.option(
    "-t", "--tools", "print_tools", is_flag=True, help="List the suite's tools (-v: all)."
)
@click.option("--which", metavar="TOOL", help="Print the path of TOOL's wrapper in the suite.")
@click.option("--validate", is_flag=True, help="Check every context and its packages.")
@click.option("--create", is_flag=True, help="Create an empty suite at DIR.")
@click.option(
    "-c", "--context", "context_name", metavar="NAME", help="The context an option acts on."
)
@click.option("-i", "--interactive", is_flag=True, help="Start a shell in context NAME (-c).")
@click.option("-a", "--add", metavar="RXT", help="Add the context saved in RXT as NAME (-c).")
@click.option(
    "-P",
    "--prefix-char",
    metavar="CHAR",
    help="With --add: the character of the wrapper options (default: the "
    "suite_alias_prefix_char setting, '+'); '' turns them off.",
)
@click.option("-r", "--remove", metavar="NAME", help="Remove context NAME.")
@click.option("-d", "--description", metavar="DESC", help="Accepted for Rez compatibility; unused.")
@click.option(
    "-p", "--prefix", metavar="PREFIX", help="Expose the tools of context NAME (-c) as PREFIX+tool."
)
@click.option(
    "-s", "--suffix", metavar="SUFFIX", help="Expose the tools of context NAME (-c) as tool+SUFFIX."
)
@click.option("--hide", metavar="TOOL", help="Hide TOOL of context NAME (-c).")
@click.option("--unhide", metavar="TOOL", help="Unhide TOOL of context NAME (-c).")
@click.option(
    "--alias",
    nargs=2,
    metavar="TOOL ALIAS",
    help="Expose TOOL of context NAME (-c) as ALIAS.",
)
@click.option("--unalias", metavar="TOOL", help="Remove the alias of TOOL of context NAME (-c).")
@click.option("-b", "--bump", metavar="NAME", help="Make context NAME's tools win over the others.")
@click.option("--find-request", metavar="PKG", help="List the contexts whose request names PKG.")
@click.option(
    "--find-resolve",
    metavar="PKG",
    help="List the contexts whose resolve satisfies PKG (a request; '!foo': no foo).",
)
@pass_state
def suite_command(
    state: AppState,
    directory: str | None,
    list_: bool,
    print_tools: bool,
    which: str | None,
    validate: bool,
    create: bool,
    context_name: str | None,
    interactive: bool,
    add: str | None,
    prefix_char: str | None,
    remove: str | None,
    description: str | None,
    prefix: str | None,
    suffix: str | None,
    hide: str | None,
    unhide: str | None,
    alias: tuple[str, str] | None,
    unalias: str | None,
    bump: str | None,
    find_request: str | None,
    find_resolve: str | None,
) -> None:
    """Manage the suite in DIR, or print what it holds (-t: its tools)."""
    from pkg.api import suite as api
    from pkg.cli.context import echo_lines
    from pkg.errors import UsageError

    del description  # accepted and unused, as in Rez
    if list_:
        for path in api.visible_suites() or ["No visible suites."]:
            click.echo(path)
        return
    if not directory:
        raise UsageError("DIR required.")
    needs_context = {
        "--add": add,
        "--prefix": prefix,
        "--suffix": suffix,
        "--hide": hide,
        "--unhide": unhide,
        "--alias": alias,
        "--unalias": unalias,
        "--interactive": interactive or None,
    }
    for flag, value in needs_context.items():
        if value is not None and not context_name:
            raise UsageError(f"--context must be supplied when using {flag}")
    config = state.config
    report = click.echo if state.verbosity else None
    if create:
        api.create_suite(directory, config, report)
        return
    suite = api.load_suite(directory, config)
    if interactive:
        from pkg.api.env import EnvContext, spawn_shell

        assert context_name is not None
        context = suite.context(context_name)
        path = str(suite.context_path(context_name))
        sys.exit(spawn_shell(EnvContext(None, context, path), config))
    if validate:
        from pkg.errors import PkgError

        try:
            api.validate_suite(suite, config)
        except PkgError as error:
            click.echo(f"The suite is invalid:\n{error}", err=True)
            sys.exit(1)
        click.echo("The suite is valid.")
        return
    if find_request or find_resolve:
        for name in suite.find_contexts(find_request, find_resolve):
            click.echo(name)
        return
    if print_tools:
        echo_lines(api.tool_lines(suite, verbose=bool(state.verbosity), context=context_name))
        return
    if which:
        found = suite.tool_path(which)
        if found is None:
            sys.exit(1)
        click.echo(str(found))
        return
    edited = api.edit_suite(
        suite,
        context_name or "",
        add=add,
        prefix_char=prefix_char,
        remove=remove,
        prefix=prefix,
        suffix=suffix,
        hide=hide,
        unhide=unhide,
        alias=alias,
        unalias=unalias,
        bump=bump,
        report=report,
    )
    if not edited:
        if context_name:
            echo_lines(api.context_lines(suite, context_name, config, verbosity=state.verbosity))
        else:
            for line in api.info_lines(suite, verbose=bool(state.verbosity)):
                click.echo(line)
        return
    if report is not None:
        report(f"saving suite to {directory!r}...")
    suite.save(directory)
