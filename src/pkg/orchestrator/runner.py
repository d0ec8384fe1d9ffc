"""Running a :class:`~pkg.orchestrator.dag.Graph`: :class:`Runner` and :func:`run_graph`.

One :class:`Runner` holds the policy (job count, resource limits, fail-fast or keep
going, logs); :meth:`Runner.run` executes a graph in an anyio task group and works the same
under asyncio and trio.  A single-use ``_Run`` holds the state of one execution.

Scheduling: a task is *ready* once all its dependencies have succeeded.  Whenever a job
slot or a resource unit frees up, ready tasks are started in the order of
:meth:`Graph.sort_key` (priority, then the order given), skipping over tasks whose
resources are taken, so that a task waiting for ``network`` never holds up one that
does not need it.  With one job this makes the execution order exactly
:attr:`Graph.order`.  All bookkeeping happens synchronously between checkpoints, so no
locks are needed and the order does not depend on the backend.
"""

from __future__ import annotations

import functools
import heapq
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Literal

import anyio

from pkg.errors import OrchestrationError
from pkg.orchestrator import events as ev
from pkg.orchestrator._context import TaskContext, stop_process
from pkg.orchestrator._log import TaskLog, log_file_name
from pkg.orchestrator.result import (
    RunError,
    RunResult,
    TaskOutcome,
    TaskStatus,
    TaskTimeoutError,
    describe,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from anyio.abc import Process, TaskGroup
    from anyio.abc import TaskStatus as AnyioTaskStatus

    from pkg.orchestrator.dag import Graph, Task
    from pkg.orchestrator.events import EventHandler

__all__ = ["BACKENDS", "Backend", "Runner", "run_graph"]

#: The event loops a graph can run on.
Backend = Literal["asyncio", "trio"]
BACKENDS: tuple[Backend, ...] = ("asyncio", "trio")


class Runner:
    """Runs task graphs with a policy; reusable, and safe to share between runs.

    Args:
        jobs: at most this many tasks run at once (``-j N``); default: the CPU count.
            The command line passes the ``build_thread_count`` setting.
        keep_going: on a failure, keep running every task that does not depend on it
            (``--keep-going``).  By default the first failure stops the run: running
            tasks are cancelled and the rest are skipped.
        limiters: capacity of named resources, e.g. ``{"network": 4, "vcs": 1}``.  A
            task holds its :attr:`Task.resources` units while it runs.
        default_limit: capacity of a resource that is not in ``limiters`` (so by default
            ``install-lock:foo`` is a mutex).
        log_dir: each task's output goes to a file here (created on demand); ``None``
            keeps only the tail in memory.
        grace_period: seconds between ``SIGTERM`` and ``SIGKILL`` when a subprocess is
            stopped.
        tail_lines: how many output lines a failure event carries.
        handle_sigint: while the run is going, Ctrl-C (``SIGINT``) stops it as a failure
            would, and the run ends with :class:`RunError` (exit code 130) once every
            subprocess is gone; a second Ctrl-C skips the grace period.  Only in the main
            thread and not on Windows; elsewhere Ctrl-C cancels the run as usual.
    """

    def __init__(
        self,
        *,
        jobs: int | None = None,
        keep_going: bool = False,
        limiters: Mapping[str, int] | None = None,
        default_limit: int = 1,
        log_dir: Path | None = None,
        grace_period: float = 3.0,
        tail_lines: int = 20,
        handle_sigint: bool = False,
    ) -> None:
        self.jobs = jobs if jobs is not None else (os.cpu_count() or 1)
        if self.jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {self.jobs}")
        self.keep_going = keep_going
        self.limiters = dict(limiters or {})
        for name, capacity in (*self.limiters.items(), ("default_limit", default_limit)):
            if capacity < 1:
                raise ValueError(f"the limit of {name!r} must be at least 1, not {capacity}")
        self.default_limit = default_limit
        self.log_dir = log_dir
        self.grace_period = grace_period
        self.tail_lines = tail_lines
        self.handle_sigint = handle_sigint

    def capacity(self, resource: str) -> int:
        """How many units of ``resource`` exist."""
        return self.limiters.get(resource, self.default_limit)

    async def run(self, graph: Graph, *, on_event: EventHandler | None = None) -> RunResult:
        """Run every task of ``graph``; return the result if all succeeded.

        ``on_event`` receives the :mod:`~pkg.orchestrator.events` of the run.  If the
        caller cancels this call, running tasks are cancelled (their subprocesses
        stopped) before the cancellation propagates.

        Raises:
            RunError: a task failed, or the run was interrupted (the error carries the
                :class:`RunResult`).
            OrchestrationError: a task needs more units of a resource than exist.
        """
        for task in graph:
            for resource, units in task.resources.items():
                if units > self.capacity(resource):
                    raise OrchestrationError(
                        f"task {task.name!r} needs {units} units of {resource!r}, but its "
                        f"limit is {self.capacity(resource)}"
                    )
        result = await _Run(self, graph, on_event).execute()
        if not result.ok:
            failures = [o.error for o in result.outcomes.values() if o.error is not None]
            error = RunError(result)
            if failures:
                raise error from ExceptionGroup("task failures", failures)
            raise error
        return result


class _Run:
    """The state of one execution of a graph (single use)."""

    def __init__(self, runner: Runner, graph: Graph, on_event: EventHandler | None) -> None:
        self.runner = runner
        self.graph = graph
        self._on_event = on_event
        self._t0 = anyio.current_time()
        self._waiting = {task.name: len(task.deps) for task in graph}
        self._ready: list[tuple[tuple[int, int], str]] = []
        self._free_jobs = runner.jobs
        self._free: dict[str, int] = {}
        self._scopes: dict[str, anyio.CancelScope] = {}
        self._started: list[str] = []
        self._tails: dict[str, tuple[str, ...]] = {}
        self._starts: dict[str, float] = {}
        self.outcomes: dict[str, TaskOutcome] = {}
        self.values: dict[str, object] = {}
        self._hurry: set[anyio.CancelScope] = set()
        self._hurried = False
        self._stopping = False
        self._interrupted = False
        self._all_done = anyio.Event()
        self._tg: TaskGroup | None = None

    # -- events -----------------------------------------------------------------------------

    def now(self) -> float:
        return anyio.current_time() - self._t0

    def emit(self, event: ev.Event) -> None:
        if self._on_event is not None:
            self._on_event(event)

    def output(
        self, task: str, log: TaskLog, line: str, stream: Literal["stdout", "stderr", "log"]
    ) -> None:
        log.write(line)
        if self._on_event is not None:
            self._on_event(ev.TaskOutput(task, self.now(), line, stream))

    def progress(self, task: str, fraction: float | None, message: str) -> None:
        self.emit(ev.TaskProgress(task, self.now(), fraction, message))

    # -- the run ----------------------------------------------------------------------------

    async def execute(self) -> RunResult:
        graph = self.graph
        self.emit(ev.RunStarted(self.now(), len(graph), self.runner.jobs))
        try:
            for name in graph.order:
                if not self._waiting[name]:
                    self._queue(name)
            if len(graph):
                async with anyio.create_task_group() as tg:
                    self._tg = tg
                    if self.runner.handle_sigint and _can_watch_signals():
                        await tg.start(self._watch_sigint)
                    self._fill()
                    await self._all_done.wait()
                    tg.cancel_scope.cancel()  # the signal watcher
        finally:
            # Only when the caller cancelled us (or a bug) is anything left unfinished.
            for name in graph.order:
                if name not in self.outcomes:
                    self._record(TaskOutcome(name, TaskStatus.SKIPPED, reason="run cancelled"))
            result = RunResult(
                {name: self.outcomes[name] for name in graph.order},
                tuple(self._started),
                self.now(),
                self._interrupted,
            )
            self.emit(
                ev.RunFinished(self.now(), result.duration, result.counts(), self._interrupted)
            )
        return result

    def _queue(self, name: str) -> None:
        heapq.heappush(self._ready, (self.graph.sort_key(name), name))
        self.emit(ev.TaskQueued(name, self.now()))

    def _fill(self) -> None:
        """Start ready tasks while job slots (and their resources) are free."""
        if self._stopping or self._tg is None:
            return
        blocked = []
        while self._ready and self._free_jobs:
            item = heapq.heappop(self._ready)
            task = self.graph[item[1]]
            if all(self._available(r) >= units for r, units in task.resources.items()):
                self._start(task)
            else:
                blocked.append(item)
        for item in blocked:
            heapq.heappush(self._ready, item)

    def _available(self, resource: str) -> int:
        return self._free.get(resource, self.runner.capacity(resource))

    def _start(self, task: Task) -> None:
        assert self._tg is not None
        self._free_jobs -= 1
        for resource, units in task.resources.items():
            self._free[resource] = self._available(resource) - units
        self._started.append(task.name)
        self._starts[task.name] = self.now()
        scope = self._scopes[task.name] = anyio.CancelScope()
        self._tg.start_soon(self._work, task, scope, name=f"task {task.name}")

    def _release(self, task: Task) -> None:
        self._free_jobs += 1
        for resource, units in task.resources.items():
            self._free[resource] += units
        del self._scopes[task.name]

    async def _work(self, task: Task, scope: anyio.CancelScope) -> None:
        log_dir = self.runner.log_dir
        index = self.graph.index(task.name)
        path = None if log_dir is None else log_dir / log_file_name(task.name, index)
        log = TaskLog(path, tail_lines=self.runner.tail_lines)
        ctx = TaskContext(self, task.name, log)
        outcome: TaskOutcome | None = None
        try:
            try:
                with scope:
                    outcome = await self._attempts(task, ctx, log)
            except Exception as error:  # escaped along with a cancellation
                outcome = self._failure(task, ctx, log, error)
        finally:
            log.close()
            self._tails[task.name] = log.tail()
            self._release(task)
            if outcome is None and not scope.cancel_called:
                # The caller cancelled the whole run (or a bug): start nothing more.
                self.stop("run cancelled")
            if outcome is None or (scope.cancel_called and outcome.status is TaskStatus.FAILED):
                outcome = TaskOutcome(
                    task.name,
                    TaskStatus.CANCELLED,
                    duration=self.now() - self._starts[task.name],
                    attempts=ctx.attempt,
                    log_path=path if log.written else None,
                )
            self._finish(outcome)

    async def _attempts(self, task: Task, ctx: TaskContext, log: TaskLog) -> TaskOutcome:
        while True:
            self.emit(ev.TaskStarted(task.name, self.now(), ctx.attempt))
            deadline: anyio.CancelScope | None = None
            try:
                if task.timeout is None:
                    value = await task.fn(ctx)
                else:
                    with anyio.fail_after(task.timeout) as deadline:
                        value = await task.fn(ctx)
            except Exception as raised:
                error: Exception = raised
                if deadline is not None and deadline.cancelled_caught:
                    error = TaskTimeoutError(task.name, task.timeout or 0.0)
                if ctx.attempt <= task.retries and isinstance(error, task.retry_on):
                    self.emit(ev.TaskRetrying(task.name, self.now(), ctx.attempt, describe(error)))
                    ctx.attempt += 1
                    continue
                return self._failure(task, ctx, log, error)
            return TaskOutcome(
                task.name,
                TaskStatus.SUCCEEDED,
                duration=self.now() - self._starts[task.name],
                attempts=ctx.attempt,
                value=value,
                log_path=log.path if log.written else None,
            )

    def _failure(self, task: Task, ctx: TaskContext, log: TaskLog, error: Exception) -> TaskOutcome:
        return TaskOutcome(
            task.name,
            TaskStatus.FAILED,
            duration=self.now() - self._starts[task.name],
            attempts=ctx.attempt,
            error=error,
            log_path=log.path if log.written else None,
        )

    def _record(self, outcome: TaskOutcome) -> None:
        self.outcomes[outcome.name] = outcome
        now = self.now()
        log_path = None if outcome.log_path is None else str(outcome.log_path)
        match outcome.status:
            case TaskStatus.SUCCEEDED:
                self.emit(ev.TaskFinished(outcome.name, now, outcome.duration))
            case TaskStatus.FAILED:
                assert outcome.error is not None
                tail = self._tails.get(outcome.name, ())
                self.emit(
                    ev.TaskFailed(
                        outcome.name,
                        now,
                        outcome.duration,
                        outcome.attempts,
                        describe(outcome.error),
                        tail,
                        log_path,
                    )
                )
            case TaskStatus.CANCELLED:
                self.emit(ev.TaskCancelled(outcome.name, now, outcome.duration))
            case TaskStatus.SKIPPED:
                self.emit(ev.TaskSkipped(outcome.name, now, outcome.reason))
        if len(self.outcomes) == len(self.graph):
            self._all_done.set()

    def _finish(self, outcome: TaskOutcome) -> None:
        name = outcome.name
        self._record(outcome)
        if outcome.status is TaskStatus.SUCCEEDED:
            self.values[name] = outcome.value
            for dependant in self.graph.dependants(name):
                self._waiting[dependant] -= 1
                if not self._waiting[dependant] and dependant not in self.outcomes:
                    self._queue(dependant)
        else:
            self._skip_dependants(name, f"dependency {name!r} {outcome.status}")
            if outcome.status is TaskStatus.FAILED and not self.runner.keep_going:
                self.stop(f"stopped after {name!r} failed")
        self._fill()

    def _skip_dependants(self, name: str, reason: str) -> None:
        stack = [(name, reason)]
        while stack:
            current, why = stack.pop()
            for dependant in self.graph.dependants(current):
                if dependant not in self.outcomes and dependant not in self._scopes:
                    self._record(TaskOutcome(dependant, TaskStatus.SKIPPED, reason=why))
                    stack.append((dependant, f"dependency {dependant!r} skipped"))

    def stop(self, reason: str) -> None:
        """Cancel the running tasks and skip the rest (fail-fast, Ctrl-C)."""
        if self._stopping:
            return
        self._stopping = True
        self._ready.clear()
        for scope in self._scopes.values():
            scope.cancel()
        for name in self.graph.order:
            if name not in self.outcomes and name not in self._scopes:
                self._record(TaskOutcome(name, TaskStatus.SKIPPED, reason=reason))

    def interrupt(self) -> None:
        """Ctrl-C: stop the run; a second time, stop subprocesses without a grace period."""
        if self._interrupted:
            self._hurried = True
            for scope in self._hurry:
                scope.cancel()
            return
        self._interrupted = True
        self.stop("interrupted")

    async def stop_process(self, process: Process) -> None:
        grace = 0.0 if self._hurried else self.runner.grace_period
        await stop_process(process, grace_period=grace, hurry=self._hurry)

    async def _watch_sigint(self, *, task_status: AnyioTaskStatus[None]) -> None:
        with anyio.open_signal_receiver(signal.SIGINT) as signals:
            task_status.started()
            async for _ in signals:
                self.interrupt()


def _can_watch_signals() -> bool:
    return sys.platform != "win32" and threading.current_thread() is threading.main_thread()


def run_graph(
    graph: Graph,
    *,
    backend: Backend = "asyncio",
    on_event: EventHandler | None = None,
    jobs: int | None = None,
    keep_going: bool = False,
    limiters: Mapping[str, int] | None = None,
    default_limit: int = 1,
    log_dir: Path | None = None,
    grace_period: float = 3.0,
    handle_sigint: bool = True,
) -> RunResult:
    """Run ``graph`` on a new event loop of ``backend``; the entry point of commands.

    This is :meth:`Runner.run` under :func:`anyio.run`, with Ctrl-C handled by the runner
    (see ``handle_sigint`` of :class:`Runner`, on by default here).  The keyword arguments
    are those of :class:`Runner`.

    Raises:
        RunError: a task failed or the run was interrupted (exit code 130).
        ValueError: ``backend`` is not one of :data:`BACKENDS`.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    runner = Runner(
        jobs=jobs,
        keep_going=keep_going,
        limiters=limiters,
        default_limit=default_limit,
        log_dir=log_dir,
        grace_period=grace_period,
        handle_sigint=handle_sigint,
    )
    return anyio.run(functools.partial(runner.run, graph, on_event=on_event), backend=backend)
