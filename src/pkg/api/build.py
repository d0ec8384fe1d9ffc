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

from pkg.errors import RequestError, ResolveError, UsageError
from pkg.orchestrator import Graph, RunError, TaskStatus, run_graph
from pkg.tasks.build import (
    BuildContext,
    BuildContextError,
    BuildOptions,
    VariantPlan,
    VariantResult,
    build_tasks,
    load_developer_package,
    plan_variants,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from pkg.buildsys import BuildType, CliOption
    from pkg.config import Config
    from pkg.orchestrator import Backend, RunResult
    from pkg.orchestrator.events import EventHandler
    from pkg.packages import Package
    from pkg.tasks.build import ContextResolver

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
    """

    package: Package
    source_dir: str
    system: str
    options: BuildOptions
    plans: tuple[VariantPlan, ...]
    graph: Graph
    log_dir: Path


@dataclass(frozen=True)
class BuildReport:
    """The outcome of :func:`build_package`.

    Attributes:
        setup: what was built.
        result: the run's result (every task's outcome).
    """

    setup: BuildSetup
    result: RunResult

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def interrupted(self) -> bool:
        return self.result.interrupted

    def succeeded(self) -> list[VariantPlan]:
        """The variants whose every task succeeded."""
        outcomes = self.result.outcomes
        return [
            plan
            for plan in self.setup.plans
            if all(
                outcome.status is TaskStatus.SUCCEEDED
                for name, outcome in outcomes.items()
                if name.endswith(":" + plan.label)
            )
        ]

    def failures(self) -> list[tuple[VariantPlan, str]]:
        """(variant, reason) of each variant that did not succeed, in variant order."""
        found = []
        for plan in self.setup.plans:
            for name, outcome in self.result.outcomes.items():
                if not name.endswith(":" + plan.label):
                    continue
                if outcome.status is TaskStatus.FAILED and outcome.error is not None:
                    reason = _one_line(outcome.error).removeprefix(f"{plan.label}: ")
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
    package = load_developer_package(source_dir, config)
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
    """The developer package as ``package.py`` text (``--view-pre``), ``preprocess`` left out.

    Raises:
        BuildError: no definition file in ``source_dir``.
        PackageDefinitionError: the definition is invalid.
    """
    from pkg.packages import dump_package_py

    package = load_developer_package(source_dir, config)
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

    Raises:
        UsageError: a variant index is out of range, or an argument is unknown.
        BuildSystemError: no build system, or several, fit the source.
        BuildError: no package definition in ``source_dir``.
        PackageDefinitionError: the definition is invalid.
    """
    from pkg.buildsys import BuildPackage, detect, parse_build_args

    source_dir = os.path.abspath(source_dir)
    package = load_developer_package(source_dir, config)
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
    )
    plans = plan_variants(
        package,
        source_dir=source_dir,
        install_root=install_root,
        build_directory=config.build_directory,
        variants=variants,
    )
    tasks = build_tasks(
        plans,
        options,
        config,
        resolver or context_resolver(config),
        ordered_installs=not keep_going,
    )
    return BuildSetup(
        package,
        source_dir,
        system.name,
        options,
        tuple(plans),
        Graph.from_tasks(tasks),
        Path(source_dir, config.build_directory, "logs"),
    )


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
    return BuildReport(setup, result)
