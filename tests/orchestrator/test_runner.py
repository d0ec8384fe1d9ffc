"""The runner's scheduling, failure and retry policy, on asyncio and trio."""

from __future__ import annotations

import json
import random
import threading
from functools import partial
from typing import TYPE_CHECKING

import anyio
import pytest

from pkg.errors import OrchestrationError
from pkg.orchestrator import (
    Graph,
    RunError,
    Runner,
    Task,
    TaskContext,
    TaskStatus,
    TaskTimeoutError,
    run_graph,
)
from pkg.orchestrator import events as ev
from tests.orchestrator.helpers import Recorder, chain, noop, run

if TYPE_CHECKING:
    from pkg.orchestrator import TaskFn

pytestmark = pytest.mark.anyio

S, F, C, K = (TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELLED, TaskStatus.SKIPPED)


def statuses(result_or_error: object) -> dict[str, TaskStatus]:
    result = result_or_error.result if isinstance(result_or_error, RunError) else result_or_error
    return {name: o.status for name, o in result.outcomes.items()}  # type: ignore[attr-defined]


def _layered(seed: int, layers: int = 6, width: int = 8) -> list[Task]:
    """A random layered DAG whose tasks check their dependencies have finished."""
    rng = random.Random(seed)
    finished: set[str] = set()

    def make(name: str, deps: list[str]) -> TaskFn:
        async def fn(ctx: TaskContext) -> None:
            assert set(deps) <= finished, f"{name} started before {set(deps) - finished}"
            for _ in range(rng.randint(0, 3)):
                await anyio.sleep(0)
            finished.add(name)

        return fn

    tasks = []
    previous: list[str] = []
    for layer in range(layers):
        current = []
        for i in range(width):
            name = f"L{layer}-{i}"
            deps = rng.sample(previous, k=min(len(previous), rng.randint(0, 3)))
            tasks.append(Task(name, make(name, deps), deps=deps, priority=rng.randint(0, 2)))
            current.append(name)
        previous = current
    rng.shuffle(tasks)
    return tasks


@pytest.mark.parametrize("jobs", [1, 3, 16])
async def test_dependencies_always_complete_before_dependants(
    jobs: int, recorder: Recorder
) -> None:
    tasks = _layered(seed=jobs)
    result = await run(tasks, recorder, jobs=jobs)
    assert result.ok
    position = {(e.kind, getattr(e, "task", "")): i for i, e in enumerate(recorder.events)}
    for task in tasks:
        for dep in task.deps:
            assert position[("finished", dep)] < position[("started", task.name)]


async def test_one_job_runs_the_stable_topological_order(recorder: Recorder) -> None:
    graph = Graph.from_tasks(_layered(seed=7))
    result = await run(graph, recorder, jobs=1)
    assert result.started == graph.order
    assert recorder.tasks("started") == list(graph.order)
    assert recorder.tasks("finished") == list(graph.order)


async def test_never_more_than_jobs_tasks_at_once() -> None:
    gate = anyio.Event()
    running = peak = 0

    async def work(_ctx: TaskContext) -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await gate.wait()
        await anyio.sleep(0)
        running -= 1

    async with anyio.create_task_group() as tg:
        tg.start_soon(partial(run, [Task(f"t{i}", work) for i in range(10)], jobs=3))
        await anyio.wait_all_tasks_blocked()
        assert running == 3
        gate.set()
    assert peak == 3
    assert running == 0


async def test_resource_limiters_cap_their_tasks_without_blocking_others() -> None:
    gate = anyio.Event()
    running: dict[str, int] = {"net": 0, "other": 0}
    peak = dict(running)

    def make(kind: str) -> TaskFn:
        async def fn(_ctx: TaskContext) -> None:
            running[kind] += 1
            peak[kind] = max(peak[kind], running[kind])
            await gate.wait()
            await anyio.sleep(0)
            running[kind] -= 1

        return fn

    tasks = [Task(f"net{i}", make("net"), resources={"network": 1}) for i in range(6)]
    tasks += [Task(f"other{i}", make("other")) for i in range(2)]
    async with anyio.create_task_group() as tg:
        tg.start_soon(partial(run, tasks, jobs=6, limiters={"network": 2}))
        await anyio.wait_all_tasks_blocked()
        # Two network tasks hold the limiter; the others still got their job slots.
        assert running == {"net": 2, "other": 2}
        gate.set()
    assert peak == {"net": 2, "other": 2}


