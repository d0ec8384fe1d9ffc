"""``pkg release``: build the package in the current directory and release it into
``release_packages_path``, like ``rez-release``, all or nothing.

The variants build concurrently (``-j N``) into a staging area and are published
together; the repository is then tagged.  ``--dry-run`` shows the plan and the checks'
results without changing anything.  Arguments after ``--`` go to the build system (as
``--ba``), those after a second ``--`` to its child (as ``--cba``).  See
``docs/releasing.md``.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click
from click import get_current_context

from pkg.cli._grouped import arg_groups
from pkg.cli._options import IntegersOption, backend_option, build_args_options, events_option
from pkg.cli._state import AppState, pass_state
from pkg.cli.build import _args, _BuildCommand

if TYPE_CHECKING:
    from pkg.api.release import ReleaseReport, ReleaseSetup
    from pkg.config import Config

__all__ = ["release_command"]

#: The first line of the release message template (removed from the message).
_HEADER = "<Enter your release notes here>"
#: The line after which the template's changelog starts (removed with it).
_CHANGELOG_MARK = "###<CHANGELOG>"


@click.command(
    "release",
    cls=_BuildCommand,
    context_settings={"ignore_unknown_options": True},
)
@click.option("-m", "--message", help="The release message.")
@click.option(
    "-F",
    "--message-file",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="Read the release message from this file ('-' for standard input).",
)
@click.option(
    "--no-message", is_flag=True, help="Do not ask for a release message (prompt_release_message)."
)
@click.option("--vcs", metavar="NAME", help="The version control system (git, stub, ...).")
@click.option(
    "--no-latest", is_flag=True, help="Allow releasing a version below the latest released one."
)
@click.option(
    "--ignore-existing-tag",
    is_flag=True,
    help="Release even if the repository is already tagged with this version "
    "(only matters when plugins.release_vcs.check_tag is on).",
)
@click.option(
    "--skip-repo-errors",
    is_flag=True,
    help="Release even when the version control system reports errors (they become "
    "warnings). Use only when you must.",
)
@click.option(
    "--variants",
    cls=IntegersOption,
    type=int,
    multiple=True,
    metavar="INDEX...",
    help="Release only these variants (0-based; negative indices count from the end).",
)
@click.option(
    "-b",
    "--build-system",
    "build_system",
    metavar="NAME",
    help="The build system to use; by default it is detected.",
)
@build_args_options()
@click.option(
    "--view-pre", is_flag=True, help="Print the preprocessed package definition and exit."
)
@click.option(
    "--process",
    type=click.Choice(["local", "remote"]),
    default="local",
    show_default=True,
    help="The build process (only local is available).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show the variants, target, tag and previous release, and the checks' results; "
    "change nothing.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Tasks to run at once (default: build_thread_count).",
)
@click.option(
    "--keep-going", is_flag=True, help="Refused: a release is all or nothing.", hidden=True
)
@events_option()
@backend_option("the release runs")
@click.argument("custom_args", nargs=-1, type=click.UNPROCESSED, metavar="[ARGS]...")
@pass_state
def release_command(
    state: AppState,
    /,
    message: str | None,
    message_file: str | None,
    no_message: bool,
    vcs: str | None,
    no_latest: bool,
    ignore_existing_tag: bool,
    skip_repo_errors: bool,
    variants: tuple[int, ...],
    build_system: str | None,
    build_args: str | None,
    child_build_args: str | None,
    view_pre: bool,
    process: str,
    dry_run: bool,
    jobs: int | None,
    keep_going: bool,
    events: str,
    backend: str,
    custom_args: tuple[str, ...],
    **system_options: Any,
) -> None:
    """Build the package in the current directory and release it.

    Checks the release path, the repository, the tag, the uuid and the latest released
    version; builds every variant from clean; publishes all of them at once with the
    release data (revision, changelog, message); then tags the repository.  If anything
    fails before the publish, nothing is released and nothing is tagged.
    """
    from pkg.cli._usage import api_usage_errors
    from pkg.errors import UsageError

    ctx = get_current_context()
    if keep_going:
        raise UsageError(
            "--keep-going is not allowed for a release: a release publishes all of its "
            "variants or none; use 'pkg build --keep-going' to try the variants first"
        )
    if process != "local":
        raise UsageError("the 'remote' build process is not available; use --process local")
    if message is not None and message_file is not None:
        raise UsageError("give the release message with -m or with -F, not both")
    config = state.config
    if view_pre:
        from pkg.api.build import preprocessed_package

        click.echo(preprocessed_package(os.getcwd(), config), nl=False)
        return
    if message_file is not None:
        message = _read_message(message_file)
    groups = [*arg_groups(ctx), (), ()]
    from pkg.api.release import prepare_release

    def prepare(message: str | None) -> ReleaseSetup:
        with api_usage_errors():
            return prepare_release(
                os.getcwd(),
                config,
                message=message,
                vcs=vcs,
                variants=list(variants) or None,
                build_system=build_system,
                build_args=_args("--ba", build_args, groups[0]),
                child_build_args=_args("--cba", child_build_args, groups[1]),
                custom_args=custom_args,
                system_options={k: v for k, v in system_options.items() if v is not None},
                ignore_existing_tag=ignore_existing_tag,
                skip_repo_errors=skip_repo_errors,
                no_latest=no_latest,
            )

    setup = prepare(message)
    if dry_run:
        ctx.exit(_dry_run(setup, config))
    if message is None and not no_message and config.prompt_release_message and setup.plans:
        setup = prepare(_ask_message(setup, config))
    report = _run(
        setup, config, jobs=jobs, events=events, backend=backend, verbosity=state.verbosity
    )
    ctx.exit(_summarise(report, err=events == "json"))


def _read_message(path: str) -> str:
    if path == "-":
        return sys.stdin.read().strip()
    with open(path, encoding="utf-8") as stream:
        return stream.read().strip()


def _ask_message(setup: ReleaseSetup, config: Config) -> str | None:
    """Ask for the release message in ``$EDITOR`` (``prompt_release_message``), as Rez
    does: a template with the changelog for reference, stripped afterwards."""
    import hashlib
    import subprocess
    import tempfile

    from pkg.api.release import release_changelog
    from pkg.errors import UsageError

    if not sys.stdin.isatty():
        raise UsageError(
            "prompt_release_message is on but there is no terminal to ask on; "
            "give the message with -m or -F, or use --no-message"
        )
    editor = config.editor or os.environ.get("EDITOR") or "vi"
    digest = hashlib.sha1(setup.source_dir.encode("utf-8")).hexdigest()
    path = os.path.join(config.tmpdir or tempfile.gettempdir(), f"pkg-release-message-{digest}.txt")
    if not os.path.exists(path):
        text = _HEADER
        changelog = release_changelog(setup, config)
        if changelog:
            text += (
                f"\n\n{_CHANGELOG_MARK} For reference only: this line and the ones after "
                f"it are removed from the release message.\n\n{changelog}"
            )
        with open(path, "w", encoding="utf-8") as stream:
            stream.write(text + "\n")
    subprocess.call([*editor.split(), path])
    with open(path, encoding="utf-8") as stream:
        text = stream.read()
    text = text.split(_CHANGELOG_MARK, 1)[0].replace(_HEADER, "").strip()
    if not text and not click.confirm("Empty release message. Continue the release?"):
        click.echo("Release aborted.", err=True)
        get_current_context().exit(1)
    os.remove(path)
    return text or None


def _dry_run(setup: ReleaseSetup, config: Config) -> int:
    """Print the plan and every check's result; 0 if the release would go ahead."""
    from pkg.api.release import check_release

    package = setup.package
    click.echo(f"Release of {package.qualified_name} (dry run: nothing is changed)")
    click.echo(f"  target:   {setup.options.release_path}")
    click.echo(f"  vcs:      {setup.vcs.name} ({setup.vcs.root})")
    click.echo(f"  tag:      {setup.options.tag}")
    click.echo(f"  build:    {setup.system}, central, from clean")
    for plan in setup.plans:
        click.echo(f"  variant:  {plan.label} -> {plan.install_path}")
    for plan in setup.skipped:
        click.echo(f"  skipped:  {plan.label} (released already: {plan.install_path})")
    hooks = ", ".join(hook.name for hook in setup.hooks) or "none"
    click.echo(f"  hooks:    {hooks}")
    checks, data = check_release(setup, config)
    click.echo(f"  previous: {data.previous_version or 'none'}")
    click.echo("Checks:")
    for check in checks:
        click.echo(
            f"  {check.name}: {check.status}" + (f" ({check.detail})" if check.detail else "")
        )
    for warning in data.warnings:
        click.echo(f"  warning: {warning}")
    failed = [check for check in checks if not check.ok]
    if failed:
        click.echo(f"The release would be refused: {failed[0].detail}", err=True)
        return 1
    if not setup.plans:
        click.echo("Nothing to release: every variant is released already.")
    return 0


