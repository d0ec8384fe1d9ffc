"""Graph building: validation, the stable order, and the plan views."""

from __future__ import annotations

import doctest
import itertools

import pytest

import pkg.orchestrator
from pkg.errors import OrchestrationError, PkgError
from pkg.orchestrator import Graph, GraphError, Task, _log, plan, plan_dot, plan_text
from tests.orchestrator.helpers import chain, noop


def test_order_is_topological_and_keeps_the_given_order() -> None:
    graph = Graph.from_tasks(
        [
            Task("c", noop, deps=["b"]),
            Task("a", noop),
            Task("b", noop, deps=["a"]),
            Task("d", noop),
        ]
    )
    assert graph.order == ("a", "b", "c", "d")
    assert [t.name for t in graph] == list(graph.order)
    assert len(graph) == 4
    assert "a" in graph
    assert "z" not in graph
    assert graph.dependants("a") == ("b",)
    assert graph["c"].deps == ("b",)


def test_priority_breaks_ties_among_ready_tasks() -> None:
    graph = Graph.from_tasks(
        [
            Task("low", noop),
            Task("high", noop, priority=5),
            Task("after-low", noop, deps=["low"], priority=9),
            Task("mid", noop, priority=1),
        ]
    )
    # "after-low" only becomes ready once "low" is placed; then its priority wins.
    assert graph.order == ("high", "mid", "low", "after-low")


def test_same_tasks_same_order() -> None:
    tasks = [Task(f"t{i}", noop, deps=[f"t{i // 2}"] if i else []) for i in range(50)]
    assert Graph.from_tasks(tasks).order == Graph.from_tasks(tasks).order


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ([Task("a", noop), Task("a", noop)], "duplicate task names: 'a'"),
        ([Task("a", noop, deps=["x"])], "task 'a' depends on unknown task 'x'"),
        ([Task("a", noop, deps=["a"])], r"dependency cycle: a -> a"),
        (
            [Task("a", noop, deps=["c"]), Task("b", noop, deps=["a"]), Task("c", noop, deps=["b"])],
            r"dependency cycle: a -> c -> b -> a",
        ),
    ],
)
def test_malformed_graphs_are_refused(tasks: list[Task], message: str) -> None:
    with pytest.raises(GraphError, match=message):
        Graph.from_tasks(tasks)


def test_graph_errors_are_pkg_errors_with_data() -> None:
    with pytest.raises(GraphError) as caught:
        Graph.from_tasks([Task("a", noop, deps=["x", "y"]), Task("b", noop, deps=["z"])])
    assert caught.value.missing == (("a", "x"), ("a", "y"), ("b", "z"))
    assert isinstance(caught.value, OrchestrationError)
    assert isinstance(caught.value, PkgError)
    with pytest.raises(GraphError) as caught:
        Graph.from_tasks([Task("ok", noop), *chain("x", "y"), Task("x2", noop, deps=["y", "x2"])])
    assert caught.value.cycle == ("x2", "x2")


def test_a_cycle_behind_other_tasks_is_found() -> None:
    tasks = [
        Task("root", noop),
        Task("p", noop, deps=["root", "q"]),
        Task("q", noop, deps=["r"]),
        Task("r", noop, deps=["p"]),
        Task("tail", noop, deps=["p"]),
    ]
    with pytest.raises(GraphError) as caught:
        Graph.from_tasks(tasks)
    cycle = caught.value.cycle
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"p", "q", "r"}
    for task, dep in itertools.pairwise(cycle):
        assert dep in {t.name: t for t in tasks}[task].deps


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "non-empty string"),
        ({"timeout": 0}, "timeout must be positive"),
        ({"retries": -1}, "retries must be >= 0"),
        ({"resources": {"network": 0}}, "positive whole number"),
    ],
)
def test_task_specs_are_checked(kwargs: dict[str, object], message: str) -> None:
    options: dict[str, object] = {"name": "t", **kwargs}
    with pytest.raises(ValueError, match=message):
        Task(fn=noop, **options)  # type: ignore[arg-type]


def test_task_normalises_its_fields() -> None:
    task = Task("t", noop, deps=iter(["a", "b", "a"]), resources={"vcs": 1})
    assert task.deps == ("a", "b")
    assert dict(task.resources) == {"vcs": 1}
    assert not task.retryable
    assert Task("r", noop, retries=2).retryable


def _graph() -> Graph:
    return Graph.from_tasks(
        [
            Task("solve", noop),
            Task("build-a", noop, deps=["solve"], priority=2, resources={"cpu": 2}),
            Task("build-b", noop, deps=["solve"], timeout=60),
            Task("test-b", noop, deps=["build-b"]),
            Task("release", noop, deps=["build-a", "build-b", "test-b"], retries=1),
            Task("docs", noop),
        ]
    )


def test_plan_text() -> None:
    assert plan_text(_graph()) == (
        "6 tasks\n"
        "release  [retries=1]\n"
        "├── build-a  [priority=2, cpu=2]\n"
        "│   └── solve\n"
        "├── build-b  [timeout=60s]\n"
        "│   └── solve\n"
        "└── test-b\n"
        "    └── build-b (see above)\n"
        "docs"
    )
    assert plan_text(Graph.from_tasks([])) == "0 tasks"
    assert plan_text(Graph.from_tasks([Task("x", noop)])) == "1 task\nx"


def test_plan_dot() -> None:
    assert _graph().order == ("solve", "build-a", "build-b", "test-b", "release", "docs")
    assert plan_dot(_graph()) == (
        "digraph tasks {\n"
        "  rankdir=LR;\n"
        "  node [shape=box];\n"
        '  "solve";\n'
        '  "build-a" [tooltip="priority=2, cpu=2"];\n'
        '  "build-b" [tooltip="timeout=60s"];\n'
        '  "test-b";\n'
        '  "release" [tooltip="retries=1"];\n'
        '  "docs";\n'
        '  "solve" -> "build-a";\n'
        '  "solve" -> "build-b";\n'
        '  "build-b" -> "test-b";\n'
        '  "build-a" -> "release";\n'
        '  "build-b" -> "release";\n'
        '  "test-b" -> "release";\n'
        "}"
    )


def test_plan_dot_quotes_names() -> None:
    dot = plan_dot(Graph.from_tasks([Task('say "hi"\\now', noop)]))
    assert '"say \\"hi\\"\\\\now";' in dot


@pytest.mark.parametrize("module", [pkg.orchestrator, plan, _log], ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
