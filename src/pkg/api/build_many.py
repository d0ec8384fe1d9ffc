"""``pkg.api.build_many``: build (and install) several source packages in dependency
order, as one task graph, so that packages which do not depend on each other build at
the same time.

A package depends on another of the set when its ``requires``, ``build_requires``,
``private_build_requires`` or the requires of one of its variants name it (a conflict
request, ``!name``, does not count; a weak one, ``~name``, does).  Every variant of a
package then waits until every variant of the packages it depends on is installed (with
``install``; otherwise built), and its build context resolves against the install
repository.  :func:`find_source_packages` finds the packages below some directories
(``--recursive``).  See ``docs/building.md``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.api._report import RunReport
from pkg.api.build import BuildReport, BuildSetup, prepare_build
from pkg.errors import BuildError, UsageError
from pkg.orchestrator import Graph, RunError, Task, TaskStatus, run_graph
from pkg.tasks.build import InstallClaims

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pkg.config import Config
    from pkg.orchestrator import Backend, RunResult
    from pkg.orchestrator.events import EventHandler
    from pkg.packages import Package

__all__ = [
    "BuildCycleError",
    "ManyBuildReport",
    "ManyBuildSetup",
    "PackageRow",
    "build_packages",
    "find_source_packages",
    "order_packages",
    "prepare_builds",
    "split_source_dirs",
]


class BuildCycleError(BuildError):
    """The source packages depend on each other in a cycle.

    Attributes:
        cycle: the package names around the cycle, the first repeated at the end.
    """

    def __init__(self, cycle: Sequence[str]) -> None:
        self.cycle = tuple(cycle)
        super().__init__(
            "the source packages depend on each other in a cycle: " + " -> ".join(self.cycle)
        )


@dataclass(frozen=True)
class ManyBuildSetup:
    """Builds of several packages, ready to run.

    Attributes:
        setups: one per package, dependencies first.
        depends: package name -> the names of the packages of the set it depends on.
        graph: the tasks of every package.
        log_dir: where each task's log goes.
    """

    setups: tuple[BuildSetup, ...]
    depends: Mapping[str, tuple[str, ...]]
    graph: Graph
    log_dir: Path


@dataclass(frozen=True)
class PackageRow:
    """One line of the summary.

    Attributes:
        package: ``name-version``.
        built: how many of its variants succeeded.
        variants: how many it has to build.
        status: ``installed``, ``built``, ``failed``, ``skipped`` or ``cancelled``.
        reason: why it failed or was skipped ("" otherwise).
    """

    package: str
    built: int
    variants: int
    status: str
    reason: str = ""


@dataclass(frozen=True)
class ManyBuildReport(RunReport):
    """The outcome of :func:`build_packages`.

    Attributes:
        setup: what was built.
        result: the run's result.
    """

    setup: ManyBuildSetup
    result: RunResult

    def reports(self) -> list[BuildReport]:
        """One :class:`~pkg.api.build.BuildReport` per package, dependencies first."""
        return [BuildReport(setup, self.result) for setup in self.setup.setups]

    def rows(self) -> list[PackageRow]:
        """The summary: one row per package, dependencies first."""
        rows: list[PackageRow] = []
        failed: set[str] = set()
        for report in self.reports():
            setup = report.setup
            name = setup.package.name
            built = len(report.succeeded())
            total = len(setup.plans)
            failures = report.failures()
            mine = self._statuses(setup)
            if not failures:
                status = "installed" if setup.options.install else "built"
                rows.append(PackageRow(setup.package.qualified_name, built, total, status))
                continue
            if TaskStatus.FAILED in mine:
                failed.add(name)
                reason = "; ".join(f"{plan.label}: {why}" for plan, why in failures)
                rows.append(
                    PackageRow(setup.package.qualified_name, built, total, "failed", reason)
                )
                continue
            blocked = [dep for dep in self.setup.depends.get(name, ()) if dep in failed]
            if blocked and TaskStatus.SKIPPED in mine:
                failed.add(name)
                reason = f"it depends on {', '.join(blocked)}, which did not build"
                rows.append(
                    PackageRow(setup.package.qualified_name, built, total, "skipped", reason)
                )
                continue
            rows.append(PackageRow(setup.package.qualified_name, built, total, "cancelled"))
        return rows

    def _statuses(self, setup: BuildSetup) -> set[TaskStatus]:
        names = {task.name for task in setup.graph}
        return {outcome.status for name, outcome in self.result.outcomes.items() if name in names}


def find_source_packages(
    roots: Sequence[str], config: Config, *, recursive: bool = False
) -> list[str]:
    """The source directories to build: ``roots`` themselves, or with ``recursive`` every
    directory below them holding a package definition, in sorted order.

    The search skips hidden directories and build directories (``build_directory``), and
    does not look inside a package's own directory.

    Raises:
        UsageError: a root is not a directory, or ``recursive`` found nothing.
    """
    from pkg.packages import find_definition_file

    found: list[str] = []
    for root in roots:
        path = os.path.abspath(root)
        if not os.path.isdir(path):
            raise UsageError(f"{root}: not a directory")
        if not recursive:
            found.append(path)
            continue
        for directory, subdirs, _files in os.walk(path):
            if find_definition_file(Path(directory), config) is not None:
                found.append(directory)
                subdirs.clear()
                continue
            subdirs[:] = sorted(
                d for d in subdirs if not d.startswith(".") and d != config.build_directory
            )
    if recursive and not found:
        raise UsageError(f"no package definition below {', '.join(roots)}")
    return list(dict.fromkeys(found))


def split_source_dirs(
    args: Sequence[str], config: Config, *, recursive: bool = False
) -> tuple[list[str], list[str]]:
    """(source directories, the other arguments) of a ``pkg build`` command line: a plain
    argument naming a directory that holds a package definition (with ``recursive``, any
    directory) is a source directory; the rest are left for ``parse_build_args.py``."""
    from pkg.packages import find_definition_file

    dirs: list[str] = []
    rest: list[str] = []
    for arg in args:
        plain_dir = not arg.startswith("-") and os.path.isdir(arg)
        if plain_dir and (recursive or find_definition_file(Path(arg), config) is not None):
            dirs.append(os.path.abspath(arg))
            continue
        rest.append(arg)
    return dirs, rest


def _dependency_names(package: Package) -> set[str]:
    from pkg.core import parse_requirement

    requests: list[object] = [*package.requires]
    requests += package.build_requires or []
    requests += package.private_build_requires or []
    for variant in package.variants:
        requests += variant
    names = set()
    for request in requests:
        req = parse_requirement(str(request))
        if not req.conflict or req.weak:
            names.add(req.name)
    return names


def order_packages(packages: Sequence[Package]) -> tuple[list[int], dict[str, tuple[str, ...]]]:
    """The build order of ``packages`` (indices, dependencies first, otherwise in the
    given order) and each package's dependencies among them (by name).

    Raises:
        UsageError: two packages have the same name.
        BuildCycleError: they depend on each other in a cycle.
    """
    by_name: dict[str, int] = {}
    for index, package in enumerate(packages):
        if package.name in by_name:
            first = packages[by_name[package.name]]
            raise UsageError(
                f"two source packages are named {package.name!r}: "
                f"{first.definition.filepath} and {package.definition.filepath}"
            )
        by_name[package.name] = index
    depends = {
        package.name: tuple(
            sorted(n for n in _dependency_names(package) if n in by_name and n != package.name)
        )
        for package in packages
    }
    order: list[int] = []
    state: dict[str, int] = {}  # 1: visiting, 2: done

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise BuildCycleError([*path[path.index(name) :], name])
        state[name] = 1
        for dep in depends[name]:
            visit(dep, [*path, name])
        state[name] = 2
        order.append(by_name[name])

    for package in packages:
        visit(package.name, [])
    return order, depends


def prepare_builds(
    source_dirs: Sequence[str],
    config: Config,
    *,
    install: bool = False,
    prefix: str | None = None,
    keep_going: bool = False,
    log_dir: str | None = None,
    **options: object,
) -> ManyBuildSetup:
    """Prepare the builds of the packages in ``source_dirs`` as one graph.

    With ``install``, build contexts and tests resolve from the install repository
    (``prefix``, default ``local_packages_path``) first, then ``packages_path``.

    Args:
        source_dirs: the packages' source directories.
        config: the configuration.
        install, prefix, keep_going: as for :func:`pkg.api.build.prepare_build`.
        log_dir: where task logs go (default: ``<build_directory>/logs`` under the
            source directories' common parent).
        **options: more keyword arguments of :func:`~pkg.api.build.prepare_build`
            (``clean``, ``build_system``, ``build_args`` ...), for every package.

    Raises:
        UsageError: two packages have the same name, or a package's options are wrong.
        BuildCycleError: the packages depend on each other in a cycle.
        The errors of :func:`~pkg.api.build.prepare_build`.
    """
    from pkg.tasks.developer import load_build_package

    if not source_dirs:
        raise UsageError("no source package to build")
    dirs = [os.path.abspath(d) for d in source_dirs]
    packages = [load_build_package(d, config)[0] for d in dirs]
    order, depends = order_packages(packages)
    paths = list(config.packages_path)
    if install:
        root = os.path.abspath(os.path.expanduser(prefix or config.local_packages_path))
        paths = [root, *(p for p in paths if os.path.abspath(os.path.expanduser(p)) != root)]
    setups: dict[str, BuildSetup] = {}
    claims = InstallClaims()  # one for all: the last claim rolled back tidies the repository
    tasks: list[Task] = []
    for index in order:
        name = packages[index].name
        waits = [
            plan.task_name("install" if install else "build")
            for dep in depends[name]
            for plan in setups[dep].plans
        ]
        setups[name] = prepare_build(
            dirs[index],
            config,
            install=install,
            prefix=prefix,
            keep_going=keep_going,
            paths=paths,
            claims=claims,
            **options,  # type: ignore[arg-type]
        )
        tasks.extend(_waiting(task, waits) for task in setups[name].graph)
    ordered = tuple(setups[packages[i].name] for i in order)
    graph = Graph.from_tasks(tasks)
    if log_dir is None:
        common = os.path.commonpath(dirs) if len(dirs) > 1 else dirs[0]
        log_dir = os.path.join(common, config.build_directory, "logs")
    return ManyBuildSetup(ordered, depends, graph, Path(log_dir))


def _waiting(task: Task, waits: Sequence[str]) -> Task:
    """``task``, or for a task that starts a variant's pipeline (it has no
    dependencies) a copy that waits for ``waits`` too."""
    if task.deps or not waits:
        return task
    return Task(
        task.name,
        task.fn,
        deps=waits,
        priority=task.priority,
        resources=task.resources,
        timeout=task.timeout,
        retries=task.retries,
        retry_on=task.retry_on,
    )


def build_packages(
    setup: ManyBuildSetup,
    config: Config,
    *,
    jobs: int | None = None,
    keep_going: bool = False,
    backend: Backend = "asyncio",
    on_event: EventHandler | None = None,
) -> ManyBuildReport:
    """Run ``setup``: at most ``jobs`` tasks at once (default: ``build_thread_count``).

    The first failure stops everything unless ``keep_going``; then the packages that do
    not depend on the failed one go on, and those that do are skipped.  Each variant is
    installed completely or not at all.
    """
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
        for one in setup.setups:  # what a failure or Ctrl-C left unpublished
            one.options.claims.abandon_all()
    return ManyBuildReport(setup, result)
