"""The pipeline of ``pkg release``, as one graph of orchestrator tasks.

:func:`release_tasks` makes, in this order (each stage waits for the one before)::

    release:checks -> release:pre_build -> evaluate/resolve/build/stage per variant
        -> release:tests -> release:pre_release -> release:publish -> release:tag
        -> release:push_tag -> release:post_release

``release:checks``
    runs Rez's release checks in its order (:func:`run_checks`) and gathers the release
    data (:func:`gather_release_data`): previous release, revision, changelog.
``release:pre_build``, ``release:pre_release``, ``release:post_release``
    call the release hooks at that point, one after the other.  A hook raising
    :class:`~pkg.hooks.ReleaseHookCancelled` before the publish cancels the release;
    other hook errors are warnings, as in Rez.
evaluate, resolve, build (:mod:`pkg.tasks.build`), then ``stage:<pkg>[i]``
    build each variant from clean, as a central build, into its build directory, then
    copy its payload into the release's *stage*: one hidden directory in the release
    repository.  Variants build and stage concurrently.
``release:tests`` (only for a package with ``pre_release`` tests)
    installs the staged variants into a throw-away repository in the build directory
    and runs the package's ``pre_release`` tests against it (:data:`PreReleaseTests`);
    a failing test stops the release.
``release:publish``
    publishes every staged variant at once under the family's lock
    (:func:`pkg.repositories.publish_staged`), with the release data in ``package.py``.
``release:tag``, ``release:push_tag``
    tag the released revision and push the tag.

Nothing changes the release repository before ``release:publish``; the caller deletes
the stage when the run did not publish (a failure, a cancelling hook, Ctrl-C).  The
tasks record what they did in a :class:`ReleaseState`.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pkg.errors import PkgError, VcsError
from pkg.orchestrator import Task
from pkg.tasks.build import copy_payload, stage_include_modules, variant_tasks

if TYPE_CHECKING:
    from collections.abc import Awaitable, Sequence
    from pathlib import Path

    from pkg.config import Config
    from pkg.hooks import ReleaseHook, ReleaseInfo
    from pkg.orchestrator import TaskContext
    from pkg.packages import Package, Variant
    from pkg.tasks.build import BuildOptions, ContextResolver, VariantPlan
    from pkg.vcs import ReleaseVCS

__all__ = [
    "CHECKS",
    "CheckResult",
    "PreReleaseTests",
    "ReleaseCancelledError",
    "ReleaseCheckError",
    "ReleaseData",
    "ReleaseOptions",
    "ReleaseState",
    "ReleaseTestsFailedError",
    "already_released",
    "gather_release_data",
    "release_tasks",
    "run_checks",
    "truncate_changelog",
]

#: The task names of the release's own stages.
CHECKS_TASK = "release:checks"
PRE_BUILD_TASK = "release:pre_build"
TESTS_TASK = "release:tests"
PRE_RELEASE_TASK = "release:pre_release"
PUBLISH_TASK = "release:publish"
TAG_TASK = "release:tag"
PUSH_TASK = "release:push_tag"
POST_RELEASE_TASK = "release:post_release"
#: The checks, in the order Rez makes them.
CHECKS = ("release path", "repository state", "existing tag", "uuid", "latest version")

HookPoint = Literal["pre_build", "pre_release", "post_release"]
#: Runs the ``pre_release`` tests of the package released, found in the repository at the
#: given path (with the release's variants only); returns None when they passed, else a
#: one-line reason.  Blocking.  :mod:`pkg.api.release` supplies one over ``pkg test``.
PreReleaseTests = Callable[[str], str | None]
#: The throw-away repository the ``pre_release`` tests run against, in the build directory.
TESTS_REPOSITORY = ".pkg-release-tests"


class ReleaseCheckError(PkgError):
    """A release check refused the release; the message says what to do.

    Attributes:
        check: the check's name (one of :data:`CHECKS`).
    """

    def __init__(self, check: str, message: str) -> None:
        self.check = check
        super().__init__(message)


class ReleaseCancelledError(PkgError):
    """A release hook cancelled the release."""


class ReleaseTestsFailedError(PkgError):
    """A ``pre_release`` test of the package failed."""


@dataclass(frozen=True, slots=True)
class ReleaseOptions:
    """How to release (the flags of ``pkg release`` and the settings they override).

    Attributes:
        release_path: the repository released into (``release_packages_path``).
        tag: the tag name (``plugins.release_vcs.tag_name`` formatted for the package).
        message: the release message, or None.
        check_tag: refuse when the tag exists (``plugins.release_vcs.check_tag``, unless
            ``--ignore-existing-tag``).
        skip_repo_errors: turn errors of the VCS into warnings (``--skip-repo-errors``).
        ensure_latest: refuse when a newer version is released (not ``--no-latest``).
        max_changelog_revisions: ``max_package_changelog_revisions``.
        max_changelog_chars: ``max_package_changelog_chars``.
        fetch: let the repository check contact the remote.
    """

    release_path: str
    tag: str
    message: str | None = None
    check_tag: bool = False
    skip_repo_errors: bool = False
    ensure_latest: bool = True
    max_changelog_revisions: int = 0
    max_changelog_chars: int = 0
    fetch: bool = True


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one release check.

    Attributes:
        name: the check (one of :data:`CHECKS`).
        status: ``passed``, ``failed``, ``warning`` (an error skipped with
            ``--skip-repo-errors``) or ``skipped`` (disabled by an option or setting).
        detail: what was found; for a failure, the refusal and what to do.
    """

    name: str
    status: Literal["passed", "failed", "warning", "skipped"]
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass(frozen=True, slots=True)
class ReleaseData:
    """What is written into the released ``package.py`` besides the package itself.

    Attributes:
        vcs: the VCS plugin's name.
        revision: the released revision (None if the VCS failed and the error was
            skipped).
        changelog: changes since the previous release, truncated.
        previous_version: the highest released version below this one, if any.
        previous_revision: that release's revision, if any.
        warnings: VCS errors skipped with ``--skip-repo-errors``.
    """

    vcs: str
    revision: object | None
    changelog: str | None
    previous_version: str | None
    previous_revision: object | None
    warnings: tuple[str, ...] = ()

    def attributes(self, message: str | None) -> dict[str, object]:
        """The release attributes Rez writes (those with no value are left out)."""
        values: dict[str, object | None] = {
            "release_message": message,
            "changelog": self.changelog,
            "vcs": self.vcs,
            "revision": self.revision,
            "previous_version": self.previous_version,
            "previous_revision": self.previous_revision,
        }
        return {key: value for key, value in values.items() if value is not None}