def _run(
    setup: ReleaseSetup,
    config: Config,
    *,
    jobs: int | None,
    events: str,
    backend: str,
    verbosity: int,
) -> ReleaseReport:
    from rich.console import Console

    from pkg.api.release import release_package
    from pkg.cli._progress import make_display

    console = Console()
    if events != "json":
        click.echo(f"Releasing {setup.package.qualified_name} with {setup.system}...")
        for plan in setup.skipped:
            click.echo(f"Skipping {plan.label}: released already ({plan.install_path})")
    with make_display(console, mode=events, verbose=verbosity) as display:  # type: ignore[arg-type]
        return release_package(
            setup,
            config,
            jobs=jobs,
            backend=backend,  # type: ignore[arg-type]
            on_event=display,
        )


def _summarise(report: ReleaseReport, *, err: bool) -> int:
    """Say what was released, tagged and what failed; return the exit status."""
    setup = report.setup
    package = setup.package.qualified_name
    published = report.published
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not setup.plans and report.ok:
        click.echo(
            f"\nNothing to release: every variant of {package} is released already.", err=err
        )
        return 0
    failures = report.failures()
    if published:
        total = len(setup.plans) + len(setup.skipped)
        click.echo(
            f"\n{len(published)} of {total} releases were successful: {package} is in "
            f"{setup.options.release_path}",
            err=err,
        )
        if setup.state.tagged:
            pushed = "" if setup.state.pushed else " (not pushed)"
            click.echo(f"Tagged {setup.options.tag!r}{pushed}.", err=err)
        if failures:
            task, reason = failures[0]
            click.echo(
                f"{package} is released, but {task} failed: {reason}; "
                f"create or push the tag {setup.options.tag!r} by hand",
                err=True,
            )
            return 1
        if report.interrupted:
            click.echo("The release was interrupted after the publish.", err=True)
            return 130
        return 0
    if report.interrupted:
        click.echo(f"The release of {package} was interrupted; nothing was released.", err=True)
        return 130
    if failures:
        task, reason = failures[0]
        click.echo(f"The release of {package} failed ({task}): {reason}", err=True)
        click.echo("Nothing was released and nothing was tagged.", err=True)
        return 1
    return 0 if report.ok else 1
