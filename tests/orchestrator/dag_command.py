"""A throw-away ``pkg`` subcommand that runs a DAG of sleeping subprocesses.

No real command runs a task graph yet (``pkg build``, ``release`` and ``pip`` will), so
the Ctrl-C tests need a stand-in.  Run as a script, this module adds the ``dag`` command
to the root group *in this process only* and calls :func:`pkg.cli.main`, so the run goes
through the same pieces a real command will use: rich-click, :func:`run_graph`, the
displays of :mod:`pkg.cli._progress`, and ``main``'s error policy and exit codes::

    python dag_command.py [-j N] [--backend trio] [--tasks N] [--pid-file F] [--dry-run]

Each task runs ``sh -c 'echo $$; sleep 60 & sleep 60; wait'``: it prints the id of its
process group (its own pid) and sleeps in two processes, one in the background.  With
``--pid-file`` those ids are appended to a file as they appear.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import rich_click as click

from pkg.cli import pass_state

if TYPE_CHECKING:
    from pkg.cli import AppState
    from pkg.orchestrator import TaskContext
    from pkg.orchestrator.events import Event


@click.command("dag")
@click.option("-j", "--jobs", type=int, default=None, help="Tasks to run at once.")
@click.option("--backend", type=click.Choice(["asyncio", "trio"]), default="asyncio")
@click.option("--keep-going", is_flag=True)
@click.option("--events", type=click.Choice(["auto", "live", "plain", "json"]), default="auto")
@click.option("--dry-run", type=click.Choice(["text", "dot"]), default=None)
@click.option("--tasks", "count", type=int, default=4, help="Independent sleeping tasks.")
@click.option("--stubborn", is_flag=True, help="The processes ignore SIGTERM.")
@click.option("--grace", type=float, default=3.0, help="Seconds from SIGTERM to SIGKILL.")
@click.option("--pid-file", type=click.Path(dir_okay=False, path_type=Path), default=None)
@pass_state
def dag_command(
    state: AppState,
    jobs: int | None,
    backend: Literal["asyncio", "trio"],
    keep_going: bool,
    events: Literal["auto", "live", "plain", "json"],
    dry_run: Literal["text", "dot"] | None,
    count: int,
    stubborn: bool,
    grace: float,
    pid_file: Path | None,
) -> None:
    """Run COUNT sleeping tasks, and one that depends on the first."""
    from rich.console import Console

    from pkg.cli._progress import make_display
    from pkg.orchestrator import Graph, Task, plan_dot, plan_text, run_graph
    from pkg.orchestrator.events import TaskOutput

    trap = "trap '' TERM; " if stubborn else ""
    script = f"{trap}echo $$; sleep 60 & sleep 60; wait"

    async def sleeper(ctx: TaskContext) -> None:
        await ctx.run_process(["sh", "-c", script])

    tasks = [Task(f"sleep{i}", sleeper) for i in range(count)]
    tasks.append(Task("after", sleeper, deps=["sleep0"]))
    graph = Graph.from_tasks(tasks)
    console = Console()
    if dry_run is not None:
        console.print(plan_text(graph) if dry_run == "text" else plan_dot(graph), markup=False)
        return
    with make_display(console, mode=events, verbose=state.verbosity) as display:

        def on_event(event: Event) -> None:
            display(event)
            if pid_file is not None and isinstance(event, TaskOutput) and event.line.isdigit():
                with pid_file.open("a", encoding="utf-8") as file:
                    file.write(event.line + "\n")

        run_graph(
            graph,
            backend=backend,
            jobs=jobs if jobs is not None else count,
            keep_going=keep_going,
            grace_period=grace,
            on_event=on_event,
        )


def main(argv: list[str]) -> int:
    from pkg.cli import cli
    from pkg.cli import main as pkg_main

    cli.add_command(dag_command)
    return pkg_main(["dag", *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
