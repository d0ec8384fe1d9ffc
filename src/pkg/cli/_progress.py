"""Rendering the orchestrator's events: a live display, plain lines, or JSON lines.

The orchestrator never prints; it calls an event handler.  The displays here are such
handlers, for the commands that run task graphs (``pkg build``, ``release``, ``pip``)::

    with make_display(console, mode="auto", verbose=state.verbosity) as display:
        run_graph(graph, on_event=display, jobs=jobs, backend=backend)

* :class:`LiveDisplay` (a terminal): one line per running task with its latest output or
  progress, an overall progress bar, each failure printed with the tail of its log as it
  happens, and a summary table at the end.
* :class:`PlainDisplay` (not a terminal, e.g. a CI log): one line per task event, the
  failure tails, and the same summary table.  With ``-v`` every output line is shown,
  prefixed by its task's name.
* :class:`JsonLinesDisplay` (``--events json``): one JSON object per event and line.

The command line may not import :mod:`pkg.orchestrator` (see ``tests/test_layering.py``),
so the events are described here structurally, as protocols that the orchestrator's
frozen event classes satisfy.  mypy checks the match wherever the two meet.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, Self

from rich.console import Group
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import TracebackType
    from typing import TextIO

    from rich.console import Console, RenderableType

__all__ = [
    "Board",
    "DisplayMode",
    "JsonLinesDisplay",
    "LiveDisplay",
    "PlainDisplay",
    "ProgressEvent",
    "make_display",
    "summary_table",
]

#: ``--events`` choices: ``auto`` is ``live`` on a terminal and ``plain`` otherwise.
DisplayMode = Literal["auto", "live", "plain", "json"]


# -- the events, structurally (mirrors pkg.orchestrator.events) ---------------------------------


class _Event(Protocol):
    @property
    def time(self) -> float: ...
    def as_dict(self) -> dict[str, object]: ...


class _TaskEvent(_Event, Protocol):
    @property
    def task(self) -> str: ...


class RunStartedEvent(_Event, Protocol):
    @property
    def kind(self) -> Literal["run-started"]: ...
    @property
    def total(self) -> int: ...
    @property
    def jobs(self) -> int: ...


class QueuedEvent(_TaskEvent, Protocol):
    @property
    def kind(self) -> Literal["queued"]: ...


class StartedEvent(_TaskEvent, Protocol):
    @property
    def kind(self) -> Literal["started"]: ...
    @property
    def attempt(self) -> int: ...


class OutputEvent(_TaskEvent, Protocol):
    @property
    def kind(self) -> Literal["output"]: ...
    @property
    def line(self) -> str: ...
    @property
    def stream(self) -> str: ...


class ProgressUpdateEvent(_TaskEvent, Protocol):
    @property
    def kind(self) -> Literal["progress"]: ...
    @property
    def fraction(self) -> float | None: ...
    @property
    def message(self) -> str: ...


class FinishedEvent(_TaskEvent, Protocol):
    @property
    def kind(self) -> Literal["finished"]: ...
    @property
    def duration(self) -> float: ...


class RetryingEvent(_TaskEvent, Protocol):
    @property
    def kind(self) -> Literal["retrying"]: ...
    @property
    def attempt(self) -> int: ...
    @property
    def error(self) -> str: ...


class FailedEvent(_TaskEvent, Protocol):
    @property
    def kind(self) -> Literal["failed"]: ...
    @property
    def duration(self) -> float: ...
    @property
    def error(self) -> str: ...
    @property
    def log_tail(self) -> tuple[str, ...]: ...
    @property
    def log_path(self) -> str | None: ...


class CancelledEvent(_TaskEvent, Protocol):
    @property
    def kind(self) -> Literal["cancelled"]: ...
    @property
    def duration(self) -> float: ...


class SkippedEvent(_TaskEvent, Protocol):
    @property
    def kind(self) -> Literal["skipped"]: ...
    @property
    def reason(self) -> str: ...


class RunFinishedEvent(_Event, Protocol):
    @property
    def kind(self) -> Literal["run-finished"]: ...
    @property
    def duration(self) -> float: ...
    @property
    def counts(self) -> Mapping[str, int]: ...
    @property
    def interrupted(self) -> bool: ...


#: Any event a display accepts.
ProgressEvent = (
    RunStartedEvent
    | QueuedEvent
    | StartedEvent
    | OutputEvent
    | ProgressUpdateEvent
    | FinishedEvent
    | RetryingEvent
    | FailedEvent
    | CancelledEvent
    | SkippedEvent
    | RunFinishedEvent
)


# -- what the displays remember ------------------------------------------------------------------

_STATUS_STYLES = {
    "succeeded": "green",
    "failed": "bold red",
    "cancelled": "yellow",
    "skipped": "dim",
    "running": "cyan",
    "queued": "dim",
}


@dataclass
class _Running:
    started: float  # time.monotonic() when it started, for the live elapsed time
    attempt: int = 1
    detail: str = ""
    fraction: float | None = None


@dataclass
class _Row:
    status: str
    duration: float | None = None
    note: str = ""


class Board:
    """The state of a run as far as its events told it: what every display keeps.

    ``rows`` has one entry per task seen, in the order first seen, with its latest
    status; ``running`` has the tasks running now.
    """

    def __init__(self) -> None:
        self.total = 0
        self.jobs = 0
        self.rows: dict[str, _Row] = {}  # in the order tasks were first seen
        self.running: dict[str, _Running] = {}
        self.done = 0
        self.failed = 0
        self.finished: RunFinishedEvent | None = None

    def update(self, event: ProgressEvent) -> None:
        match event.kind:
            case "run-started":
                self.total, self.jobs = event.total, event.jobs
            case "queued":
                self.rows[event.task] = _Row("queued")
            case "started":
                self.rows[event.task] = _Row("running")
                previous = self.running.get(event.task)
                self.running[event.task] = _Running(
                    previous.started if previous else time.monotonic(), event.attempt
                )
            case "output":
                if event.task in self.running:
                    self.running[event.task].detail = event.line
            case "progress":
                if event.task in self.running:
                    self.running[event.task].fraction = event.fraction
                    self.running[event.task].detail = event.message
            case "retrying":
                pass
            case "finished":
                self._end(event.task, "succeeded", event.duration)
            case "cancelled":
                self._end(event.task, "cancelled", event.duration)
            case "failed":
                self._end(event.task, "failed", event.duration, event.error)
                self.failed += 1
            case "skipped":
                self._end(event.task, "skipped", None, event.reason)
            case "run-finished":
                self.finished = event

    def _end(self, task: str, status: str, duration: float | None, note: str = "") -> None:
        self.running.pop(task, None)
        self.rows[task] = _Row(status, duration, note)
        self.done += 1


def _seconds(duration: float | None) -> str:
    if duration is None:
        return "-"
    if duration < 60:
        return f"{duration:.1f}s"
    minutes, seconds = divmod(int(duration), 60)
    return f"{minutes}m{seconds:02d}s"


def summary_table(board: Board) -> Table:
    """The end-of-run table: task, status, duration and a note (error, skip reason)."""
    finished = board.finished
    caption = None
    if finished is not None:
        counts = ", ".join(f"{n} {status}" for status, n in finished.counts.items() if n)
        head = "interrupted after" if finished.interrupted else "finished in"
        caption = f"{head} {_seconds(finished.duration)}: {counts or 'no tasks'}"
    table = Table(title="Summary", caption=caption, title_justify="left", caption_justify="left")
    table.add_column("task", overflow="fold")
    table.add_column("status")
    table.add_column("duration", justify="right")
    table.add_column("note", overflow="fold")
    for task, row in board.rows.items():
        table.add_row(
            task,
            Text(row.status, style=_STATUS_STYLES.get(row.status, "")),
            _seconds(row.duration),
            Text(row.note),
        )
    return table


def _failure_panel(event: FailedEvent) -> Panel:
    body = Text(event.error, style="red")
    if event.log_tail:
        body.append("\n")
        body.append("\n".join(event.log_tail), style="")
    if event.log_path:
        body.append(f"\nfull log: {event.log_path}", style="dim")
    title = f"{event.task} failed after {_seconds(event.duration)}"
    return Panel(body, title=title, title_align="left", border_style="red")


# -- the displays ------------------------------------------------------------------------------


class _Display:
    """Base: a context manager and an event handler (``display(event)``)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.board = Board()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop updating the terminal (idempotent)."""

    def __call__(self, event: ProgressEvent) -> None:
        self.board.update(event)


class PlainDisplay(_Display):
    """Line output for logs: one line per task event, failures with their tail, a summary.

    Lines are printed whole, as events arrive, so output of different tasks never mixes
    within a line.  With ``show_output`` every output line is printed as ``task | line``.
    """

    def __init__(self, console: Console, *, show_output: bool = False) -> None:
        super().__init__(console)
        self.show_output = show_output

    def _line(self, text: str | Text) -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def __call__(self, event: ProgressEvent) -> None:
        super().__call__(event)
        match event.kind:
            case "started":
                again = f" (attempt {event.attempt})" if event.attempt > 1 else ""
                self._line(f"started   {event.task}{again}")
            case "output":
                if self.show_output:
                    self._line(f"{event.task} | {event.line}")
            case "retrying":
                self._line(f"retrying  {event.task}: attempt {event.attempt} failed: {event.error}")
            case "finished":
                self._line(f"succeeded {event.task} ({_seconds(event.duration)})")
            case "cancelled":
                self._line(f"cancelled {event.task} ({_seconds(event.duration)})")
            case "skipped":
                self._line(f"skipped   {event.task}: {event.reason}")
            case "failed":
                self._line(f"FAILED    {event.task} ({_seconds(event.duration)}): {event.error}")
                for line in event.log_tail:
                    self._line(f"    | {line}")
                if event.log_path:
                    self._line(f"    full log: {event.log_path}")
            case "run-finished":
                self.console.print(summary_table(self.board))
            case _:
                pass


class LiveDisplay(_Display):
    """The terminal display: running tasks and an overall bar, redrawn in place.

    rich redraws from its own thread, so the state is guarded by a lock.
    """

    def __init__(
        self, console: Console, *, show_output: bool = False, refresh_per_second: float = 10
    ) -> None:
        super().__init__(console)
        self.show_output = show_output
        self._lock = threading.Lock()
        self._spinners: dict[str, Spinner] = {}
        self._live = Live(
            console=console,
            get_renderable=self._render,
            refresh_per_second=refresh_per_second,
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._live.start()

    def close(self) -> None:
        if self._live.is_started:
            self._live.stop()

    def __call__(self, event: ProgressEvent) -> None:
        with self._lock:
            super().__call__(event)
            match event.kind:
                case "started":
                    self._spinners.setdefault(event.task, Spinner("dots", style="cyan"))
                case "finished" | "failed" | "cancelled":
                    self._spinners.pop(event.task, None)
                case _:
                    pass
        console = self._live.console
        match event.kind:
            case "output" if self.show_output:
                console.print(
                    Text.assemble((f"{event.task} | ", "dim"), event.line),
                    soft_wrap=True,
                    highlight=False,
                )
            case "retrying":
                console.print(
                    Text(f"{event.task}: attempt {event.attempt} failed ({event.error}); retrying"),
                    style="yellow",
                )
            case "failed":
                console.print(_failure_panel(event))
            case "run-finished":
                self.close()
                self.console.print(summary_table(self.board))
            case _:
                pass

    def _render(self) -> RenderableType:
        with self._lock:
            board = self.board
            now = time.monotonic()
            running = Table.grid(padding=(0, 1))
            running.add_column(no_wrap=True)
            running.add_column(no_wrap=True, style="bold")
            running.add_column(no_wrap=True, justify="right")
            running.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
            for task, state in board.running.items():
                detail = state.detail
                if state.fraction is not None:
                    detail = f"{state.fraction:4.0%} {detail}"
                if state.attempt > 1:
                    detail = f"(attempt {state.attempt}) {detail}"
                running.add_row(
                    self._spinners.get(task, ""),
                    task,
                    _seconds(now - state.started),
                    Text(detail, style="dim"),
                )
            total = max(board.total, 1)
            bar = Table.grid(padding=(0, 1))
            bar.add_row(
                ProgressBar(total=total, completed=board.done, width=40),
                Text(
                    f"{board.done}/{board.total} tasks, {len(board.running)} running"
                    + (f", {board.failed} failed" if board.failed else ""),
                    style="red" if board.failed else "",
                ),
            )
            return Group(running, bar)


class JsonLinesDisplay(_Display):
    """``--events json``: each event as one JSON object on its own line, flushed at once."""

    def __init__(self, console: Console, stream: TextIO | None = None) -> None:
        super().__init__(console)
        self.stream = stream if stream is not None else console.file

    def __call__(self, event: ProgressEvent) -> None:
        super().__call__(event)
        self.stream.write(json.dumps(event.as_dict(), ensure_ascii=False) + "\n")
        self.stream.flush()


def make_display(
    console: Console, *, mode: DisplayMode = "auto", verbose: int = 0
) -> PlainDisplay | LiveDisplay | JsonLinesDisplay:
    """The display for ``mode``; ``auto`` picks live on a terminal, plain lines otherwise.

    ``verbose`` (the ``-v`` count) above 0 shows every output line of every task.
    """
    if mode == "json":
        return JsonLinesDisplay(console)
    if mode == "live" or (mode == "auto" and console.is_terminal and not console.is_dumb_terminal):
        return LiveDisplay(console, show_output=verbose > 0)
    return PlainDisplay(console, show_output=verbose > 0)