async def test_an_unlisted_resource_is_a_mutex() -> None:
    inside: dict[str, int] = {}
    peak: dict[str, int] = {}

    def make(lock: str) -> TaskFn:
        async def fn(_ctx: TaskContext) -> None:
            inside[lock] = inside.get(lock, 0) + 1
            peak[lock] = max(peak.get(lock, 0), inside[lock])
            await anyio.sleep(0.01)
            inside[lock] -= 1

        return fn

    tasks = [
        Task(f"{family}{i}", make(family), resources={f"install-lock:{family}": 1})
        for family in ("foo", "bar")
        for i in range(3)
    ]
    result = await run(tasks, jobs=8)
    assert result.ok
    assert peak == {"foo": 1, "bar": 1}
    assert result.duration < 0.06 * 3  # the two families ran side by side


async def test_a_need_above_capacity_is_refused() -> None:
    task = Task("greedy", noop, resources={"network": 3})
    with pytest.raises(OrchestrationError, match="needs 3 units of 'network', but its limit is 2"):
        await run([task], limiters={"network": 2})


async def test_a_failure_cancels_running_siblings_and_skips_the_rest(
    recorder: Recorder,
) -> None:
    both_running = anyio.Event()
    count = 0

    async def slow(_ctx: TaskContext) -> None:
        nonlocal count
        count += 1
        if count == 2:
            both_running.set()
        await anyio.sleep_forever()

    async def bad(_ctx: TaskContext) -> None:
        await both_running.wait()
        raise ValueError("boom")

    tasks = [
        Task("slow1", slow),
        Task("slow2", slow),
        Task("bad", bad),
        Task("independent", noop),
        Task("later", noop, deps=["bad"]),
    ]
    with pytest.raises(RunError) as caught:
        await run(tasks, recorder, jobs=3)
    error = caught.value
    assert statuses(error) == {
        "slow1": C,
        "slow2": C,
        "bad": F,
        "independent": K,
        "later": K,
    }
    assert error.result.outcomes["independent"].reason == "stopped after 'bad' failed"
    assert str(error) == "1 of 5 tasks failed (bad: ValueError: boom), 2 cancelled, 2 skipped"
    assert error.failures == (("bad", error.result.outcomes["bad"].error),)
    assert error.exit_code == 1
    assert isinstance(error.__cause__, ExceptionGroup)
    assert [type(e) for e in error.__cause__.exceptions] == [ValueError]
    assert recorder.kinds("slow1") == ["queued", "started", "cancelled"]
    assert recorder.kinds("independent") == ["queued", "skipped"]


async def test_keep_going_runs_every_independent_task(recorder: Recorder) -> None:
    async def bad(_ctx: TaskContext) -> None:
        raise RuntimeError("nope")

    tasks = [
        Task("a", bad),
        Task("b", noop, deps=["a"]),
        Task("c", noop, deps=["b"]),
        *chain("d", "e", "f"),
        Task("g", noop, deps=["a", "d"]),
    ]
    with pytest.raises(RunError) as caught:
        await run(tasks, recorder, jobs=1, keep_going=True)
    result = caught.value.result
    assert statuses(result) == {"a": F, "b": K, "c": K, "d": S, "e": S, "f": S, "g": K}
    assert result.outcomes["b"].reason == "dependency 'a' failed"
    assert result.outcomes["c"].reason == "dependency 'b' skipped"
    assert recorder.tasks("started") == ["a", "d", "e", "f"]


