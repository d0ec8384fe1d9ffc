"""``pkg.api.release``: release a source package into ``release_packages_path``, as
``rez-release`` does, all or nothing.

:func:`prepare_release` loads the package, finds its VCS and hooks, plans the variants
(skipping those already released) and makes the release's task graph
(:mod:`pkg.tasks.release`); :func:`release_package` runs it and returns a
:class:`ReleaseReport`; :func:`check_release` runs only the checks (``--dry-run``).
See ``docs/releasing.md``.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.api._paths import nonlocal_packages_path
from pkg.api._report import RunReport
from pkg.api.build import context_resolver, prepare_build
from pkg.errors import UsageError, VcsError
from pkg.orchestrator import Graph, RunError, TaskStatus, run_graph
from pkg.tasks.release import (
    CHECKS,
    CheckResult,
    ReleaseData,
    ReleaseOptions,
    ReleaseState,
    already_released,
    gather_release_data,
    release_tasks,
    run_checks,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from pkg.config import Config
    from pkg.hooks import ReleaseHook
    from pkg.orchestrator import Backend, RunResult
    from pkg.orchestrator.events import EventHandler
    from pkg.packages import Package, Variant
    from pkg.tasks.build import BuildOptions, ContextResolver, VariantPlan
    from pkg.tasks.release import PreReleaseTests
    from pkg.vcs import ReleaseVCS

__all__ = [
    "CHECKS",
    "CheckResult",
    "ReleaseReport",
    "ReleaseSetup",
    "check_release",
    "prepare_release",
    "release_changelog",
    "release_package",
]


@dataclass(frozen=True)
class ReleaseSetup:
    """A release ready to run.

    Attributes:
        package: the developer package.
        source_dir: its directory.
        system: the build system's name.
        build_options: how variants are built (central, clean, installing).
        options: the release options (path, tag, message, checks).
        plans: the variants to release.
        skipped: the variants asked for that are released already (Rez skips them).
        vcs: the version control system.
        hooks: the release hooks, in order.
        state: what the run does, filled in as it goes.
        graph: the release's tasks.
        log_dir: where each task's log goes (``<build>/logs``).
    """

    package: Package
    source_dir: str
    system: str
    build_options: BuildOptions
    options: ReleaseOptions
    plans: tuple[VariantPlan, ...]
    skipped: tuple[VariantPlan, ...]
    vcs: ReleaseVCS
    hooks: tuple[ReleaseHook, ...]
    state: ReleaseState
    graph: Graph
    log_dir: Path


@dataclass(frozen=True)
class ReleaseReport(RunReport):
    """The outcome of :func:`release_package`.

    Attributes:
        setup: what was released.
        result: the run's result (every task's outcome).
    """

    setup: ReleaseSetup
    result: RunResult

    @property
    def published(self) -> list[Variant]:
        """The variants published (all of the release's, or none)."""
        return list(self.setup.state.published)

    @property
    def warnings(self) -> list[str]:
        return list(self.setup.state.warnings)

    def failures(self) -> list[tuple[str, str]]:
        """(task, one-line reason) of each task that failed, in graph order."""
        found = []
        for name in self.setup.graph.order:
            outcome = self.result.outcomes.get(name)
            if outcome is not None and outcome.status is TaskStatus.FAILED:
                reason = " ".join(str(outcome.error or outcome.reason).split())
                found.append((name, reason or "failed"))
        return found


def _release_path(config: Config) -> str:
    return os.path.abspath(os.path.expanduser(config.release_packages_path))


def _tag_name(package: Package, template: str) -> str:
    """``plugins.release_vcs.tag_name`` expanded from the package's attributes
    (``unversioned`` when that is empty, as in Rez)."""
    from pkg.api._format import format_object

    try:
        tag = format_object(template, package)
    except (ValueError, TypeError) as error:
        raise UsageError(
            f"plugins.release_vcs.tag_name {template!r} cannot be formatted: {error}"
        ) from None
    return tag or "unversioned"


def prepare_release(
    source_dir: str,
    config: Config,
    *,
    message: str | None = None,
    vcs: str | None = None,
    variants: Sequence[int] | None = None,
    build_system: str | None = None,
    build_args: Sequence[str] = (),
    child_build_args: Sequence[str] = (),
    custom_args: Sequence[str] = (),
    system_options: Mapping[str, object] | None = None,
    ignore_existing_tag: bool = False,
    skip_repo_errors: bool = False,
    no_latest: bool = False,
    hooks: Sequence[ReleaseHook] | None = None,
    resolver: ContextResolver | None = None,
    parent_environ: Mapping[str, str] | None = None,
) -> ReleaseSetup:
    """Load the package in ``source_dir`` and plan its release into
    ``release_packages_path``.  Nothing is checked or changed yet.

    Args:
        source_dir: the source directory (holding ``package.py``).
        config: the configuration.
        message: the release message (``-m``).
        vcs: force a VCS plugin (``--vcs``); by default it is detected.
        variants: release only these indices (negative from the end).
        build_system, build_args, child_build_args, custom_args, system_options: as for
            :func:`pkg.api.build.prepare_build`.
        ignore_existing_tag: do not refuse when the tag exists (``--ignore-existing-tag``).
        skip_repo_errors: VCS errors become warnings (``--skip-repo-errors``).
        no_latest: allow releasing below the latest released version (``--no-latest``).
        hooks: the release hooks (default: those named by ``release_hooks``).
        resolver: resolves build contexts (default: over ``packages_path`` without
            ``local_packages_path``, as central builds do).
        parent_environ: the environment builds start from (default: this process's).

    Raises:
        VcsError: no VCS is associated with ``source_dir`` (or ``vcs`` is unknown).
        ReleaseHookError: a hook named by ``release_hooks`` is unknown.
        UsageError, BuildSystemError, BuildError, PackageDefinitionError: as
            :func:`pkg.api.build.prepare_build`.
    """
    from pkg.repositories._atomic import temp_sibling
    from pkg.vcs import detect_vcs

    source_dir = os.path.abspath(source_dir)
    release_path = _release_path(config)
    build = prepare_build(
        source_dir,
        config,
        install=True,
        prefix=release_path,
        clean=True,
        variants=variants,
        build_system=build_system,
        build_args=build_args,
        child_build_args=child_build_args,
        custom_args=custom_args,
        system_options=system_options,
        build_type="central",
        resolver=resolver,
        parent_environ=parent_environ,
    )
    package = build.package
    config = build.config or config  # with the package's own ``config`` section applied
    settings = config.plugins.release_vcs
    found_vcs = detect_vcs(Path(source_dir), settings, vcs)
    version = str(package.version)
    tag = f"release-{package.name}-{version}" if version else f"release-{package.name}"
    state = ReleaseState(stage=temp_sibling(Path(release_path, package.name), tag))
    if hooks is None:
        from pkg.hooks import load_release_hooks

        hooks = load_release_hooks(
            config.release_hooks, Path(source_dir), config, log=state.hook_lines.append
        )
    options = ReleaseOptions(
        release_path=release_path,
        tag=_tag_name(package, settings.tag_name),
        message=message,
        check_tag=settings.check_tag and not ignore_existing_tag,
        skip_repo_errors=skip_repo_errors,
        ensure_latest=not no_latest,
        max_changelog_revisions=config.max_package_changelog_revisions,
        max_changelog_chars=config.max_package_changelog_chars,
    )
    skipped_at = already_released(build.plans, release_path, config)
    plans = tuple(p for i, p in enumerate(build.plans) if i not in skipped_at)
    skipped = tuple(p for i, p in enumerate(build.plans) if i in skipped_at)
    tasks = release_tasks(
        package,
        plans,
        build.options,
        options,
        config,
        resolver or context_resolver(config, nonlocal_packages_path(config)),
        found_vcs,
        hooks,
        state,
        tests=_pre_release_tests(package, config, parent_environ),
    )
    return ReleaseSetup(
        package=package,
        source_dir=source_dir,
        system=build.system,
        build_options=build.options,
        options=options,
        plans=plans,
        skipped=skipped,
        vcs=found_vcs,
        hooks=tuple(hooks),
        state=state,
        graph=Graph.from_tasks(tasks),
        log_dir=build.log_dir,
    )


def _pre_release_tests(
    package: Package, config: Config, parent_environ: Mapping[str, str] | None
) -> PreReleaseTests | None:
    """What runs the package's ``pre_release`` tests (with ``pkg test``'s machinery)
    against the release candidate, or None when the package has no such tests."""
    from pkg.tasks.test import package_test_names

    if not package_test_names(package, run_on=["pre_release"]):
        return None

    def run(repository: str) -> str | None:
        from pkg.api.test import find_test_package, run_package_tests

        candidate = find_test_package(
            f"{package.name}=={package.version}", config, paths=[repository]
        )
        report = run_package_tests(
            candidate,
            config,
            run_on=["pre_release"],
            paths=[repository, *nonlocal_packages_path(config)],
            stop_on_fail=True,
            parent_environ=dict(parent_environ) if parent_environ is not None else None,
        )
        if report.exit_code == 0:
            return None
        failed = [r for r in report.results() if r.status == "failed"]
        if not failed:
            return "interrupted" if report.result.interrupted else "failed"
        first = failed[0]
        where = f" on {first.variant.qualified_name}" if first.variant is not None else ""
        return f"test {first.test!r}{where}: {' '.join(first.description.split())}"

    return run


def release_package(
    setup: ReleaseSetup,
    config: Config,
    *,
    jobs: int | None = None,
    backend: Backend = "asyncio",
    on_event: EventHandler | None = None,
    on_start: Callable[[ReleaseSetup], None] | None = None,
) -> ReleaseReport:
    """Run the release ``setup``: all of its variants are published, or none.

    Variants build concurrently, at most ``jobs`` tasks at once (default:
    ``build_thread_count``); the first failure stops the release.  If the run did not
    publish (a check refused, a build failed, a hook cancelled, Ctrl-C), the stage is
    deleted and the release repository is as it was; no tag is created.  A failure after
    the publish (tagging, pushing the tag) leaves the release published; the report
    says so.

    Returns:
        The report; check :attr:`ReleaseReport.ok` and :attr:`ReleaseReport.published`.
    """
    from pkg.repositories import delete_path

    if on_start is not None:
        on_start(setup)
    try:
        result = run_graph(
            setup.graph,
            backend=backend,
            on_event=on_event,
            jobs=jobs if jobs is not None else config.build_thread_count,
            log_dir=setup.log_dir,
        )
    except RunError as error:
        result = error.result
    finally:
        stage = setup.state.stage
        if os.path.lexists(stage):
            with contextlib.suppress(OSError):
                delete_path(stage)
    return ReleaseReport(setup, result)


def check_release(setup: ReleaseSetup, config: Config) -> tuple[list[CheckResult], ReleaseData]:
    """Every check's result and the release data, changing nothing (``--dry-run``).

    The checks all run (a failure does not stop the others), and the repository check
    does not contact the remote (git compares with the last fetch).  VCS errors while
    gathering the data become warnings in :attr:`ReleaseData.warnings`.
    """
    from dataclasses import replace

    options = replace(setup.options, fetch=False)
    checks = run_checks(setup.package, setup.vcs, options, config, stop_at_failure=False)
    data = gather_release_data(
        setup.package, setup.vcs, replace(options, skip_repo_errors=True), config
    )
    return checks, data


def release_changelog(setup: ReleaseSetup, config: Config) -> str | None:
    """The changelog since the previous release (for the release message template), or
    None if the VCS cannot tell."""
    try:
        return gather_release_data(setup.package, setup.vcs, setup.options, config).changelog
    except VcsError:
        return None
