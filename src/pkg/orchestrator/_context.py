"""What a running task gets: :class:`TaskContext` (processes, threads, output, progress)."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
from typing import TYPE_CHECKING, Literal, TypeVar, TypeVarTuple, Unpack

import anyio
import anyio.to_thread

from pkg.errors import OrchestrationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from anyio.abc import ByteReceiveStream, Process

    from pkg.orchestrator._log import TaskLog
    from pkg.orchestrator.runner import _Run

__all__ = ["ProcessError", "TaskContext"]

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

#: A line longer than this is reported in pieces, so one runaway line cannot exhaust memory.
MAX_LINE_BYTES = 64 * 1024


class ProcessError(OrchestrationError):
    """A subprocess of a task exited with a non-zero status.

    Attributes:
        argv: the command.
        returncode: its exit status (negative: killed by that signal).
    """

    def __init__(self, argv: Sequence[str], returncode: int) -> None:
        self.argv = tuple(argv)
        self.returncode = returncode
        shown = subprocess.list2cmdline(argv) if sys.platform == "win32" else shlex.join(argv)
        how = (
            f"was killed by signal {-returncode}"
            if returncode < 0
            else f"exited with status {returncode}"
        )
        super().__init__(f"command {how}: {shown}")


class TaskContext:
    """The handle a task function receives.  Valid only while the task runs.

    Everything a task reports goes through here: :meth:`run_process` streams a
    subprocess's output line by line into the event stream and the task's log,
    :meth:`log` adds a line of its own, :meth:`progress` reports progress.  Blocking
    work belongs in :meth:`run_sync`, which runs it in a worker thread.
    """

    __slots__ = ("_log", "_run", "attempt", "name")

    def __init__(self, run: _Run, name: str, log: TaskLog) -> None:
        self._run = run
        self._log = log
        #: The task's name.
        self.name = name
        #: The current attempt, from 1 (more than 1 only for retried tasks).
        self.attempt = 1

    @property
    def log_path(self) -> str | None:
        """Where the task's full output is kept, or ``None`` when the run keeps no logs."""
        return None if self._log.path is None else str(self._log.path)

    def result_of(self, task: str) -> object:
        """The return value of ``task``, which must be one of this task's dependencies.

        Raises:
            KeyError: ``task`` is not a dependency of this task.
        """
        if task not in self._run.graph[self.name].deps:
            raise KeyError(f"task {self.name!r} does not depend on {task!r}")
        return self._run.values[task]

    def log(self, line: str) -> None:
        """Record ``line`` (split at line breaks) as output of the task (stream ``"log"``)."""
        for part in line.splitlines() or [""]:
            self._run.output(self.name, self._log, part, "log")

    def progress(self, fraction: float | None = None, message: str = "") -> None:
        """Report progress: ``fraction`` done in [0, 1] (``None`` if unknown) and a message."""
        if fraction is not None:
            fraction = min(1.0, max(0.0, fraction))
        self._run.progress(self.name, fraction, message)

    async def run_sync(
        self,
        fn: Callable[[Unpack[Ts]], T],
        *args: *Ts,
        abandon_on_cancel: bool = False,
    ) -> T:
        """Call ``fn(*args)`` in a worker thread and return its result.

        A thread cannot be interrupted: if the task is cancelled, this waits for ``fn``
        to return, unless ``abandon_on_cancel`` is true (then ``fn`` keeps running in
        the background and its result is dropped).
        """
        return await anyio.to_thread.run_sync(fn, *args, abandon_on_cancel=abandon_on_cancel)

    async def run_process(
        self,
        argv: Sequence[str],
        *,
        cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> int:
        """Run ``argv`` to completion, streaming its output; return its exit status.

        Standard output and standard error are read concurrently and reported one whole
        line at a time (:class:`~pkg.orchestrator.events.TaskOutput` with stream
        ``"stdout"``/``"stderr"``) and written to the task's log.  Standard input is
        ``/dev/null``.  The process runs in a new process group (session) of its own.

        If the task is cancelled (a sibling failed, the run was interrupted, the task timed
        out), the whole process group gets ``SIGTERM``; whatever is left after the
        runner's grace period gets ``SIGKILL``.  This cleanup is shielded from
        cancellation, so no process outlives its task.  (On Windows the process itself is
        terminated and then killed.)

        Raises:
            ProcessError: the exit status is not 0 and ``check`` is true.
        """
        process = await anyio.open_process(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            start_new_session=sys.platform != "win32",
        )
        try:
            async with anyio.create_task_group() as tg:
                assert process.stdout is not None
                assert process.stderr is not None
                tg.start_soon(self._pump, process.stdout, "stdout")
                tg.start_soon(self._pump, process.stderr, "stderr")
            returncode = await process.wait()
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self._run.stop_process(process)
            raise
        finally:
            with anyio.CancelScope(shield=True):
                await process.aclose()
        if check and returncode != 0:
            raise ProcessError(argv, returncode)
        return returncode

    async def _pump(self, stream: ByteReceiveStream, name: Literal["stdout", "stderr"]) -> None:
        pending = b""
        async for chunk in stream:
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                while len(line) > MAX_LINE_BYTES:
                    self._line(line[:MAX_LINE_BYTES], name)
                    line = line[MAX_LINE_BYTES:]  # noqa: PLW2901
                self._line(line, name)
            while len(pending) > MAX_LINE_BYTES:
                self._line(pending[:MAX_LINE_BYTES], name)
                pending = pending[MAX_LINE_BYTES:]
        if pending:
            self._line(pending, name)

    def _line(self, raw: bytes, name: Literal["stdout", "stderr"]) -> None:
        text = raw.decode("utf-8", errors="replace")
        self._run.output(self.name, self._log, text.removesuffix("\r"), name)


async def stop_process(
    process: Process, *, grace_period: float, hurry: set[anyio.CancelScope]
) -> None:
    """Terminate ``process`` and its process group; kill them after ``grace_period`` s.

    Returns once the process has exited and been reaped.  The grace period's cancel scope
    is in ``hurry`` while it runs, so cancelling the scopes there cuts it short (a second
    Ctrl-C).  Call it shielded.
    """
    if process.returncode is None:
        _signal_group(process, signal.SIGTERM)
        with anyio.move_on_after(grace_period) as scope:
            hurry.add(scope)
            try:
                await process.wait()
            finally:
                hurry.discard(scope)
    # Kill whatever is left: the process itself, or children it left behind in its group.
    _signal_group(process, _SIGKILL)
    await process.wait()


_SIGKILL = getattr(signal, "SIGKILL", signal.SIGTERM)


def _signal_group(process: Process, sig: signal.Signals) -> None:
    if sys.platform == "win32":  # pragma: no cover - no process groups on Windows
        if process.returncode is None:
            process.terminate()
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)