@dataclass
class ReleaseState:
    """What the release tasks did, for the caller (filled in as the run goes).

    Attributes:
        stage: the hidden staging directory in the release repository.
        checks: the checks' results.
        data: the release data, once gathered.
        published: the variants published (empty until the publish succeeded).
        tagged: the tag was created.
        pushed: the tag was pushed.
        warnings: problems that did not stop the release.
        hook_lines: lines the hooks logged, not yet copied to the running task's log
            (give ``hook_lines.append`` to the hooks as their ``log``).
    """

    stage: Path
    checks: list[CheckResult] = field(default_factory=list)
    data: ReleaseData | None = None
    published: list[Variant] = field(default_factory=list)
    tagged: bool = False
    pushed: bool = False
    warnings: list[str] = field(default_factory=list)
    hook_lines: list[str] = field(default_factory=list)


def truncate_changelog(changelog: str | None, max_chars: int) -> str | None:
    """``changelog`` cut to ``max_chars`` plus ``...`` when it is longer than
    ``max_chars + 3`` (Rez's rule; 0 or less: no limit)."""
    if max_chars > 0 and changelog and len(changelog) > max_chars + 3:
        return changelog[:max_chars] + "..."
    return changelog


def _released(package: Package, release_path: str, config: Config) -> list[Package]:
    """The released versions of ``package``'s family, highest first."""
    from pkg.repositories.search import RepositoryPool

    if not os.path.isdir(release_path):
        return []
    repository = RepositoryPool(config).get(release_path)
    return sorted(repository.iter_packages(package.name), key=lambda p: p.version, reverse=True)