async def test_a_timeout_fails_the_task() -> None:
    async def hang(_ctx: TaskContext) -> None:
        await anyio.sleep_forever()

    tasks = [Task("hang", hang, timeout=0.02), Task("fine", noop)]
    with pytest.raises(RunError) as caught:
        await run(tasks, keep_going=True)
    outcome = caught.value.result.outcomes["hang"]
    assert outcome.status is F
    assert isinstance(outcome.error, TaskTimeoutError)
    assert isinstance(outcome.error, TimeoutError)
    assert str(outcome.error) == "task 'hang' timed out after 0.02 s"
    assert caught.value.result.outcomes["fine"].status is S


async def test_retryable_tasks_are_retried_a_bounded_number_of_times(
    recorder: Recorder,
) -> None:
    calls: dict[str, int] = {}

    def failing(times: int, error: type[Exception]) -> TaskFn:
        async def fn(ctx: TaskContext) -> str:
            calls[ctx.name] = calls.get(ctx.name, 0) + 1
            assert ctx.attempt == calls[ctx.name]
            if calls[ctx.name] <= times:
                raise error(f"attempt {ctx.attempt}")
            return "done"

        return fn

    tasks = [
        Task("flaky", failing(2, OSError), retries=2, retry_on=(OSError,)),
        Task("exhausted", failing(5, OSError), retries=1),
        Task("not-retryable-error", failing(1, ValueError), retries=3, retry_on=(OSError,)),
        Task("not-retryable", failing(1, OSError)),
        Task("timeouts-retry", failing(1, TimeoutError), retries=1),
    ]
    with pytest.raises(RunError) as caught:
        await run(tasks, recorder, keep_going=True)
    outcomes = caught.value.result.outcomes
    assert {n: (o.status, o.attempts) for n, o in outcomes.items()} == {
        "flaky": (S, 3),
        "exhausted": (F, 2),
        "not-retryable-error": (F, 1),
        "not-retryable": (F, 1),
        "timeouts-retry": (S, 2),
    }
    assert outcomes["flaky"].value == "done"
    assert recorder.kinds("flaky") == [
        "queued",
        "started",
        "retrying",
        "started",
        "retrying",
        "started",
        "finished",
    ]
    retry = next(e for e in recorder.events if isinstance(e, ev.TaskRetrying))
    assert (retry.attempt, retry.error) == (1, "OSError: attempt 1")
    failed = next(e for e in recorder.events if isinstance(e, ev.TaskFailed))
    assert (failed.task, failed.attempts) == ("exhausted", 2)


async def test_results_flow_to_dependants() -> None:
    async def produce(_ctx: TaskContext) -> int:
        return 41

    async def consume(ctx: TaskContext) -> int:
        value = ctx.result_of("produce")
        assert isinstance(value, int)
        with pytest.raises(KeyError, match="does not depend on 'other'"):
            ctx.result_of("other")
        return value + 1

    tasks = [
        Task("produce", produce),
        Task("other", noop),
        Task("consume", consume, deps=["produce"]),
    ]
    result = await run(tasks)
    assert result.outcomes["consume"].value == 42


async def test_blocking_work_runs_in_a_worker_thread() -> None:
    def blocking(x: int, y: int) -> tuple[int, bool]:
        return x + y, threading.current_thread() is threading.main_thread()

    async def fn(ctx: TaskContext) -> tuple[int, bool]:
        return await ctx.run_sync(blocking, 1, 2)

    result = await run([Task("t", fn)])
    assert result.outcomes["t"].value == (3, False)


