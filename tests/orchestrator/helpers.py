"""Helpers shared by the orchestrator tests."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pkg.orchestrator import Graph, Runner, RunResult, Task

if TYPE_CHECKING:
    from pkg.orchestrator import TaskContext
    from pkg.orchestrator.events import Event


@dataclass
class Recorder:
    """An event handler that keeps every event."""

    events: list[Event] = field(default_factory=list)

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def kinds(self, task: str | None = None) -> list[str]:
        """The kinds of all events, or of ``task``'s events."""
        return [e.kind for e in self.events if task is None or getattr(e, "task", None) == task]

    def tasks(self, kind: str) -> list[str]:
        """The tasks of the events of ``kind``, in order."""
        return [getattr(e, "task", "") for e in self.events if e.kind == kind]


async def noop(_ctx: TaskContext) -> None:
    """A task that does nothing."""


def chain(*names: str) -> list[Task]:
    """Tasks ``names[0] <- names[1] <- ...`` (each depends on the one before)."""
    return [Task(n, noop, deps=names[i - 1 : i]) for i, n in enumerate(names)]


async def run(
    tasks: list[Task] | Graph, recorder: Recorder | None = None, **options: Any
) -> RunResult:
    """Run ``tasks`` with a :class:`Runner` made from ``options``."""
    graph = tasks if isinstance(tasks, Graph) else Graph.from_tasks(tasks)
    return await Runner(**options).run(graph, on_event=recorder)


def group_alive(pgid: int) -> bool:
    """Whether any process of process group ``pgid`` is still running (zombies are dead)."""
    if sys.platform.startswith("linux"):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    fields = stat.read().rpartition(")")[2].split()
            except OSError:
                continue
            # fields: state, ppid, pgrp, ...
            if int(fields[2]) == pgid and fields[0] not in {"Z", "X"}:
                return True
        return False
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_until_gone(pgids: list[int], timeout: float = 5.0) -> list[int]:
    """Wait up to ``timeout`` s for the groups to die; return those still alive."""
    deadline = time.monotonic() + timeout
    while True:
        alive = [g for g in pgids if group_alive(g)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.02)