def run_checks(
    package: Package,
    vcs: ReleaseVCS,
    options: ReleaseOptions,
    config: Config,
    *,
    stop_at_failure: bool = True,
) -> list[CheckResult]:
    """Rez's release checks, in its order (blocking; no check changes anything).

    1. the release path exists;
    2. the VCS accepts the working copy (:meth:`ReleaseVCS.validate_repostate`);
    3. the tag does not exist yet (when ``check_tag``);
    4. the package's ``uuid`` is that of the latest released version;
    5. no newer version is released (when ``ensure_latest``).

    VCS errors are warnings with ``skip_repo_errors``.  With ``stop_at_failure`` the
    list ends at the first failure (the release stops there).
    """
    results: list[CheckResult] = []

    def add(result: CheckResult) -> bool:
        results.append(result)
        return result.ok or not stop_at_failure

    path = options.release_path
    if not os.path.isdir(path):
        ok = add(
            CheckResult(
                CHECKS[0],
                "failed",
                f"the release path {path} does not exist; create it, or set "
                "release_packages_path to an existing repository",
            )
        )
    else:
        ok = add(CheckResult(CHECKS[0], "passed", path))
    if not ok:
        return results
    if not add(_vcs_check(CHECKS[1], options, lambda: _validate(vcs, options))):
        return results
    if options.check_tag:
        tag = options.tag
        if not add(_vcs_check(CHECKS[2], options, lambda: _tag_check(vcs, tag, package))):
            return results
    else:
        add(CheckResult(CHECKS[2], "skipped", "check_tag is off or --ignore-existing-tag"))
    released = _released(package, path, config)
    latest = released[0] if released else None
    if package.uuid and latest is not None and latest.uuid and latest.uuid != package.uuid:
        uuid_result = CheckResult(
            CHECKS[3],
            "failed",
            f"cannot release {package.qualified_name}: its uuid {package.uuid} differs from "
            f"that of the latest release {latest.uri} ({latest.uuid}), so it is another "
            "package with the same name; rename it, or give it the released uuid",
        )
    else:
        uuid_result = CheckResult(CHECKS[3], "passed", "no conflicting uuid")
    if not add(uuid_result):
        return results
    if not options.ensure_latest:
        add(CheckResult(CHECKS[4], "skipped", "--no-latest"))
    elif latest is not None and latest.version > package.version:
        add(
            CheckResult(
                CHECKS[4],
                "failed",
                f"cannot release {package.qualified_name}: a newer version is released "
                f"({latest.uri}); bump the version, or release an older one with --no-latest",
            )
        )
    else:
        newest = f"latest released: {latest.qualified_name}" if latest else "first release"
        add(CheckResult(CHECKS[4], "passed", newest))
    return results


def _validate(vcs: ReleaseVCS, options: ReleaseOptions) -> str:
    vcs.validate_repostate(fetch=options.fetch)
    return f"{vcs.name} repository {vcs.root} can be released"


def _tag_check(vcs: ReleaseVCS, tag: str, package: Package) -> str:
    if vcs.tag_exists(tag):
        raise ReleaseCheckError(
            CHECKS[2],
            f"cannot release {package.qualified_name}: the repository is already tagged "
            f"{tag!r}; bump the version, or release anyway with --ignore-existing-tag",
        )
    return f"no tag {tag!r} yet"


def _vcs_check(name: str, options: ReleaseOptions, check: Callable[[], str]) -> CheckResult:
    try:
        detail = check()
    except ReleaseCheckError as error:
        return CheckResult(name, "failed", str(error))
    except VcsError as error:
        if options.skip_repo_errors:
            return CheckResult(name, "warning", f"error skipped (--skip-repo-errors): {error}")
        return CheckResult(
            name,
            "failed",
            f"{error}; or release anyway with --skip-repo-errors",
        )
    return CheckResult(name, "passed", detail)


