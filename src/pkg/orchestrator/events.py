"""The typed events a run reports, in the order described below.

A :class:`~pkg.orchestrator.Runner` calls its ``on_event`` callback synchronously, from
the event loop, with one of the classes of :data:`Event`.  For one run the stream is:

* :class:`RunStarted` first and :class:`RunFinished` last (unless the run itself crashes);
* per task: :class:`TaskQueued` once its dependencies have succeeded, then
  :class:`TaskStarted` when it gets a job slot and its resources, then any number of
  :class:`TaskOutput` and :class:`TaskProgress`, then exactly one of
  :class:`TaskFinished`, :class:`TaskFailed` or :class:`TaskCancelled`.  A failed
  attempt of a retryable task gives :class:`TaskRetrying` and another
  :class:`TaskStarted` instead;
* a task that never starts gets exactly one :class:`TaskSkipped` (and nothing else
  unless it was queued first).

``time`` is seconds since the run started (monotonic clock); ``duration`` is the seconds
from the task's first start to its end.  Each event is a frozen value; :meth:`as_dict`
gives a JSON-ready mapping (what ``--events json`` writes, one object per line).

Output is reported a whole line at a time, so lines of different tasks never mix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Event",
    "EventHandler",
    "RunFinished",
    "RunStarted",
    "TaskCancelled",
    "TaskFailed",
    "TaskFinished",
    "TaskOutput",
    "TaskProgress",
    "TaskQueued",
    "TaskRetrying",
    "TaskSkipped",
    "TaskStarted",
]


class _AsDict:
    __slots__ = ()

    def as_dict(self) -> dict[str, object]:
        """The event as a JSON-ready dict; ``"kind"`` first, tuples become lists."""
        data: dict[str, object] = {"kind": getattr(self, "kind")}  # noqa: B009
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            data[f.name] = list(value) if isinstance(value, tuple) else value
        return data


@dataclass(frozen=True, slots=True)
class RunStarted(_AsDict):
    """A run began: ``total`` tasks, at most ``jobs`` at once."""

    time: float
    total: int
    jobs: int
    kind: Literal["run-started"] = field(default="run-started", init=False)


@dataclass(frozen=True, slots=True)
class TaskQueued(_AsDict):
    """All dependencies of ``task`` succeeded; it waits for a job slot and its resources."""

    task: str
    time: float
    kind: Literal["queued"] = field(default="queued", init=False)


@dataclass(frozen=True, slots=True)
class TaskStarted(_AsDict):
    """Attempt number ``attempt`` (from 1) of ``task`` started."""

    task: str
    time: float
    attempt: int
    kind: Literal["started"] = field(default="started", init=False)


@dataclass(frozen=True, slots=True)
class TaskOutput(_AsDict):
    """One whole line of output, without its line ending.

    ``stream`` is ``"stdout"`` or ``"stderr"`` for a subprocess, ``"log"`` for a line the
    task wrote itself (:meth:`TaskContext.log`).
    """

    task: str
    time: float
    line: str
    stream: Literal["stdout", "stderr", "log"]
    kind: Literal["output"] = field(default="output", init=False)


@dataclass(frozen=True, slots=True)
class TaskProgress(_AsDict):
    """``task`` reported progress: ``fraction`` in [0, 1] (``None``: unknown) and a message."""

    task: str
    time: float
    fraction: float | None
    message: str
    kind: Literal["progress"] = field(default="progress", init=False)


@dataclass(frozen=True, slots=True)
class TaskFinished(_AsDict):
    """``task`` succeeded."""

    task: str
    time: float
    duration: float
    kind: Literal["finished"] = field(default="finished", init=False)


@dataclass(frozen=True, slots=True)
class TaskRetrying(_AsDict):
    """Attempt ``attempt`` of ``task`` failed with ``error``; it will run again."""

    task: str
    time: float
    attempt: int
    error: str
    kind: Literal["retrying"] = field(default="retrying", init=False)


@dataclass(frozen=True, slots=True)
class TaskFailed(_AsDict):
    """``task`` failed for good.

    Attributes:
        error: ``"ExceptionType: message"`` of the failure.
        log_tail: the last lines of the task's output (at most the runner's ``tail_lines``).
        log_path: the task's full log file, or ``None`` if it kept no log.
    """

    task: str
    time: float
    duration: float
    attempts: int
    error: str
    log_tail: tuple[str, ...]
    log_path: str | None
    kind: Literal["failed"] = field(default="failed", init=False)


@dataclass(frozen=True, slots=True)
class TaskCancelled(_AsDict):
    """``task`` was running and was cancelled (another task failed, or the run was stopped)."""

    task: str
    time: float
    duration: float
    kind: Literal["cancelled"] = field(default="cancelled", init=False)


@dataclass(frozen=True, slots=True)
class TaskSkipped(_AsDict):
    """``task`` never ran; ``reason`` says why (a dependency failed, the run stopped)."""

    task: str
    time: float
    reason: str
    kind: Literal["skipped"] = field(default="skipped", init=False)


@dataclass(frozen=True, slots=True)
class RunFinished(_AsDict):
    """The run ended after ``duration`` seconds.

    ``counts`` maps each final status (``"succeeded"``, ``"failed"``, ``"cancelled"``,
    ``"skipped"``) to its number of tasks; ``interrupted`` is true when the run was
    stopped from outside (Ctrl-C) rather than by a failure or by finishing.
    """

    time: float
    duration: float
    counts: dict[str, int]
    interrupted: bool
    kind: Literal["run-finished"] = field(default="run-finished", init=False)


#: Any event of a run.
Event = (
    RunStarted
    | TaskQueued
    | TaskStarted
    | TaskOutput
    | TaskProgress
    | TaskFinished
    | TaskRetrying
    | TaskFailed
    | TaskCancelled
    | TaskSkipped
    | RunFinished
)

#: The callback receiving events.  It runs in the event loop and must not block.
EventHandler = Callable[[Event], None]