async def test_the_event_stream(recorder: Recorder) -> None:
    async def chatty(ctx: TaskContext) -> None:
        ctx.log("one\ntwo")
        ctx.progress(1.5, "almost")
        ctx.progress()

    async def bad(ctx: TaskContext) -> None:
        ctx.log("about to fail")
        raise ValueError("bad value")

    tasks = [
        Task("chatty", chatty),
        Task("bad", bad, deps=["chatty"]),
        Task("after", noop, deps=["bad"]),
    ]
    with pytest.raises(RunError):
        await run(tasks, recorder, jobs=2, tail_lines=5)
    events = recorder.events
    assert isinstance(events[0], ev.RunStarted)
    assert (events[0].total, events[0].jobs) == (3, 2)
    assert isinstance(events[-1], ev.RunFinished)
    assert events[-1].counts == {"succeeded": 1, "failed": 1, "cancelled": 0, "skipped": 1}
    assert not events[-1].interrupted
    times = [e.time for e in events]
    assert times == sorted(times)
    assert recorder.kinds("chatty") == [
        "queued",
        "started",
        "output",
        "output",
        "progress",
        "progress",
        "finished",
    ]
    output = [e for e in events if isinstance(e, ev.TaskOutput)]
    assert [(e.task, e.line, e.stream) for e in output] == [
        ("chatty", "one", "log"),
        ("chatty", "two", "log"),
        ("bad", "about to fail", "log"),
    ]
    progress = [e for e in events if isinstance(e, ev.TaskProgress)]
    assert [(e.fraction, e.message) for e in progress] == [(1.0, "almost"), (None, "")]
    failed = next(e for e in events if isinstance(e, ev.TaskFailed))
    assert failed.error == "ValueError: bad value"
    assert failed.log_tail == ("about to fail",)
    assert failed.log_path is None
    skipped = next(e for e in events if isinstance(e, ev.TaskSkipped))
    assert skipped.reason == "dependency 'bad' failed"
    for event in events:
        data = event.as_dict()
        assert next(iter(data)) == "kind"
        assert json.loads(json.dumps(data)) == data
    assert failed.as_dict()["log_tail"] == ["about to fail"]


async def test_cancelling_the_run_cancels_its_tasks(recorder: Recorder) -> None:
    started = anyio.Event()

    async def hang(_ctx: TaskContext) -> None:
        started.set()
        await anyio.sleep_forever()

    tasks = [Task("hang", hang), Task("after", noop, deps=["hang"])]
    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as tg:
            tg.start_soon(run, tasks, recorder)
            await started.wait()
            scope.cancel()
    assert scope.cancelled_caught
    assert recorder.kinds("hang")[-1] == "cancelled"
    assert recorder.kinds("after") == ["skipped"]
    assert isinstance(recorder.events[-1], ev.RunFinished)


async def test_an_empty_graph_succeeds(recorder: Recorder) -> None:
    result = await run([], recorder)
    assert result.ok
    assert result.outcomes == {}
    assert recorder.kinds() == ["run-started", "run-finished"]


def test_runner_options_are_checked() -> None:
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        Runner(jobs=0)
    with pytest.raises(ValueError, match="the limit of 'network' must be at least 1"):
        Runner(limiters={"network": 0})
    assert Runner().jobs >= 1
    assert Runner(limiters={"a": 3}, default_limit=2).capacity("b") == 2


def _signature(backend: str) -> list[tuple[str, str]]:
    """The event stream of a fixed run, without times."""

    async def talk(ctx: TaskContext) -> None:
        ctx.log(f"hello from {ctx.name}")
        await anyio.sleep(0)

    async def bad(_ctx: TaskContext) -> None:
        raise ValueError("x")

    tasks = [Task(t.name, talk, deps=t.deps) for t in _layered(seed=3, layers=4, width=5)]
    tasks.append(Task("bad", bad, deps=[tasks[-1].name]))
    recorder = Recorder()
    with pytest.raises(RunError):
        run_graph(
            Graph.from_tasks(tasks),
            backend=backend,  # type: ignore[arg-type]
            jobs=1,
            keep_going=True,
            on_event=recorder,
            handle_sigint=False,
        )
    return [(e.kind, getattr(e, "task", "")) for e in recorder.events]


def test_results_do_not_depend_on_the_backend() -> None:
    assert _signature("asyncio") == _signature("trio")


def test_run_graph_refuses_unknown_backends() -> None:
    with pytest.raises(ValueError, match="unknown backend 'curio'"):
        run_graph(Graph.from_tasks([]), backend="curio")  # type: ignore[arg-type]
