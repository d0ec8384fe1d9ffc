"""``pkg.api.build``: build (and install) the variants of a source package, as ``rez-build``
does, with independent variants built at the same time.

:func:`prepare_build` loads the developer package, picks the build system and plans the
variants; :func:`build_package` runs their tasks (:mod:`pkg.tasks.build`) with
:func:`pkg.orchestrator.run_graph` and returns a :class:`BuildReport`.  See
``docs/building.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.api._report import RunReport
from pkg.errors import RequestError, ResolveError, UsageError
from pkg.orchestrator import Graph, RunError, TaskStatus, run_graph
from pkg.tasks.build import (
    BuildContext,
    BuildContextError,
    BuildOptions,
    InstallClaims,
    VariantPlan,
    VariantResult,
    plan_variants,
)
from pkg.tasks.build_graph import PreInstallTests, package_build_tasks, pre_install_test_names
from pkg.tasks.developer import load_build_package

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from pkg.buildsys import BuildType, CliOption
    from pkg.config import Config
    from pkg.orchestrator import Backend, RunResult
    from pkg.orchestrator.events import EventHandler
    from pkg.packages import Package
    from pkg.tasks.build import ContextResolver
    from pkg.tasks.test import TestResolver

__all__ = [
    "BuildReport",
    "BuildSetup",
    "build_package",
    "build_system_options",
    "context_resolver",
    "prepare_build",
    "preprocessed_package",
]


@dataclass(frozen=True)
class BuildSetup:
    """A build ready to run.

    Attributes:
        package: the developer package (``building=False``).
        source_dir: its directory.
        system: the build system's name.
        options: the build options.
        plans: the variants to build.
        graph: their tasks.
        log_dir: where each task's log goes (``<build>/logs``).
        config: the configuration the package builds with (the one given, with the
            package's ``config`` section applied).
    """

    package: Package
    source_dir: str
    system: str
    options: BuildOptions
    plans: tuple[VariantPlan, ...]
    graph: Graph
    log_dir: Path
    config: Config | None = None


@dataclass(frozen=True)
class BuildReport(RunReport):
    """The outcome of :func:`build_package`.

    Attributes:
        setup: what was built.
        result: the run's result (every task's outcome).
    """

    setup: BuildSetup
    result: RunResult

    def succeeded(self) -> list[VariantPlan]:
        """The variants whose every task succeeded."""
        outcomes = self.result.outcomes
        return [
            plan
            for plan in self.setup.plans
            if all(
                outcome.status is TaskStatus.SUCCEEDED
                for name, outcome in outcomes.items()
                if _of_plan(name, plan)
            )
        ]

    def failures(self) -> list[tuple[VariantPlan, str]]:
        """(variant, reason) of each variant that did not succeed, in variant order."""
        found = []
        for plan in self.setup.plans:
            for name, outcome in self.result.outcomes.items():
                if not _of_plan(name, plan):
                    continue
                if outcome.status is TaskStatus.FAILED and outcome.error is not None:
                    reason = _reason(outcome.error).removeprefix(f"{plan.label}: ")
                    found.append((plan, reason))
                    break
                if outcome.status is not TaskStatus.SUCCEEDED:
                    found.append((plan, str(outcome.status.value)))
                    break
        return found

    def context_failures(self) -> list[BuildContext]:
        """The build contexts that did not resolve (for ``--fail-graph``)."""
        return [
            outcome.error.context
            for outcome in self.result.outcomes.values()
            if isinstance(outcome.error, BuildContextError)
        ]

    def scripts(self) -> list[str]:
        """The ``build-env`` scripts written (``-s``), variant by variant."""
        found: list[str] = []
        for outcome in self.result.outcomes.values():
            if isinstance(outcome.value, VariantResult):
                found.extend(outcome.value.scripts)
        return found

    def installed(self) -> list[str]:
        """The directories of the installed variants."""
        return [
            outcome.value.installed
            for outcome in self.result.outcomes.values()
            if isinstance(outcome.value, VariantResult) and outcome.value.installed
        ]


def _of_plan(task: str, plan: VariantPlan) -> bool:
    """Whether ``task`` is one of ``plan``'s (``stage:<label>``, or
    ``pre_install:<label>:<test>``)."""
    return task.endswith(":" + plan.label) or f":{plan.label}:" in task


def _reason(error: BaseException) -> str:
    """Why a task failed, in one line; a failed ``pre_install`` test by its name."""
    from pkg.tasks.test import TestsFailed

    if isinstance(error, TestsFailed):
        failed = [r for r in error.results if r.status == "failed"]
        if failed:
            shown = "; ".join(f"{r.test!r}: {r.description}" for r in failed)
            return _one_line(ValueError(f"the pre_install test failed: {shown}"))
    return _one_line(error)


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return " ".join(text.split()) if text else type(error).__name__


def context_resolver(config: Config, paths: Sequence[str] | None = None) -> ContextResolver:
    """A :data:`~pkg.tasks.build.ContextResolver` resolving with ``building=True`` through
    :func:`pkg.api.env.create_context` (``paths``: default ``packages_path``)."""
    from pkg.api.env import create_context

    def resolve_build(requests: Sequence[str]) -> BuildContext:
        try:
            env = create_context(requests, config, building=True, paths=paths)
        except (ResolveError, RequestError) as error:
            return _unresolved(requests, config, paths, error)
        context = env.context
        variants = env.resolve.resolved_packages if env.resolve is not None else ()
        failure = None
        if not env.success:
            failure = " ".join((context.failure_description or "unknown reason").split())
        requested = tuple(str(r) for r in context.requested_packages(include_implicit=True))
        return BuildContext(context, tuple(variants), requested, failure)

    return resolve_build


def _unresolved(
    requests: Sequence[str], config: Config, paths: Sequence[str] | None, error: Exception
) -> BuildContext:
    """A failed context for a request that could not even be solved (an unknown package),
    so that ``build.rxt`` is still written, as Rez writes it."""
    import time

    from pkg.context import ContextFile
    from pkg.core import parse_requirement

    reason = " ".join(str(error).split())
    parsed = []
    for text in requests:
        try:
            parsed.append(parse_requirement(text))
        except RequestError:
            continue
    now = int(time.time())
    context = ContextFile(
        package_requests=tuple(parsed),
        package_paths=tuple(paths if paths is not None else config.packages_path),
        status="failed",
        failure_description=reason,
        building=True,
        timestamp=now,
        created=now,
    )
    return BuildContext(context, (), tuple(requests), reason)


def build_system_options() -> list[tuple[str, CliOption]]:
    """(system name, option) of every build system's own ``pkg build`` options, each
    ``dest`` once (the first system declaring it wins)."""
    from pkg.buildsys import build_systems

    found: dict[str, tuple[str, CliOption]] = {}
    for system in build_systems().values():
        for option in system.cli_options():
            found.setdefault(option.dest, (system.name, option))
    return list(found.values())


def variant_matrix(
    source_dir: str, config: Config, *, variants: Sequence[int] | None = None
) -> list[dict[str, object]]:
    """One entry per variant of the package in ``source_dir`` (all, or ``variants``),
    for CI systems to fan out: ``index`` (None without variants), ``requires`` (the
    variant's own requests), ``subpath`` (its directory under the package).

    Raises:
        UsageError: a variant index is out of range.
        BuildError: no package definition in ``source_dir``.
        PackageDefinitionError: the definition is invalid.
    """
    source_dir = os.path.abspath(source_dir)
    package, config = load_build_package(source_dir, config)
    plans = plan_variants(
        package,
        source_dir=source_dir,
        install_root=config.local_packages_path,
        build_directory=config.build_directory,
        variants=variants,
    )
    return [
        {
            "index": plan.index,
            "requires": (
                [] if plan.index is None else [str(r) for r in package.variants[plan.index]]
            ),
            "subpath": plan.subpath,
        }
        for plan in plans
    ]


def preprocessed_package(source_dir: str, config: Config) -> str:
    """The developer package as ``package.py`` text (``--view-pre``): its preprocess
    functions applied (:mod:`pkg.tasks.developer`), ``preprocess`` itself left out.

    Raises:
        BuildError: no definition file in ``source_dir``.
        PackageDefinitionError: the definition is invalid, or a preprocess function
            failed or rejected the package.
        ConfigError: ``package_preprocess_function`` or the ``config`` section is invalid.
    """
    from pkg.packages import dump_package_py

    package, _config = load_build_package(os.path.abspath(source_dir), config)
    data = {k: v for k, v in package.definition.data.items() if k != "preprocess"}
    return dump_package_py(data)


def prepare_build(
    source_dir: str,
    config: Config,
    *,
    install: bool = False,
    prefix: str | None = None,
    clean: bool = False,
    variants: Sequence[int] | None = None,
    build_system: str | None = None,
    build_args: Sequence[str] = (),
    child_build_args: Sequence[str] = (),
    custom_args: Sequence[str] = (),
    system_options: Mapping[str, object] | None = None,
    scripts: bool = False,
    build_type: BuildType = "local",
    keep_going: bool = False,
    resolver: ContextResolver | None = None,
    parent_environ: Mapping[str, str] | None = None,
    paths: Sequence[str] | None = None,
    tests: bool = True,
    claims: InstallClaims | None = None,
) -> BuildSetup:
    """Load the package in ``source_dir``, choose its build system and plan its variants.

    Args:
        source_dir: the source directory (holding ``package.py``).
        config: the configuration.
        install: install the variants (``-i``).
        prefix: the repository to install into (default ``local_packages_path``).
        clean: wipe the build directories first (``-c``).
        variants: build only these indices (negative from the end).
        build_system: force a build system (``-b``).
        build_args, child_build_args: ``--ba``/arguments after ``--`` and ``--cba``.
        custom_args: options the command line did not know; the flags of the source's
            ``parse_build_args.py`` must accept all of them.
        system_options: values of the build system's own options (``--bt`` ...).
        scripts: write ``build-env`` scripts instead of building (``-s``).
        build_type: ``local`` (``pkg build``) or ``central``.
        keep_going: the run will keep going after a failure: variants are then installed
            as they finish rather than in their order.
        resolver: resolves build contexts (default: :func:`context_resolver`).
        parent_environ: the environment builds start from (default: this process's).
        paths: the repositories build contexts and tests resolve from (default:
            ``packages_path``).
        tests: with ``install``, run the package's ``pre_install`` tests before each
            variant is installed (a variant whose test fails is not installed).
        claims: the run's in-place install claims (shared by the packages of a build
            of several; default: a new registry).

    The package is read with its preprocess functions applied, and its ``config``
    section applied to ``config`` (:attr:`BuildSetup.config`).

    Raises:
        UsageError: a variant index is out of range, or an argument is unknown.
        BuildSystemError: no build system, or several, fit the source.
        BuildError: no package definition in ``source_dir``.
        PackageDefinitionError: the definition is invalid.
    """
    from pkg.buildsys import BuildPackage, detect, parse_build_args

    source_dir = os.path.abspath(source_dir)
    package, config = load_build_package(source_dir, config)
    system = detect(source_dir, BuildPackage.from_package(package), build_system)
    values = dict(system_options or {})
    if system.name == "custom":
        parsed, rest = parse_build_args(source_dir, custom_args)
        if parsed:
            values["parse_build_args"] = parsed
    else:
        rest = list(custom_args)
    if rest:
        raise UsageError(f"unrecognised arguments: {' '.join(rest)}")
    install_root = os.path.abspath(os.path.expanduser(prefix or config.local_packages_path))
    options = BuildOptions(
        build_system=system.name,
        install=install,
        install_root=install_root,
        clean=clean,
        scripts=scripts,
        build_args=tuple(build_args),
        child_build_args=tuple(child_build_args),
        system_options=values,
        thread_count=config.build_thread_count,
        build_type=build_type,
        build_directory=config.build_directory,
        parent_environ=parent_environ,
        claims=InstallClaims() if claims is None else claims,
    )
    plans = plan_variants(
        package,
        source_dir=source_dir,
        install_root=install_root,
        build_directory=config.build_directory,
        variants=variants,
    )
    pre_install = None
    if tests and install and not scripts and pre_install_test_names(package):
        pre_install = _pre_install_tests(config, paths, parent_environ)
    tasks = package_build_tasks(
        plans,
        options,
        config,
        resolver or context_resolver(config, paths),
        ordered_installs=not keep_going,
        tests=pre_install,
    )
    return BuildSetup(
        package,
        source_dir,
        system.name,
        options,
        tuple(plans),
        Graph.from_tasks(tasks),
        Path(source_dir, config.build_directory, "logs"),
        config,
    )


def _pre_install_tests(
    config: Config, paths: Sequence[str] | None, parent_environ: Mapping[str, str] | None
) -> PreInstallTests:
    """The ``pre_install`` tests, resolving through :func:`pkg.api.test.make_test_resolver`."""
    from pkg.tasks.test import TestOptions

    def make_resolver(search: Sequence[str]) -> TestResolver:
        from pkg.api.test import make_test_resolver

        return make_test_resolver(config, paths=search)

    base = tuple(paths if paths is not None else config.packages_path)
    return PreInstallTests(make_resolver, base, TestOptions(parent_environ=parent_environ))


def build_package(
    source_dir: str,
    config: Config,
    *,
    jobs: int | None = None,
    keep_going: bool = False,
    backend: Backend = "asyncio",
    on_event: EventHandler | None = None,
    setup: BuildSetup | None = None,
    on_setup: Callable[[BuildSetup], None] | None = None,
    **options: object,
) -> BuildReport:
    """Build (and with ``install=True`` install) the package in ``source_dir``.

    Independent variants build concurrently, at most ``jobs`` tasks at once (default:
    ``build_thread_count``).  The first failure stops the others unless ``keep_going``.
    Ctrl-C stops every build process; the report then says ``interrupted``.  Whatever
    happens, a variant is either wholly installed or not at all.

    Args:
        source_dir: the source directory.
        config: the configuration.
        jobs: tasks at once (``-j``).
        keep_going: let other variants finish after a failure (``--keep-going``).
        backend: the event loop (``asyncio`` or ``trio``).
        on_event: receives the orchestrator's events.
        setup: a build already prepared (then ``options`` are ignored).
        on_setup: called with the setup before the run starts.
        **options: the keyword arguments of :func:`prepare_build`.

    Returns:
        The report; check :attr:`BuildReport.ok`.

    Raises:
        The errors of :func:`prepare_build` (before anything runs).
    """
    if setup is None:
        setup = prepare_build(source_dir, config, keep_going=keep_going, **options)  # type: ignore[arg-type]
    if on_setup is not None:
        on_setup(setup)
    try:
        result = run_graph(
            setup.graph,
            backend=backend,
            on_event=on_event,
            jobs=jobs if jobs is not None else config.build_thread_count,
            keep_going=keep_going,
            log_dir=setup.log_dir,
        )
    except RunError as error:
        result = error.result
    finally:
        setup.options.claims.abandon_all()  # what a failure or Ctrl-C left unpublished
    return BuildReport(setup, result)
