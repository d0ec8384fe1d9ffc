"""Orchestrator benchmark: scheduling overhead and real parallelism, on asyncio and trio.

Three measurements per backend (best of R runs each):

* 2,000 no-op tasks in a layered DAG (40 layers of 50; each task depends on up to 3
  tasks of the layer before), ``-j 8``.  Target: under 1 s.  The same run with an event
  handler attached (every event appended to a list) shows the cost of observability.
* 8 independent tasks that each run ``sleep 1`` as a subprocess, ``-j 8``.  Target: under
  1.3 s (the ideal is 1 s; the rest is process start-up and scheduling).
* the per-task overhead: the 2,000-task time divided by 2,000.

Run:  python benchmarks/bench_orchestrator.py [--repeat R] [--tasks N] [--backend B]
Timings are printed, never asserted; the targets are marked "ok" or "MISSED".
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import TYPE_CHECKING

import anyio

from pkg.orchestrator import Graph, Runner, Task

if TYPE_CHECKING:
    from pkg.orchestrator import TaskContext
    from pkg.orchestrator.events import Event


async def _noop(_ctx: TaskContext) -> None:
    pass


async def _sleep_1s(ctx: TaskContext) -> None:
    if sys.platform == "win32":  # pragma: no cover
        await ctx.run_process([sys.executable, "-c", "import time; time.sleep(1)"])
    else:
        await ctx.run_process(["sleep", "1"])


def layered_graph(count: int, width: int = 50, seed: int = 1) -> Graph:
    """``count`` no-op tasks in layers of ``width``, each needing up to 3 of the layer before."""
    rng = random.Random(seed)
    tasks = []
    previous: list[str] = []
    for layer in range((count + width - 1) // width):
        current = []
        for i in range(min(width, count - layer * width)):
            name = f"L{layer:03d}-{i:03d}"
            deps = rng.sample(previous, k=min(len(previous), rng.randint(1, 3)))
            tasks.append(Task(name, _noop, deps=deps))
            current.append(name)
        previous = current
    return Graph.from_tasks(tasks)


def _time(backend: str, graph: Graph, jobs: int, *, with_events: bool, repeat: int) -> float:
    best = float("inf")
    for run in range(repeat + 1):  # run 0 warms up and is not counted
        events: list[Event] = []
        runner = Runner(jobs=jobs)

        async def main(runner: Runner = runner, events: list[Event] = events) -> None:
            await runner.run(graph, on_event=events.append if with_events else None)

        start = time.perf_counter()
        anyio.run(main, backend=backend)
        if run:
            best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument("--tasks", type=int, default=2000, help="no-op tasks (default 2000)")
    parser.add_argument("--backend", choices=["asyncio", "trio"], action="append")
    args = parser.parse_args()

    t0 = time.perf_counter()
    graph = layered_graph(args.tasks)
    build = time.perf_counter() - t0
    edges = sum(len(task.deps) for task in graph)
    sleepers = Graph.from_tasks([Task(f"sleep{i}", _sleep_1s) for i in range(8)])
    print(f"graph: {len(graph)} tasks, {edges} edges, built and ordered in {build * 1000:.1f} ms")
    print()
    header = f"{'backend':<8} {'measurement':<36} {'time':>9}  target"
    print(header)
    print("-" * len(header))
    for backend in args.backend or ["asyncio", "trio"]:
        noop = _time(backend, graph, 8, with_events=False, repeat=args.repeat)
        with_events = _time(backend, graph, 8, with_events=True, repeat=args.repeat)
        sleep = _time(backend, sleepers, 8, with_events=False, repeat=args.repeat)
        rows = [
            (f"{len(graph)} no-op tasks, -j 8", noop, 1.0),
            (f"{len(graph)} no-op tasks, -j 8, events on", with_events, 1.0),
            ("8 x 'sleep 1' subprocesses, -j 8", sleep, 1.3),
        ]
        for label, seconds, target in rows:
            verdict = "ok" if seconds < target else "MISSED"
            print(f"{backend:<8} {label:<36} {seconds:>8.3f}s  < {target:g} s {verdict}")
        per_task = noop / len(graph) * 1e6
        per_task_events = with_events / len(graph) * 1e6
        print(
            f"{backend:<8} {'per-task overhead':<36} {per_task:>7.0f}us"
            f"  ({per_task_events:.0f} us with events)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
