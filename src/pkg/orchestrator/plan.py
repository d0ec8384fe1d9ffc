"""The plan of a graph as text: an indented tree and Graphviz DOT (``--dry-run``).

Both are pure functions of the graph, so the same graph always gives the same text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkg.orchestrator.dag import Graph, Task

__all__ = ["plan_dot", "plan_text"]


def _details(task: Task) -> str:
    parts = []
    if task.priority:
        parts.append(f"priority={task.priority}")
    parts.extend(f"{name}={units}" for name, units in sorted(task.resources.items()))
    if task.timeout is not None:
        parts.append(f"timeout={task.timeout:g}s")
    if task.retries:
        parts.append(f"retries={task.retries}")
    return f"  [{', '.join(parts)}]" if parts else ""


def plan_text(graph: Graph) -> str:
    """The graph as a tree: each final task, with what it needs indented beneath it.

    The top level lists the tasks nothing depends on, in :attr:`Graph.order`; below each
    task come its dependencies in the order given.  A task that already appeared with its
    dependencies is shown again as ``name (see above)``, so the text grows with the
    number of edges, not paths.  Priorities, resources, timeouts and retries follow in
    brackets.  The first line counts the tasks.

    >>> from pkg.orchestrator import Graph, Task
    >>> async def noop(ctx): ...
    >>> print(plan_text(Graph.from_tasks([
    ...     Task("solve", noop),
    ...     Task("build-a", noop, deps=["solve"], resources={"cpu": 2}),
    ...     Task("build-b", noop, deps=["solve"]),
    ...     Task("release", noop, deps=["build-a", "build-b"], retries=2),
    ... ])))
    4 tasks
    release  [retries=2]
    ├── build-a  [cpu=2]
    │   └── solve
    └── build-b
        └── solve
    """
    count = len(graph)
    lines = [f"{count} task" + ("" if count == 1 else "s")]
    shown: set[str] = set()
    sinks = [name for name in graph.order if not graph.dependants(name)]
    for sink in sinks:
        # Iterative depth-first walk: (name, prefix of its line, prefix of its children).
        stack = [(sink, "", "")]
        while stack:
            name, prefix, child_prefix = stack.pop()
            task = graph[name]
            if name in shown and task.deps:
                lines.append(f"{prefix}{name} (see above)")
                continue
            shown.add(name)
            lines.append(f"{prefix}{name}{_details(task)}")
            deps = task.deps
            for i in reversed(range(len(deps))):
                last = i == len(deps) - 1
                stack.append(
                    (
                        deps[i],
                        child_prefix + ("└── " if last else "├── "),
                        child_prefix + ("    " if last else "│   "),
                    )
                )
    return "\n".join(lines)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def plan_dot(graph: Graph) -> str:
    """The graph in Graphviz DOT: an edge from each dependency to its dependant.

    Nodes come in :attr:`Graph.order`, edges per dependant in the order given; task
    details (as in :func:`plan_text`) become the node's tooltip.

    >>> from pkg.orchestrator import Graph, Task
    >>> async def noop(ctx): ...
    >>> print(plan_dot(Graph.from_tasks([Task("a", noop), Task("b", noop, deps=["a"])])))
    digraph tasks {
      rankdir=LR;
      node [shape=box];
      "a";
      "b";
      "a" -> "b";
    }
    """
    lines = ["digraph tasks {", "  rankdir=LR;", "  node [shape=box];"]
    for task in graph:
        details = _details(task).strip()
        attributes = f" [tooltip={_quote(details[1:-1])}]" if details else ""
        lines.append(f"  {_quote(task.name)}{attributes};")
    lines.extend(f"  {_quote(dep)} -> {_quote(task.name)};" for task in graph for dep in task.deps)
    lines.append("}")
    return "\n".join(lines)
