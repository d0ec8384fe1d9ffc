"""``pkg.api.test``: run the tests a package declares (its ``tests`` attribute), as
``rez-test`` does, with the tests of all variants running at the same time.

:func:`prepare_tests` finds the package, picks the tests and plans their jobs
(:mod:`pkg.tasks.test`); :func:`run_package_tests` runs them with
:func:`pkg.orchestrator.run_graph` and returns a :class:`TestReport`.  ``pkg build`` and
``pkg release`` can run the ``pre_install``/``pre_release`` tests the same way (``run_on``),
or put :attr:`TestSetup.graph`'s tasks (:func:`pkg.tasks.test.test_tasks`) into their own
graph.  See ``docs/testing.md``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pkg.errors import RepositoryError, RequestError, ResolveError, UsageError
from pkg.orchestrator import Graph, RunError, TaskStatus, run_graph
from pkg.orchestrator.events import (
    TaskCancelled,
    TaskFailed,
    TaskFinished,
    TaskOutput,
    TaskSkipped,
)
from pkg.tasks.test import (
    TestContext,
    TestJob,
    TestOptions,
    TestResult,
    TestsFailed,
    find_requested_tests,
    package_test_names,
    package_test_tasks,
    plan_tests,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pkg.config import Config
    from pkg.orchestrator import Backend, RunResult
    from pkg.orchestrator.events import Event, EventHandler
    from pkg.packages import Package, Variant
    from pkg.tasks.test import TestResolver

__all__ = [
    "PackageNotFoundError",
    "TestJob",
    "TestReport",
    "TestResult",
    "TestSetup",
    "current_resolver",
    "find_test_package",
    "make_test_resolver",
    "prepare_tests",
    "run_package_tests",
]


class PackageNotFoundError(RepositoryError):
    """No package matches the request to test."""


@dataclass(frozen=True)
class TestSetup:
    """Tests ready to run.

    Attributes:
        package: the package under test.
        names: every test the package declares (for ``-l``), sorted.
        selected: the tests chosen to run, in run order.
        jobs: their jobs, in run order.
        graph: one task per job (``<prefix>:<job label>``).
        tasks: the task name of each job, in the order of ``jobs``.
    """

    __test__ = False

    package: Package
    names: tuple[str, ...]
    selected: tuple[str, ...]
    jobs: tuple[TestJob, ...]
    graph: Graph
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class TestReport:
    """The outcome of :func:`run_package_tests`.

    Attributes:
        setup: what ran.
        result: the orchestrator's result.
        output: each task's output lines (its log lines, standard output and error).
    """

    __test__ = False

    setup: TestSetup
    result: RunResult
    output: dict[str, list[str]] = field(default_factory=dict)
    stop_on_fail: bool = False

    def results(self) -> list[TestResult]:
        """Every test result, job by job in run order.  With ``stop_on_fail`` the list
        ends at the first failure in that order, as if the tests had run one by one, so
        that tests which never ran (or that ran at the same time) are left out, as in Rez."""
        found: list[TestResult] = []
        for job, name in zip(self.setup.jobs, self.setup.tasks, strict=True):
            for result in _results_of(job, self.result.outcomes.get(name)):
                found.append(result)
                if self.stop_on_fail and result.status == "failed":
                    return found
        return found

    def counts(self) -> dict[str, int]:
        """Number of results per status: ``success``, ``failed``, ``skipped``."""
        counts = {"success": 0, "failed": 0, "skipped": 0}
        for result in self.results():
            counts[result.status] += 1
        return counts

    @property
    def exit_code(self) -> int:
        """Rez's exit status: that of the first failed test in run order (255 when its
        environment could not be made), 130 when interrupted, else 0."""
        if self.result.interrupted:
            return 130
        for result in self.results():
            if result.status == "failed":
                return result.exit_code % 256 or 1
        return 0


def _results_of(job: TestJob, outcome: object) -> list[TestResult]:
    from pkg.orchestrator import TaskOutcome

    if not isinstance(outcome, TaskOutcome):
        return []
    if outcome.status is TaskStatus.SUCCEEDED and isinstance(outcome.value, list):
        return [r for r in outcome.value if isinstance(r, TestResult)]
    if isinstance(outcome.error, TestsFailed):
        return list(outcome.error.results)
    if outcome.status is TaskStatus.FAILED and outcome.error is not None:
        variant = job.variants[0] if job.variants else None
        reason = " ".join(str(outcome.error).split()) or type(outcome.error).__name__
        return [TestResult(job.test, variant, "failed", reason, -1)]
    return []


def find_test_package(
    request: str, config: Config, *, paths: Sequence[str] | None = None
) -> Package:
    """The latest package matching ``request`` in ``paths`` (default ``packages_path``).

    Raises:
        RequestError: the request does not parse.
        PackageNotFoundError: no package matches.
    """
    from pkg.core import Requirement
    from pkg.repositories import PackageSearchPath

    req = Requirement(request)
    search = PackageSearchPath.from_paths(paths, config)
    found = sorted(search.iter_packages(req.name, req.range), key=lambda p: p.version)
    if not found:
        raise PackageNotFoundError(f"Could not find package to test: {request}")
    return found[-1]


def make_test_resolver(
    config: Config, *, paths: Sequence[str] | None = None, timestamp: int | None = None
) -> TestResolver:
    """A thread-safe :data:`~pkg.tasks.test.TestResolver` resolving with
    :func:`pkg.api.env.create_context` (marked ``testing``), one resolve per distinct
    request shared by every test that needs it.  ``timestamp`` (default: now) is used for
    every resolve, so that tests do not see packages released while they run."""
    from pkg.api.env import create_context

    stamp = int(time.time()) if timestamp is None else timestamp
    cache: dict[tuple[str, ...], TestContext] = {}
    locks: dict[tuple[str, ...], threading.Lock] = {}
    guard = threading.Lock()

    def resolve(requests: Sequence[str]) -> TestContext:
        key = tuple(requests)
        with guard:
            lock = locks.setdefault(key, threading.Lock())
        with lock:
            if key not in cache:
                cache[key] = _resolve(key)
            return cache[key]

    def _resolve(requests: tuple[str, ...]) -> TestContext:
        try:
            env = create_context(requests, config, paths=paths, timestamp=stamp)
        except (ResolveError, RequestError, RepositoryError) as error:
            reason = " ".join(str(error).split())
            return TestContext(None, (), f"The test environment failed to resolve: {reason}")
        context = replace(env.context, testing=True)
        if not env.success:
            return TestContext(context, (), "The test environment failed to resolve")
        variants = tuple(env.resolve.resolved_packages) if env.resolve is not None else ()
        return TestContext(context, variants)

    return resolve


def current_resolver(config: Config, path: str) -> tuple[TestResolver, list[Variant]]:
    """For ``--inplace``: a resolver answering with the context saved at ``path`` (the
    current environment) when it satisfies the requests, and that context's variants.

    Raises:
        ContextFileError: the context cannot be read, or a package of it is gone.
    """
    from pkg.context import load_context
    from pkg.context.execute import load_variants
    from pkg.core import parse_requirement

    context = load_context(path)
    variants = load_variants(context, config)
    by_name = {v.name: v for v in variants}
    current = TestContext(context, tuple(variants))

    def meets(text: str) -> bool:
        req = parse_requirement(text)
        variant = by_name.get(req.name)
        if req.conflict:
            return variant is None or not req.range.contains_version(variant.version)
        return variant is not None and req.range.contains_version(variant.version)

    def resolve(requests: Sequence[str]) -> TestContext:
        try:
            ok = all(meets(r) for r in requests)
        except RequestError as error:
            return TestContext(None, (), f"The test environment failed to resolve: {error}")
        if ok:
            return current
        return TestContext(None, (), "The current environment does not meet test requirements")

    return resolve, variants


def prepare_tests(
    request: str | Package,
    config: Config,
    *,
    tests: Sequence[str] = (),
    run_on: Sequence[str] | None = None,
    paths: Sequence[str] | None = None,
    no_local: bool = False,
    extra_packages: Sequence[str] = (),
    extra_args: Sequence[str] = (),
    dry_run: bool = False,
    inplace: bool = False,
    parent_environ: dict[str, str] | None = None,
    prefix: str = "test",
    resolver: TestResolver | None = None,
) -> TestSetup:
    """Find the package, choose its tests and plan their jobs.

    Args:
        request: the package (its latest version matching the request), or a package.
        config: the configuration.
        tests: glob patterns of tests to run; empty: the tests tagged ``default``.
        run_on: instead of ``tests``, run the tests tagged with one of these
            (``["pre_install"]`` for ``pkg build -i``, ``["pre_release"]`` for a release).
        paths: the repositories (default ``packages_path``).
        no_local: without ``paths``, leave the local repository out.
        extra_packages: requests added to every test environment.
        extra_args: appended to the command; only with exactly one test requested.
        dry_run: show what would run, run nothing.
        inplace: test the package of the current environment (``$REZ_RXT_FILE``) in it,
            without resolving; a test whose requires it does not meet fails.
        parent_environ: the environment the tests start from (default: this process's).
        prefix: the first part of each task name.
        resolver: resolves test environments (default: :func:`make_test_resolver`).

    Raises:
        UsageError: bad combination of arguments, or ``inplace`` outside a context that
            holds the package.
        PackageNotFoundError: no package matches ``request``.
        PackageDefinitionError: the package's ``tests`` are malformed.
        RequestError: the request does not parse.
    """
    from pkg.packages import Package

    if inplace and (extra_packages or paths or no_local):
        raise UsageError(
            "Cannot use --inplace in combination with --extra-packages/--paths/--no-local"
        )
    if paths is None and no_local:
        from pkg.api._paths import nonlocal_packages_path

        paths = nonlocal_packages_path(config)
    candidates: list[Variant] | None = None
    if inplace:
        package, resolver, candidates = _inplace(request, config)
    elif isinstance(request, Package):
        package = request
    else:
        package = find_test_package(request, config, paths=paths)
    all_names = package_test_names(package)
    if run_on is not None:
        selected = package_test_names(package, run_on=run_on)
    else:
        selected = find_requested_tests(package, tests)
    if extra_args and len(tests) != 1:
        raise UsageError(
            "You can only pass extra arguments to a single, specified test. "
            "Please rerun the command and specify a single test to run."
        )
    options = TestOptions(
        extra_requests=tuple(extra_packages),
        extra_args=tuple(extra_args),
        dry_run=dry_run,
        parent_environ=parent_environ,
    )
    resolve = resolver or make_test_resolver(config, paths=paths)
    jobs = plan_tests(package, selected, options, resolve, variants=candidates)
    tasks = package_test_tasks(jobs, options, config, resolve, prefix=prefix)
    return TestSetup(
        package,
        tuple(all_names),
        tuple(selected),
        tuple(jobs),
        Graph.from_tasks(tasks),
        tuple(t.name for t in tasks),
    )


def _inplace(request: str | Package, config: Config) -> tuple[Package, TestResolver, list[Variant]]:
    from pkg.api.context_info import current_context_path
    from pkg.core import Requirement

    path = current_context_path()
    if path is None:
        raise UsageError("--inplace: not in a context (no $REZ_RXT_FILE)")
    resolve, variants = current_resolver(config, path)
    if isinstance(request, str):
        req = Requirement(request)
        name, wanted = req.name, req.range
    else:
        name, wanted = request.name, Requirement(f"{request.name}=={request.version}").range
    variant = next((v for v in variants if v.name == name), None)
    if variant is None or not wanted.contains_version(variant.version):
        shown = request if isinstance(request, str) else request.qualified_name
        raise UsageError(f"--inplace: the current context has no package matching {shown}")
    return variant.package, resolve, [variant]


def run_package_tests(
    request: str | Package,
    config: Config,
    *,
    jobs: int | None = None,
    stop_on_fail: bool = False,
    backend: Backend = "asyncio",
    on_event: EventHandler | None = None,
    on_output: Callable[[TestJob, list[str]], None] | None = None,
    setup: TestSetup | None = None,
    **options: object,
) -> TestReport:
    """Run the package's tests (see :func:`prepare_tests` for ``options``).

    Jobs run concurrently, at most ``jobs`` at once (default: ``build_thread_count``).
    Every test runs unless ``stop_on_fail``: then the first failure cancels the others.
    ``on_output`` receives each job's output once it and every job before it have ended,
    so output comes in run order whatever the concurrency.

    Raises:
        The errors of :func:`prepare_tests`, before anything runs.
    """
    if setup is None:
        setup = prepare_tests(request, config, **options)  # type: ignore[arg-type]
    output: dict[str, list[str]] = {name: [] for name in setup.tasks}
    done: set[str] = set()
    cursor = [0]

    def handle(event: Event) -> None:
        if isinstance(event, TaskOutput) and event.task in output:
            output[event.task].append(event.line)
        elif isinstance(event, TaskFinished | TaskFailed | TaskCancelled | TaskSkipped):
            done.add(event.task)
            while cursor[0] < len(setup.tasks) and setup.tasks[cursor[0]] in done:
                name = setup.tasks[cursor[0]]
                if on_output is not None:
                    on_output(setup.jobs[cursor[0]], output[name])
                cursor[0] += 1
        if on_event is not None:
            on_event(event)

    try:
        result = run_graph(
            setup.graph,
            backend=backend,
            on_event=handle,
            jobs=jobs if jobs is not None else config.build_thread_count,
            keep_going=not stop_on_fail,
        )
    except RunError as error:
        result = error.result
    return TestReport(setup, result, output, stop_on_fail)
