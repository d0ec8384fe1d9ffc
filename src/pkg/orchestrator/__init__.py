"""The task DAG engine: run tasks concurrently on anyio, under asyncio or trio.

``pkg`` runs every multi-step job (per-variant solves and builds, package tests, pip
conversions, releases with their hooks) as a graph of tasks.  This package knows nothing
about packages: callers hand it :class:`Task` objects (an async callable plus its
dependencies, priority and resource needs), the way a resolver receives a provider.

>>> import anyio
>>> from pkg.orchestrator import Graph, Runner, Task
>>> async def hello(ctx):
...     ctx.log(f"hello from {ctx.name}")
...     return 42
>>> graph = Graph.from_tasks([Task("a", hello), Task("b", hello, deps=["a"])])
>>> result = anyio.run(Runner(jobs=2).run, graph)
>>> [(name, outcome.status.value, outcome.value) for name, outcome in result.outcomes.items()]
[('a', 'succeeded', 42), ('b', 'succeeded', 42)]

Nothing here prints: progress goes out as typed :mod:`~pkg.orchestrator.events`, which the
command line renders.  See ``docs/orchestrator.md``.
"""

from __future__ import annotations

from pkg.orchestrator._context import ProcessError, TaskContext
from pkg.orchestrator.dag import Graph, GraphError, Task, TaskFn
from pkg.orchestrator.plan import plan_dot, plan_text
from pkg.orchestrator.result import RunError, RunResult, TaskOutcome, TaskStatus, TaskTimeoutError
from pkg.orchestrator.runner import BACKENDS, Backend, Runner, run_graph

__all__ = [
    "BACKENDS",
    "Backend",
    "Graph",
    "GraphError",
    "ProcessError",
    "RunError",
    "RunResult",
    "Runner",
    "Task",
    "TaskContext",
    "TaskFn",
    "TaskOutcome",
    "TaskStatus",
    "TaskTimeoutError",
    "plan_dot",
    "plan_text",
    "run_graph",
]


def __dir__() -> list[str]:
    return __all__