def gather_release_data(
    package: Package, vcs: ReleaseVCS, options: ReleaseOptions, config: Config
) -> ReleaseData:
    """The previous release (the highest released version below this one), the current
    revision and the changelog since the previous release's revision, truncated
    (blocking).

    Raises:
        VcsError: the VCS failed (unless ``skip_repo_errors``: then the value is None
            and the error a warning).
    """
    previous = next(
        (
            p
            for p in _released(package, options.release_path, config)
            if p.version < package.version
        ),
        None,
    )
    previous_revision = previous.revision if previous is not None else None
    warnings: list[str] = []

    def guarded(call: Callable[[], object]) -> object | None:
        try:
            return call()
        except VcsError as error:
            if not options.skip_repo_errors:
                raise
            warnings.append(f"error skipped (--skip-repo-errors): {error}")
            return None

    revision = guarded(vcs.current_revision)
    changelog = guarded(lambda: vcs.changelog(previous_revision, options.max_changelog_revisions))
    return ReleaseData(
        vcs=vcs.name,
        revision=revision,
        changelog=truncate_changelog(
            changelog if isinstance(changelog, str) else None, options.max_changelog_chars
        ),
        previous_version=str(previous.version) if previous is not None else None,
        previous_revision=previous_revision,
        warnings=tuple(warnings),
    )


def already_released(plans: Sequence[VariantPlan], release_path: str, config: Config) -> set[int]:
    """Positions in ``plans`` of the variants already in the release repository (same
    version, an equivalent variant), which a release skips as Rez does."""
    from pkg.packages import Variant
    from pkg.repositories.search import RepositoryPool

    if not os.path.isdir(release_path):
        return set()
    repository = RepositoryPool(config).get(release_path)
    found = set()
    for position, plan in enumerate(plans):
        result = repository.install_variant(Variant(plan.package, plan.index), dry_run=True)
        if result.existed:
            found.add(position)
    return found


def release_tasks(
    package: Package,
    plans: Sequence[VariantPlan],
    build_options: BuildOptions,
    options: ReleaseOptions,
    config: Config,
    resolver: ContextResolver,
    vcs: ReleaseVCS,
    hooks: Sequence[ReleaseHook],
    state: ReleaseState,
    *,
    tests: PreReleaseTests | None = None,
) -> list[Task]:
    """Every task of the release of ``plans``, the variants of ``package`` to release.

    ``build_options`` must install (``install=True``) with ``build_type="central"``;
    builds install into each variant's build directory and are then staged into
    ``state.stage``.  Without ``plans`` (every variant is released already) only the
    checks run, as in Rez.  ``tests`` runs the package's ``pre_release`` tests (None: the
    package has none).
    """
    pipeline = _Release(package, plans, build_options, options, config, vcs, hooks, state)
    tasks = [Task(CHECKS_TASK, pipeline.checks)]
    if not plans:
        return tasks
    tasks.append(Task(PRE_BUILD_TASK, pipeline.hook_task("pre_build"), deps=[CHECKS_TASK]))
    staged = []
    for plan in plans:
        tasks += variant_tasks(
            plan, build_options, config, resolver, after=[PRE_BUILD_TASK], install_task=False
        )
        name = plan.task_name("stage")
        tasks.append(Task(name, pipeline.stage_task(plan), deps=[plan.task_name("build")]))
        staged.append(name)
    family = package.name
    if tests is not None:
        tasks.append(Task(TESTS_TASK, pipeline.tests_task(tests), deps=staged))
        staged = [TESTS_TASK]
    tasks += [
        Task(PRE_RELEASE_TASK, pipeline.hook_task("pre_release"), deps=staged),
        Task(
            PUBLISH_TASK,
            pipeline.publish,
            deps=[PRE_RELEASE_TASK],
            resources={f"install-lock:{family}": 1},
        ),
        Task(TAG_TASK, pipeline.tag, deps=[PUBLISH_TASK]),
        Task(PUSH_TASK, pipeline.push, deps=[TAG_TASK]),
        Task(POST_RELEASE_TASK, pipeline.hook_task("post_release"), deps=[PUSH_TASK]),
    ]
    return tasks


