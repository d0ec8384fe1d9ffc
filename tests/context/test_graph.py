"""Resolve graphs in Rez's form (``pkg.resolver.dot``), as ``.rxt`` files store them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import pkg.resolver._describe
import pkg.resolver.solver as solver_module
from pkg.core import Requirement, Version
from pkg.resolver import MemoryProvider, ReductionFailure, SolveResult, solve
from pkg.resolver.dot import (
    GraphEdge,
    GraphNode,
    PhaseView,
    ResolveGraph,
    ScopeView,
    build_graph,
    phase_view,
    result_view,
)
from pkg.resolver.result import Reduction, ResolvedVariant

if TYPE_CHECKING:
    from pkg.resolver._phase import Phase
    from pkg.resolver.result import FailureReason, WhyGraph

REPO = MemoryProvider(
    {
        "a": {"1": {"requires": ["c-1+"]}},
        "b": {"1": {"requires": ["c-1"]}},
        "c": {"1": {}, "2": {}},
        "d": {"1": {"requires": ["!c"]}},
        "e": {"1": {"requires": ["c-2"]}, "2": {"requires": ["c-3"]}},
        "x": {"1": {"requires": ["y"]}},
        "y": {"1": {"requires": ["x"]}},
        "v": {"1": {"variants": [["c-2"], ["c-1"]]}},
        "eph": {"1": {"requires": [".e-1"]}},
        "lone": {"1": {}},
    }
)

REQUEST = (("fillcolor", "#FFFFAA"), ("fontsize", 10), ("style", "filled,dashed"))
SOLVED = (("fillcolor", "#AAFFAA"), ("fontsize", 10), ("style", "filled"))
SCOPE = (("fillcolor", "#F6F6F6"), ("fontsize", 10), ("style", "filled"))
DEPENDENCY = (("fillcolor", "#F6F6F6"), ("fontsize", 10), ("style", "filled,dashed"))
EDGE = (("arrowsize", "0.5"),)
FAILURE = (("arrowsize", "1"), ("color", "red"), ("fontcolor", "red"), ("style", "bold"))


def _graph(requests: list[str], *, prune: bool = True) -> ResolveGraph:
    return build_graph(result_view(solve(requests, REPO)), prune=prune)


def _edges(graph: ResolveGraph) -> set[tuple[str, str, str]]:
    label = {n.id: n.label for n in graph.nodes}
    return {(label[e.source], label[e.target], e.label) for e in graph.edges}


def test_a_solved_graph() -> None:
    graph = _graph(["a", "b"])
    assert [(n.label, n.attrs) for n in graph.nodes] == [
        ("a", REQUEST),
        ("b", REQUEST),
        ("c-1[]", SOLVED),
        ("a-1[]", SOLVED),
        ("b-1[]", SOLVED),
        ("c-1+", DEPENDENCY),
        ("c-1", DEPENDENCY),
    ]
    assert _edges(graph) == {
        ("a", "a-1[]", ""),
        ("b", "b-1[]", ""),
        ("a-1[]", "c-1+", ""),
        ("b-1[]", "c-1", ""),
        ("c-1+", "c-1", ""),  # the two requests for c merge into c-1
        ("c-1", "c-1[]", ""),
    }
    merge = next(e for e in graph.edges if e.attrs != EDGE)
    assert merge.attrs == (("arrowhead", "odot"), ("arrowsize", "1"))


def test_variants_and_ephemerals() -> None:
    labels = [n.label for n in _graph(["v", "eph"]).nodes]
    assert labels == ["v", "eph", "c-2[]", "v-1[0]", ".e-1", "eph-1[]", "c-2", ".e-1"]
    assert [n.label for n in _graph([]).nodes] == []


def test_a_conflict() -> None:
    graph = _graph(["a", "d"])
    conflicts = [e for e in graph.edges if e.label == "CONFLICT"]
    assert [e.attrs for e in conflicts] == [FAILURE]
    assert ("!c", "c[1..2(2)]", "CONFLICT") in _edges(graph)


def test_a_requested_conflict_is_its_scope() -> None:
    graph = _graph(["a", "!c"])
    assert ("!c", "c-1+", "CONFLICT") in _edges(graph)
    assert sum(n.label == "!c" for n in graph.nodes) == 1


def test_a_clashing_request() -> None:
    graph = _graph(["c-1", "!c"])
    assert [(n.label, n.attrs) for n in graph.nodes] == [("c-1", DEPENDENCY), ("!c", DEPENDENCY)]
    assert _edges(graph) == {("c-1", "!c", "CONFLICT")}


def test_a_cycle() -> None:
    graph = _graph(["x"])
    assert {e for e in _edges(graph) if e[2]} == {
        ("x-1[]", "y-1[]", "CYCLE"),
        ("y-1[]", "x-1[]", "CYCLE"),
    }


def test_pruning_keeps_what_leads_to_the_failure() -> None:
    kept = {n.label for n in _graph(["lone", "a", "d"]).nodes}
    everything = {n.label for n in _graph(["lone", "a", "d"], prune=False).nodes}
    assert everything - kept == {"lone", "lone-1[]"}


def _view(failure: FailureReason) -> PhaseView:
    c = Requirement("c==1")
    scopes = (
        ScopeView("e", "e[1..2(2)]", Requirement("e==1|==2")),
        ScopeView("c", "[c==1]", c, ResolvedVariant("c", Version("1"), None)),
    )
    return PhaseView((Requirement("e"), Requirement("c-1")), scopes, (), failure)


def test_reductions() -> None:
    one = Reduction("e", Version("1"), None, Requirement("c-2"), Requirement("c==1"))
    two = Reduction("e", Version("2"), None, Requirement("c-3"), Requirement("c==1"))
    graph = build_graph(_view(ReductionFailure((one, two))))
    assert _edges(graph) == {
        ("e", "e[1..2(2)]", ""),
        ("c-1", "c-1[]", ""),
        ("e[1..2(2)]", "c-2", "e-1[]"),
        ("e[1..2(2)]", "c-3", "e-2[]"),
        ("c-2", "c-1[]", "CONFLICT"),
        ("c-3", "c-1[]", "CONFLICT"),
    }
    single = build_graph(_view(ReductionFailure((one,))))
    assert _edges(single) == {
        ("e", "e[1..2(2)]", ""),
        ("c-1", "c-1[]", ""),
        ("e[1..2(2)]", "c-2", ""),
        ("c-2", "c-1[]", "CONFLICT"),
    }


def test_compact_form_round_trip() -> None:
    graph = _graph(["a", "d"], prune=False)
    text = graph.to_compact()
    assert text.startswith(
        "{'nodes': [((('fillcolor', '#FFFFAA'), ('fontsize', 10), ('style', 'filled,dashed')),"
        " [('_1', 'a'), ('_2', 'd')]), "
    )
    assert "('_7', '_5', 'CONFLICT')" in text
    assert ResolveGraph.from_compact(text) == graph
    assert ResolveGraph().to_compact() == "{'nodes': [], 'edges': []}"
    assert ResolveGraph.from_compact("{'nodes': [], 'edges': []}") == ResolveGraph()


def test_compact_form_keeps_nodes_without_labels() -> None:
    graph = ResolveGraph((GraphNode("_1", "", EDGE),), (GraphEdge("_1", "_1"),))
    assert ResolveGraph.from_compact(graph.to_compact()) == graph


@pytest.mark.parametrize(
    "text", ["digraph g {}", "{'nodes': [(1, 2)]}", "{'nodes': [((), [('_1',)])]}", "{"]
)
def test_not_a_compact_graph(text: str) -> None:
    with pytest.raises(ValueError, match="not a compact resolve graph"):
        ResolveGraph.from_compact(text)


def test_dot() -> None:
    graph = ResolveGraph(
        (GraphNode("_1", 'say "hi"', SCOPE), GraphNode("_2", "b\\c")),
        (GraphEdge("_1", "_2", "CONFLICT", FAILURE), GraphEdge("_2", "_1")),
    )
    assert graph.to_dot() == (
        "digraph g {\n"
        '_1 [label="say \\"hi\\"", fillcolor="#F6F6F6", fontsize="10", style="filled"];\n'
        '_2 [label="b\\\\c"];\n'
        '_1 -> _2 [arrowsize="1", color="red", fontcolor="red", style="bold",'
        ' label="CONFLICT"];\n'
        "_2 -> _1;\n"
        "}\n"
    )


def test_dot_quotes_odd_ids() -> None:
    graph = ResolveGraph((GraphNode("a b", "x"),), (GraphEdge("a b", "_1"),))
    assert graph.to_dot() == 'digraph g {\n"a b" [label="x"];\n"a b" -> _1;\n}\n'


def test_labelled_ignores_ids() -> None:
    one = ResolveGraph((GraphNode("_1", "a"), GraphNode("_2", "b")), (GraphEdge("_1", "_2"),))
    two = ResolveGraph((GraphNode("_9", "b"), GraphNode("_3", "a")), (GraphEdge("_3", "_9"),))
    assert one.labelled() == two.labelled()
    assert one.labelled() != ResolveGraph(one.nodes).labelled()


def _captured(monkeypatch: pytest.MonkeyPatch, requests: list[str]) -> tuple[Phase, SolveResult]:
    phases: list[Phase] = []
    real = pkg.resolver._describe.why_graph

    def capture(phase: Phase, failure: FailureReason | None) -> WhyGraph:
        phases.append(phase)
        return real(phase, failure)

    monkeypatch.setattr(solver_module, "why_graph", capture)
    result = solve(requests, REPO)
    return phases[-1], result


@pytest.mark.parametrize("requests", [["a", "b"], ["v", "eph"], ["x"], ["a", "d"], ["e", "c-1"]])
def test_phase_view_and_result_view_agree(
    monkeypatch: pytest.MonkeyPatch, requests: list[str]
) -> None:
    phase, result = _captured(monkeypatch, requests)
    exact = build_graph(phase_view(phase))
    rebuilt = build_graph(result_view(result))
    if result.ok:
        assert exact.labelled() == rebuilt.labelled()
    else:
        assert {e.label for e in exact.edges} == {e.label for e in rebuilt.edges}


def test_phase_view_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    phase, _result = _captured(monkeypatch, ["e", "c-1"])
    assert [s.label for s in phase_view(phase).scopes] == ["e[1..2(2)]", "[c==1]"]
