"""Task graphs: :class:`Task` specs and the validated, ordered :class:`Graph` of them.

This module is pure: it builds and checks the graph and computes its order, and runs
nothing.  The runner (:mod:`pkg.orchestrator.runner`) executes a graph.
"""

from __future__ import annotations

import heapq
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from pkg.errors import OrchestrationError

if TYPE_CHECKING:
    from pkg.orchestrator._context import TaskContext

__all__ = ["Graph", "GraphError", "Task", "TaskFn"]

#: What a task runs: an async callable receiving the task's context.  Its return value is
#: the task's result (see :meth:`TaskContext.result_of`).
TaskFn = Callable[["TaskContext"], Awaitable[object]]


class GraphError(OrchestrationError):
    """A task graph is malformed: duplicate names, missing dependencies or a cycle.

    All problems found are reported together.

    Attributes:
        duplicates: task names given more than once.
        missing: ``(task, dependency)`` pairs naming a dependency that is not in the graph.
        cycle: the names along one dependency cycle, each depending on the next and the
            first repeated at the end (``("a", "b", "a")``), or ``()``.
    """

    def __init__(
        self,
        *,
        duplicates: tuple[str, ...] = (),
        missing: tuple[tuple[str, str], ...] = (),
        cycle: tuple[str, ...] = (),
    ) -> None:
        self.duplicates = duplicates
        self.missing = missing
        self.cycle = cycle
        problems = []
        if duplicates:
            problems.append("duplicate task names: " + ", ".join(map(repr, duplicates)))
        problems.extend(f"task {task!r} depends on unknown task {dep!r}" for task, dep in missing)
        if cycle:
            problems.append("dependency cycle: " + " -> ".join(cycle) + " (-> means 'needs')")
        super().__init__("invalid task graph: " + "; ".join(problems))


@dataclass(frozen=True, slots=True, eq=False, init=False)
class Task:
    """One unit of work in a :class:`Graph`.

    Tasks compare by identity: they hold a callable, so two specs are never "equal".

    Attributes:
        name: unique within its graph; used in events, logs and the summary.
        fn: ``async def fn(ctx: TaskContext) -> object``; what the task does.
        deps: names of the tasks that must succeed before this one starts (any iterable
            of names may be given; duplicates are dropped).
        priority: among tasks that are ready at the same time, higher starts first
            (ties keep the order the tasks were given in).
        resources: named limiter -> units this task holds while it runs, e.g.
            ``{"network": 1}``.  A task starts only when every unit is free.
        timeout: seconds an attempt may take before it fails with
            :class:`~pkg.orchestrator.TaskTimeoutError`; ``None`` for no limit.
        retries: how many times a failed attempt is run again (0: never).  A task with
            ``retries > 0`` is *retryable*.
        retry_on: only failures that are instances of these exception types are retried
            (a timeout is a :class:`TimeoutError`).

    Raises:
        ValueError: a field is out of range (empty name, timeout <= 0, negative retries,
            a resource need below 1).
    """

    name: str
    fn: TaskFn
    deps: tuple[str, ...]
    priority: int
    resources: Mapping[str, int]
    timeout: float | None
    retries: int
    retry_on: tuple[type[Exception], ...]

    def __init__(
        self,
        name: str,
        fn: TaskFn,
        *,
        deps: Iterable[str] = (),
        priority: int = 0,
        resources: Mapping[str, int] | None = None,
        timeout: float | None = None,
        retries: int = 0,
        retry_on: tuple[type[Exception], ...] = (Exception,),
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"a task name must be a non-empty string, not {name!r}")
        needs = dict(resources or {})
        for resource, units in needs.items():
            if not isinstance(units, int) or units < 1:
                raise ValueError(
                    f"task {name!r}: resource {resource!r} needs a positive whole "
                    f"number of units, not {units!r}"
                )
        if timeout is not None and not timeout > 0:
            raise ValueError(f"task {name!r}: timeout must be positive, not {timeout}")
        if retries < 0:
            raise ValueError(f"task {name!r}: retries must be >= 0, not {retries}")
        deps = (deps,) if isinstance(deps, str) else deps
        set_ = object.__setattr__
        set_(self, "name", name)
        set_(self, "fn", fn)
        set_(self, "deps", tuple(dict.fromkeys(deps)))
        set_(self, "priority", priority)
        set_(self, "resources", MappingProxyType(needs))
        set_(self, "timeout", timeout)
        set_(self, "retries", retries)
        set_(self, "retry_on", retry_on)

    @property
    def retryable(self) -> bool:
        """Whether a failed attempt may be run again (``retries > 0``)."""
        return self.retries > 0


