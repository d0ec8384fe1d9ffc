"""The command line's displays of orchestrator events (``pkg.cli._progress``)."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from pkg.cli._progress import JsonLinesDisplay, LiveDisplay, PlainDisplay, make_display
from pkg.orchestrator import events as ev

if TYPE_CHECKING:
    from pkg.orchestrator.events import EventHandler

EVENTS: list[ev.Event] = [
    ev.RunStarted(0.0, 4, 2),
    ev.TaskQueued("solve", 0.0),
    ev.TaskStarted("solve", 0.01, 1),
    ev.TaskOutput("solve", 0.02, "solving [1/2]", "stdout"),
    ev.TaskProgress("solve", 0.03, 0.5, "half way"),
    ev.TaskFinished("solve", 0.5, 0.49),
    ev.TaskQueued("build", 0.5),
    ev.TaskQueued("fetch", 0.5),
    ev.TaskStarted("build", 0.5, 1),
    ev.TaskStarted("fetch", 0.5, 1),
    ev.TaskRetrying("fetch", 0.6, 1, "OSError: reset"),
    ev.TaskStarted("fetch", 0.6, 2),
    ev.TaskOutput("build", 1.0, "cc -c foo.c", "stdout"),
    ev.TaskOutput("build", 1.1, "foo.c:1: error", "stderr"),
    ev.TaskFailed(
        "build",
        1.2,
        0.7,
        1,
        "command exited with status 2: make",
        ("cc -c foo.c", "foo.c:1: error"),
        "/b/0001-build.log",
    ),
    ev.TaskSkipped("release", 1.2, "stopped after 'build' failed"),
    ev.TaskCancelled("fetch", 1.3, 0.8),
    ev.RunFinished(1.3, 1.3, {"succeeded": 1, "failed": 1, "cancelled": 1, "skipped": 1}, False),
]


def _console(*, terminal: bool = False) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=80, force_terminal=terminal, color_system=None), out


def test_plain_lines_and_summary() -> None:
    console, out = _console()
    with PlainDisplay(console) as display:
        for event in EVENTS:
            display(event)
    lines = [line.rstrip() for line in out.getvalue().splitlines()]
    assert lines[:12] == [
        "started   solve",
        "succeeded solve (0.5s)",
        "started   build",
        "started   fetch",
        "retrying  fetch: attempt 1 failed: OSError: reset",
        "started   fetch (attempt 2)",
        "FAILED    build (0.7s): command exited with status 2: make",
        "    | cc -c foo.c",
        "    | foo.c:1: error",
        "    full log: /b/0001-build.log",
        "skipped   release: stopped after 'build' failed",
        "cancelled fetch (0.8s)",
    ]
    summary = "\n".join(lines[12:])
    assert summary.startswith("Summary")
    for row in (
        "│ solve   │ succeeded │     0.5s │",
        "│ build   │ failed    │     0.7s │ command exited with status 2: make",
        "│ fetch   │ cancelled │     0.8s │",
        "│ release │ skipped   │        - │ stopped after 'build' failed",
    ):
        assert row in summary
    assert "finished in 1.3s: 1 succeeded, 1 failed, 1 cancelled, 1 skipped" in summary


def test_plain_output_lines_only_when_verbose() -> None:
    console, out = _console()
    display = make_display(console, verbose=1)
    assert isinstance(display, PlainDisplay)
    for event in EVENTS:
        display(event)
    text = out.getvalue()
    assert "solve | solving [1/2]\n" in text  # not taken for markup
    assert "build | foo.c:1: error\n" in text


def test_json_lines() -> None:
    console, out = _console()
    display = make_display(console, mode="json")
    assert isinstance(display, JsonLinesDisplay)
    for event in EVENTS:
        display(event)
    lines = out.getvalue().splitlines()
    assert [json.loads(line) for line in lines] == [e.as_dict() for e in EVENTS]
    assert json.loads(lines[0]) == {"kind": "run-started", "time": 0.0, "total": 4, "jobs": 2}


def test_live_display() -> None:
    console, out = _console(terminal=True)
    display = make_display(console, mode="auto", verbose=1)
    assert isinstance(display, LiveDisplay)
    with display:
        for event in EVENTS[:13]:
            display(event)
        # One line per running task, with its latest output, and the overall bar.
        frame_console, frame = _console()
        frame_console.print(display._render())
        text = frame.getvalue()
        assert "build" in text
        assert "cc -c foo.c" in text
        assert "(attempt 2)" in text
        assert "1/4 tasks, 2 running" in text
        for event in EVENTS[13:]:
            display(event)
    text = out.getvalue()
    assert "build failed after 0.7s" in text
    assert "foo.c:1: error" in text
    assert "full log: /b/0001-build.log" in text
    assert "Summary" in text
    assert "interrupted" not in text


@pytest.mark.parametrize(
    ("mode", "terminal", "kind"),
    [
        ("auto", False, PlainDisplay),
        ("auto", True, LiveDisplay),
        ("plain", True, PlainDisplay),
        ("live", False, LiveDisplay),
        ("json", True, JsonLinesDisplay),
    ],
)
def test_make_display(mode: str, terminal: bool, kind: type) -> None:
    console, _out = _console(terminal=terminal)
    with make_display(console, mode=mode) as display:  # type: ignore[arg-type]
        assert type(display) is kind
        # A display is an event handler of the orchestrator (checked by mypy).
        handler: EventHandler = display
        handler(ev.RunStarted(0.0, 0, 1))
