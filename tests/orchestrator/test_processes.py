"""Subprocesses of tasks: streamed output, logs, and no process outliving its task.

These run real processes (``sh``, ``sleep``, the Python interpreter), on asyncio and trio.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import anyio
import pytest

from pkg.orchestrator import ProcessError, RunError, Task, TaskContext, TaskStatus
from pkg.orchestrator import events as ev
from tests.orchestrator.helpers import Recorder, run, wait_until_gone

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.orchestrator import TaskFn

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(sys.platform == "win32", reason="uses sh and process groups"),
]


def shell(script: str, *, check: bool = True) -> TaskFn:
    async def fn(ctx: TaskContext) -> int:
        return await ctx.run_process(["sh", "-c", script], check=check)

    return fn


async def test_output_is_streamed_whole_lines_per_stream(
    recorder: Recorder, tmp_path: Path
) -> None:
    script = "printf 'one\\ntwo\\r\\n'; echo oops >&2; printf 'no newline'"
    result = await run([Task("t", shell(script))], recorder, log_dir=tmp_path)
    lines = [(e.line, e.stream) for e in recorder.events if isinstance(e, ev.TaskOutput)]
    stdout = [line for line, stream in lines if stream == "stdout"]
    assert stdout == ["one", "two", "no newline"]
    assert [line for line, stream in lines if stream == "stderr"] == ["oops"]
    log = result.outcomes["t"].log_path
    assert log is not None
    assert log.parent == tmp_path
    assert log.name == "0000-t.log"
    assert sorted(log.read_text().splitlines()) == sorted(["one", "two", "oops", "no newline"])


async def test_concurrent_output_never_mixes_within_a_line(recorder: Recorder) -> None:
    # Three processes write long lines in small pieces at the same time.
    code = (
        "import sys, os\n"
        "name = sys.argv[1]\n"
        "for i in range(200):\n"
        "    line = f'{name}-{i}-' + name * 300 + '\\n'\n"
        "    for j in range(0, len(line), 97):\n"
        "        os.write(1, line[j:j + 97].encode())\n"
    )

    def writer(name: str) -> TaskFn:
        async def fn(ctx: TaskContext) -> None:
            await ctx.run_process([sys.executable, "-c", code, name])

        return fn

    await run([Task(n, writer(n)) for n in "abc"], recorder, jobs=3)
    output = [e for e in recorder.events if isinstance(e, ev.TaskOutput)]
    assert len(output) == 600
    for event in output:
        head, _index, body = event.line.split("-")
        assert head == event.task
        assert body == event.task * 300
    for name in "abc":
        indexes = [int(e.line.split("-")[1]) for e in output if e.task == name]
        assert indexes == list(range(200))


async def test_a_silent_task_leaves_no_log(tmp_path: Path) -> None:
    result = await run([Task("quiet", shell("true"))], log_dir=tmp_path)
    assert result.outcomes["quiet"].log_path is None
    assert list(tmp_path.iterdir()) == []


async def test_a_long_line_arrives_in_pieces(recorder: Recorder) -> None:
    code = "import sys; sys.stdout.write('x' * 150000 + '\\nend\\n')"

    async def fn(ctx: TaskContext) -> None:
        await ctx.run_process([sys.executable, "-c", code])

    await run([Task("t", fn)], recorder)
    lines = [e.line for e in recorder.events if isinstance(e, ev.TaskOutput)]
    assert [len(line) for line in lines] == [65536, 65536, 150000 - 2 * 65536, 3]


async def test_a_failing_command(recorder: Recorder) -> None:
    with pytest.raises(RunError) as caught:
        await run([Task("t", shell("echo bye; exit 3"))], recorder)
    error = caught.value.result.outcomes["t"].error
    assert isinstance(error, ProcessError)
    assert (error.argv, error.returncode) == (("sh", "-c", "echo bye; exit 3"), 3)
    assert str(error) == "command exited with status 3: sh -c 'echo bye; exit 3'"
    failed = next(e for e in recorder.events if isinstance(e, ev.TaskFailed))
    assert failed.log_tail == ("bye",)
    result = await run([Task("t", shell("exit 4", check=False))])
    assert result.outcomes["t"].value == 4
    assert str(ProcessError(["x"], -9)) == "command was killed by signal 9: x"


def _sleeper(pgids: list[int], script: str = "sleep 30 & sleep 30; wait") -> TaskFn:
    """A task whose process prints its pid (= its process group) and then sleeps."""

    async def fn(ctx: TaskContext) -> None:
        await ctx.run_process(["sh", "-c", f"echo $$; {script}"])

    return fn


class PidRecorder(Recorder):
    """Records the first output line of each task as a process group id."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.pgids: list[int] = []
        self.all_started = anyio.Event()
        self.expected = expected

    def __call__(self, event: ev.Event) -> None:
        super().__call__(event)
        if isinstance(event, ev.TaskOutput) and event.line.isdigit():
            self.pgids.append(int(event.line))
            if len(self.pgids) == self.expected:
                self.all_started.set()


async def test_a_failure_stops_sibling_processes_and_leaves_no_orphans() -> None:
    pids = PidRecorder(expected=3)

    async def bad(_ctx: TaskContext) -> None:
        await pids.all_started.wait()
        raise RuntimeError("failed while the others run")

    tasks = [Task(f"sleep{i}", _sleeper(pids.pgids)) for i in range(3)]
    tasks.append(Task("bad", bad))
    start = time.monotonic()
    with pytest.raises(RunError) as caught:
        await run(tasks, pids, jobs=4)
    assert time.monotonic() - start < 3
    outcomes = caught.value.result.outcomes
    assert [outcomes[f"sleep{i}"].status for i in range(3)] == [TaskStatus.CANCELLED] * 3
    assert len(pids.pgids) == 3
    # Each sh and both of its sleeps (one in the background) are gone.
    assert wait_until_gone(pids.pgids, timeout=2) == []


async def test_a_stubborn_process_is_killed_after_the_grace_period() -> None:
    pids = PidRecorder(expected=1)
    # The shell and its sleep ignore SIGTERM; a timeout cancels the task.
    task = Task("stubborn", _sleeper(pids.pgids, "trap '' TERM; sleep 30"), timeout=0.3)
    start = time.monotonic()
    with pytest.raises(RunError) as caught:
        await run([task], pids, grace_period=0.2)
    elapsed = time.monotonic() - start
    assert 0.3 + 0.2 <= elapsed < 3
    assert caught.value.result.outcomes["stubborn"].status is TaskStatus.FAILED
    assert "timed out after 0.3 s" in str(caught.value)
    assert wait_until_gone(pids.pgids, timeout=2) == []


async def test_cancelling_the_run_stops_its_processes() -> None:
    pids = PidRecorder(expected=2)
    tasks = [Task(f"sleep{i}", _sleeper(pids.pgids)) for i in range(2)]
    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as tg:
            tg.start_soon(run, tasks, pids)
            await pids.all_started.wait()
            scope.cancel()
    assert pids.kinds("sleep0")[-1] == "cancelled"
    assert wait_until_gone(pids.pgids, timeout=2) == []