class _Release:
    """The task functions of one release; they share :class:`ReleaseState`."""

    def __init__(
        self,
        package: Package,
        plans: Sequence[VariantPlan],
        build_options: BuildOptions,
        options: ReleaseOptions,
        config: Config,
        vcs: ReleaseVCS,
        hooks: Sequence[ReleaseHook],
        state: ReleaseState,
    ) -> None:
        self.plans = plans
        self.package = package
        self.build_options = build_options
        self.options = options
        self.config = config
        self.vcs = vcs
        self.hooks = hooks
        self.state = state

    def _warn(self, ctx: TaskContext, message: str) -> None:
        self.state.warnings.append(message)
        ctx.log(f"warning: {message}")

    # -- checks ---------------------------------------------------------------------------
    async def checks(self, ctx: TaskContext) -> ReleaseData:
        results = await ctx.run_sync(
            lambda: run_checks(self.package, self.vcs, self.options, self.config)
        )
        self.state.checks = results
        for result in results:
            ctx.log(
                f"{result.name}: {result.status}{': ' + result.detail if result.detail else ''}"
            )
            if result.status == "warning":
                self._warn(ctx, f"{result.name}: {result.detail}")
            elif not result.ok:
                raise ReleaseCheckError(result.name, result.detail)
        data = await ctx.run_sync(
            gather_release_data, self.package, self.vcs, self.options, self.config
        )
        for warning in data.warnings:
            self._warn(ctx, warning)
        self.state.data = data
        return data

    # -- hooks ----------------------------------------------------------------------------
    def hook_task(self, point: HookPoint) -> Callable[[TaskContext], Awaitable[None]]:
        async def run(ctx: TaskContext) -> None:
            for hook in self.hooks:
                await self._run_hook(ctx, hook, point)

        return run

    async def _run_hook(self, ctx: TaskContext, hook: ReleaseHook, point: HookPoint) -> None:
        from pkg.hooks import ReleaseHookCancelled

        info = self._info()
        try:
            await ctx.run_sync(getattr(hook, point), info)
        except ReleaseHookCancelled as error:
            self._hook_log(ctx)
            if point == "post_release":
                self._warn(ctx, f"the post_release hook {hook.name!r} failed: {error}")
                return
            raise ReleaseCancelledError(
                f"the release of {self.package.qualified_name} was cancelled by the "
                f"{point} hook {hook.name!r}: {error}"
            ) from error
        except PkgError as error:
            self._hook_log(ctx)
            self._warn(ctx, f"the {point} hook {hook.name!r} failed: {error}")
        else:
            self._hook_log(ctx)
            ctx.log(f"ran the {point} hook {hook.name!r}")

    def _hook_log(self, ctx: TaskContext) -> None:
        lines = self.state.hook_lines
        while lines:
            ctx.log(lines.pop(0))

    def _info(self) -> ReleaseInfo:
        from pkg.hooks import ReleaseInfo

        data = self.state.data
        published = self.state.published
        indices = (
            tuple(v.index for v in published) if published else tuple(p.index for p in self.plans)
        )
        return ReleaseInfo(
            user=getpass.getuser(),
            install_path=self.options.release_path,
            package_name=self.package.name,
            version=str(self.package.version),
            variants=indices,
            release_message=self.options.message,
            changelog=data.changelog if data else None,
            previous_version=data.previous_version if data else None,
            previous_revision=data.previous_revision if data else None,
            revision=data.revision if data else None,
            source_path=os.path.dirname(self.package.definition.filepath),
        )

    # -- stage ----------------------------------------------------------------------------
    def stage_task(self, plan: VariantPlan) -> Callable[[TaskContext], Awaitable[None]]:
        async def run(ctx: TaskContext) -> None:
            await ctx.run_sync(self._stage, plan)
            ctx.log(f"staged {plan.label} in {self.state.stage}")

        return run

    def _stage(self, plan: VariantPlan) -> None:
        from pkg.repositories import delete_path

        stage = self.state.stage
        stage.mkdir(exist_ok=True)
        copy_payload(plan, stage / plan.subpath if plan.subpath else stage)
        stage_include_modules(plan.package, self.config, stage)
        with contextlib.suppress(OSError):
            delete_path(plan.stage_path)

    # -- pre_release tests ----------------------------------------------------------------
    def tests_task(self, tests: PreReleaseTests) -> Callable[[TaskContext], Awaitable[None]]:
        async def run(ctx: TaskContext) -> None:
            reason = await ctx.run_sync(self._run_tests, tests)
            if reason is not None:
                raise ReleaseTestsFailedError(
                    f"the pre_release tests of {self.package.qualified_name} failed: {reason}"
                )
            ctx.log("the pre_release tests passed")

        return run

    def _run_tests(self, tests: PreReleaseTests) -> str | None:
        from pkg.packages import Variant
        from pkg.repositories import FilesystemRepository, delete_path

        source = os.path.dirname(self.package.definition.filepath)
        path = os.path.join(source, self.build_options.build_directory, TESTS_REPOSITORY)
        if os.path.lexists(path):
            delete_path(path)
        os.makedirs(path)
        try:
            repository = FilesystemRepository(path, self.config)
            for plan in self.plans:
                staged = self.state.stage / plan.subpath if plan.subpath else self.state.stage

                def payload(_package_dir: Path, variant_dir: Path, staged: Path = staged) -> None:
                    shutil.copytree(staged, variant_dir, symlinks=True, dirs_exist_ok=True)

                repository.install_variant(Variant(plan.package, plan.index), payload=payload)
            return tests(path)
        finally:
            with contextlib.suppress(OSError):
                delete_path(path)

    # -- publish --------------------------------------------------------------------------
    async def publish(self, ctx: TaskContext) -> None:
        data = self.state.data
        assert data is not None
        overrides = data.attributes(self.options.message)
        published = await ctx.run_sync(self._publish, overrides)
        ctx.log(f"published {', '.join(v.qualified_name for v in published)}")

    def _publish(self, overrides: dict[str, object]) -> list[Variant]:
        from pkg.packages import Variant
        from pkg.repositories import FilesystemRepository
        from pkg.repositories._fsinstall import publish_staged
        from pkg.repositories.search import RepositoryPool

        repository = RepositoryPool(self.config).get(self.options.release_path)
        if not isinstance(repository, FilesystemRepository):
            raise PkgError(
                f"{self.options.release_path}: releases need a filesystem repository, "
                f"not a {repository.type_name} one"
            )
        variants = [Variant(plan.package, plan.index) for plan in self.plans]
        published = publish_staged(repository, variants, self.state.stage, overrides)
        self.state.published = published
        return published

    # -- tag ------------------------------------------------------------------------------
    async def tag(self, ctx: TaskContext) -> None:
        tag = self.options.tag
        try:
            exists = await ctx.run_sync(self.vcs.tag_exists, tag)
            if exists:
                self._warn(ctx, f"the tag {tag!r} exists already; it was not created again")
                return
            await ctx.run_sync(self.vcs.create_tag, tag, self.options.message or "")
        except VcsError as error:
            if not self.options.skip_repo_errors:
                raise
            self._warn(ctx, f"error skipped (--skip-repo-errors): {error}")
            return
        self.state.tagged = True
        ctx.log(f"created the tag {tag!r}")

    async def push(self, ctx: TaskContext) -> None:
        if not self.state.tagged:
            return
        tag = self.options.tag
        try:
            await ctx.run_sync(self.vcs.push_tag, tag)
        except VcsError as error:
            if not self.options.skip_repo_errors:
                raise
            self._warn(ctx, f"error skipped (--skip-repo-errors): {error}")
            return
        self.state.pushed = True
        ctx.log(f"pushed the tag {tag!r}")