class Graph:
    """A validated set of tasks and their dependencies, in a stable topological order.

    Build one with :meth:`from_tasks`.  Iterating yields the tasks in :attr:`order`.
    A graph is immutable and may be run any number of times.
    """

    __slots__ = ("_dependants", "_index", "_order", "_tasks")

    def __init__(self, tasks: Mapping[str, Task], order: tuple[str, ...]) -> None:
        """Internal: use :meth:`from_tasks`, which validates."""
        self._tasks = MappingProxyType(dict(tasks))
        self._order = order
        self._index = {name: i for i, name in enumerate(tasks)}
        dependants: dict[str, list[str]] = {name: [] for name in tasks}
        for task in tasks.values():
            for dep in task.deps:
                dependants[dep].append(task.name)
        self._dependants = {name: tuple(names) for name, names in dependants.items()}

    @classmethod
    def from_tasks(cls, tasks: Iterable[Task]) -> Graph:
        """Check ``tasks`` and build their graph.

        The :attr:`order` is Kahn's algorithm choosing, among the tasks whose dependencies
        are all placed, the highest :attr:`Task.priority` first and then the one given
        first.  It is therefore stable: the same tasks in the same order always give the
        same order, which is also the order a runner with one job runs them in.
        O((V + E) log V).

        Raises:
            GraphError: a name is duplicated, a dependency is unknown, or the
                dependencies form a cycle.
        """
        by_name: dict[str, Task] = {}
        duplicates: list[str] = []
        for task in tasks:
            if task.name in by_name:
                duplicates.append(task.name)
            by_name[task.name] = task
        missing = tuple(
            (task.name, dep) for task in by_name.values() for dep in task.deps if dep not in by_name
        )
        if duplicates or missing:
            raise GraphError(duplicates=tuple(dict.fromkeys(duplicates)), missing=missing)
        order = _stable_order(by_name)
        if len(order) < len(by_name):
            placed = set(order)
            raise GraphError(cycle=_find_cycle({n: by_name[n] for n in by_name if n not in placed}))
        return cls(by_name, order)

    @property
    def order(self) -> tuple[str, ...]:
        """Task names in the stable topological order (see :meth:`from_tasks`)."""
        return self._order

    def __len__(self) -> int:
        return len(self._tasks)

    def __iter__(self) -> Iterator[Task]:
        return (self._tasks[name] for name in self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._tasks

    def __getitem__(self, name: str) -> Task:
        return self._tasks[name]

    def __repr__(self) -> str:
        return f"<Graph of {len(self)} tasks>"

    def index(self, name: str) -> int:
        """The position ``name``'s task was given in (breaks priority ties)."""
        return self._index[name]

    def dependants(self, name: str) -> tuple[str, ...]:
        """Names of the tasks that depend directly on ``name``, in the order given."""
        return self._dependants[name]

    def sort_key(self, name: str) -> tuple[int, int]:
        """The key ready tasks are started by: higher priority, then given first."""
        return (-self._tasks[name].priority, self._index[name])


def _stable_order(tasks: Mapping[str, Task]) -> tuple[str, ...]:
    index = {name: i for i, name in enumerate(tasks)}
    waiting = {name: len(task.deps) for name, task in tasks.items()}
    dependants: dict[str, list[str]] = {name: [] for name in tasks}
    for task in tasks.values():
        for dep in task.deps:
            dependants[dep].append(task.name)
    ready = [(-task.priority, index[name], name) for name, task in tasks.items() if not task.deps]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, _, name = heapq.heappop(ready)
        order.append(name)
        for dependant in dependants[name]:
            waiting[dependant] -= 1
            if not waiting[dependant]:
                heapq.heappush(ready, (-tasks[dependant].priority, index[dependant], dependant))
    return tuple(order)


def _find_cycle(tasks: Mapping[str, Task]) -> tuple[str, ...]:
    """One cycle among ``tasks``, each of which is on or behind a cycle (iterative DFS)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for start in tasks:
        if start in state:
            continue
        path: list[str] = []
        stack: list[Iterator[str]] = []
        node: str | None = start
        while True:
            if node is not None:
                state[node] = 1
                path.append(node)
                stack.append(iter(d for d in tasks[node].deps if d in tasks))
            dep = next(stack[-1], None) if stack else None
            if dep is None:
                if not stack:
                    break
                stack.pop()
                state[path.pop()] = 2
                node = None
                if not stack:
                    break
                continue
            if state.get(dep) == 1:
                cycle = path[path.index(dep) :]
                return (*cycle, dep)
            node = dep if dep not in state else None
    return ()  # pragma: no cover - only called when a cycle exists
