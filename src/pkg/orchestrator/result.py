"""What a run produces: :class:`TaskStatus`, :class:`TaskOutcome`, :class:`RunResult`, and
the errors of a run (:class:`RunError`, :class:`TaskTimeoutError`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pkg.errors import OrchestrationError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

__all__ = ["RunError", "RunResult", "TaskOutcome", "TaskStatus", "TaskTimeoutError", "describe"]


class TaskStatus(StrEnum):
    """How a task ended."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"  # it was running when the run stopped
    SKIPPED = "skipped"  # it never ran


class TaskTimeoutError(OrchestrationError, TimeoutError):
    """An attempt of a task ran longer than its ``timeout``."""

    def __init__(self, task: str, timeout: float) -> None:
        self.task = task
        self.timeout = timeout
        super().__init__(f"task {task!r} timed out after {timeout:g} s")


@dataclass(frozen=True, slots=True)
class TaskOutcome:
    """The end of one task.

    Attributes:
        name: the task.
        status: how it ended.
        duration: seconds from its first start to its end (0 if it never started).
        attempts: how many times it was started.
        error: the exception of its last attempt, if it failed.
        value: what its function returned, if it succeeded.
        reason: why it was skipped, or ``""``.
        log_path: its log file, if it wrote any output and the run keeps logs.
    """

    name: str
    status: TaskStatus
    duration: float = 0.0
    attempts: int = 0
    error: Exception | None = None
    value: object = None
    reason: str = ""
    log_path: Path | None = None


@dataclass(frozen=True, slots=True)
class RunResult:
    """What a run did.

    Attributes:
        outcomes: every task's outcome, in :attr:`Graph.order`.
        started: task names in the order they first started.
        duration: wall-clock seconds of the run.
        interrupted: the run was stopped from outside (Ctrl-C).
    """

    outcomes: Mapping[str, TaskOutcome]
    started: tuple[str, ...]
    duration: float
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        """Whether every task succeeded."""
        return all(o.status is TaskStatus.SUCCEEDED for o in self.outcomes.values())

    def names(self, status: TaskStatus) -> tuple[str, ...]:
        """The tasks that ended with ``status``, in graph order."""
        return tuple(n for n, o in self.outcomes.items() if o.status is status)

    def counts(self) -> dict[str, int]:
        """Number of tasks per status (every status present, in declaration order)."""
        counts = dict.fromkeys(map(str, TaskStatus), 0)
        for outcome in self.outcomes.values():
            counts[outcome.status] += 1
        return counts


class RunError(OrchestrationError):
    """A run did not succeed: tasks failed, or it was interrupted.

    The exceptions of the failed tasks are attached as an :class:`ExceptionGroup`
    (``__cause__``); the message names each of them.

    Attributes:
        result: the complete :class:`RunResult`.
        failures: ``(task, exception)`` of each failed task, in graph order.
        interrupted: the run was interrupted (Ctrl-C); the exit code is then 130.
    """

    def __init__(self, result: RunResult) -> None:
        self.result = result
        self.interrupted = result.interrupted
        self.failures = tuple(
            (o.name, o.error) for o in result.outcomes.values() if o.error is not None
        )
        if self.interrupted:
            self.exit_code = 130
        total = len(result.outcomes)
        counts = result.counts()
        parts = []
        if self.failures:
            listed = "; ".join(f"{name}: {describe(error)}" for name, error in self.failures[:5])
            more = f"; and {len(self.failures) - 5} more" if len(self.failures) > 5 else ""
            parts.append(f"{len(self.failures)} of {total} tasks failed ({listed}{more})")
        for status in (TaskStatus.CANCELLED, TaskStatus.SKIPPED):
            if counts[status]:
                parts.append(f"{counts[status]} {status}")
        head = "interrupted: " if self.interrupted else ""
        super().__init__(head + (", ".join(parts) or f"{total} tasks not run"))


def describe(error: BaseException) -> str:
    """``"Type: message"`` for an error (just the message for pkg's own errors)."""
    text = str(error)
    if isinstance(error, OrchestrationError):
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
