"""Resolve graphs in Rez's form: built from a solve, written as DOT or as the compact
string that a ``.rxt`` file stores, and read back from that string.

A graph shows the phase a solve ended on (the solved phase, or the failed one Rez
reports):

* the request, one yellow node per merged request (``filled,dashed``);
* one node per scope: green for a solved variant (``foo-1.2[0]``), grey otherwise, with
  the scope's state as its label (``foo[1.0..2.0(3)]``, or ``!foo`` for a conflict);
* grey dashed nodes for the requirements of solved variants and for the dependencies
  extracted from scopes, each pointing at the scope of its family;
* on failure, red ``CONFLICT`` or ``CYCLE`` edges, and (with ``prune``) only the nodes
  from which a failure node can be reached.

The compact string is a Python literal (``{'nodes': [...], 'edges': [...]}``) that groups
nodes and edges by their attributes; Rez's ``ResolvedContext.graph()`` reads it.

:func:`build_graph` works on a :class:`PhaseView`.  :func:`phase_view` takes one from a
solver phase exactly, and the solver keeps that of the failed phase it reports in
:attr:`SolveResult.view`; for a solved result, :func:`result_view` rebuilds one from the
resolved variants, which is exact for the requests, the solved variants and their
requirements.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from pkg._record import record
from pkg.core import Requirement, RequirementList, VersionRange, parse_requirement
from pkg.resolver._graph import dependency_order
from pkg.resolver.result import (
    ConflictFailure,
    CycleFailure,
    ReductionFailure,
    ResolvedVariant,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pkg.resolver._phase import Phase
    from pkg.resolver._scope import Scope
    from pkg.resolver.result import FailureReason, SolveResult

__all__ = [
    "GraphEdge",
    "GraphNode",
    "PhaseView",
    "ResolveGraph",
    "ScopeView",
    "build_graph",
    "phase_view",
    "result_view",
]

#: An attribute list: ``(name, value)`` pairs, sorted by name (values as Rez stores them).
Attrs = tuple[tuple[str, str | int], ...]

_REQUEST_COLOR = "#FFFFAA"
_SOLVED_COLOR = "#AAFFAA"
_NODE_COLOR = "#F6F6F6"
_FONT_SIZE = 10
_EDGE: Attrs = (("arrowsize", "0.5"),)
_MERGE_EDGE: Attrs = (("arrowhead", "odot"), ("arrowsize", "1"))
_REDUCTION_EDGE: Attrs = (("arrowsize", "1"), ("fontsize", _FONT_SIZE))
_FAILURE_EDGE: Attrs = (
    ("arrowsize", "1"),
    ("color", "red"),
    ("fontcolor", "red"),
    ("style", "bold"),
)


@record(frozen=True, slots=True)
class GraphNode:
    """A node: its id (``_1``), its label and its other attributes."""

    id: str
    label: str
    attrs: Attrs = ()


@record(frozen=True, slots=True)
class GraphEdge:
    """An edge from ``source`` to ``target`` (node ids), with an optional label."""

    source: str
    target: str
    label: str = ""
    attrs: Attrs = ()


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot_id(node: str) -> str:
    return node if node.isidentifier() and node.isascii() else _quote(node)


def _dot_attrs(items: Iterable[tuple[str, str | int]]) -> str:
    text = ", ".join(f"{k}={_quote(str(v))}" for k, v in items)
    return f" [{text}]" if text else ""


@record(frozen=True, slots=True)
class ResolveGraph:
    """A resolve graph: nodes in creation order, edges grouped by source node."""

    nodes: tuple[GraphNode, ...] = ()
    edges: tuple[GraphEdge, ...] = ()

    def to_compact(self) -> str:
        """The compact string Rez stores in a ``.rxt`` file's ``graph`` key."""
        nodes: dict[Attrs, list[object]] = {}
        for node in self.nodes:
            nodes.setdefault(node.attrs, []).append(
                (node.id, node.label) if node.label else node.id
            )
        edges: dict[Attrs, list[object]] = {}
        for edge in self.edges:
            value = (
                (edge.source, edge.target, edge.label) if edge.label else (edge.source, edge.target)
            )
            edges.setdefault(edge.attrs, []).append(value)
        return repr({"nodes": list(nodes.items()), "edges": list(edges.items())})

    @classmethod
    def from_compact(cls, text: str) -> ResolveGraph:
        """Read the compact string back.

        Raises:
            ValueError: ``text`` is not a compact graph (an old ``.rxt`` may hold DOT).
        """
        try:
            doc = ast.literal_eval(text)
            nodes = []
            for attrs, values in doc.get("nodes", []):
                for value in values:
                    node_id, label = (value, "") if isinstance(value, str) else value
                    nodes.append(GraphNode(str(node_id), str(label), _attrs(attrs)))
            edges = [
                GraphEdge(
                    str(value[0]),
                    str(value[1]),
                    str(value[2]) if len(value) == 3 else "",
                    _attrs(attrs),
                )
                for attrs, values in doc.get("edges", [])
                for value in values
            ]
        except (SyntaxError, ValueError, TypeError, AttributeError, IndexError) as error:
            raise ValueError(f"not a compact resolve graph: {error}") from None
        return cls(tuple(nodes), tuple(edges))

    def to_dot(self) -> str:
        """The graph in the DOT language (for graphviz)."""
        lines = ["digraph g {"]
        for node in self.nodes:
            lines.append(f"{_dot_id(node.id)}{_dot_attrs((('label', node.label), *node.attrs))};")
        for edge in self.edges:
            attrs = (*edge.attrs, ("label", edge.label)) if edge.label else edge.attrs
            source, target = _dot_id(edge.source), _dot_id(edge.target)
            lines.append(f"{source} -> {target}{_dot_attrs(attrs)};")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def labelled(self) -> tuple[set[tuple[str, Attrs]], set[tuple[str, str, str, Attrs]]]:
        """The graph without node ids: (label, attributes) of the nodes, and (source
        label, target label, edge label, attributes) of the edges.  Two graphs with the
        same ``labelled()`` say the same thing."""
        label = {n.id: n.label + "\x00" + repr(n.attrs) for n in self.nodes}
        nodes = {(n.label, n.attrs) for n in self.nodes}
        edges = {(label[e.source], label[e.target], e.label, e.attrs) for e in self.edges}
        return nodes, edges


def _attrs(items: object) -> Attrs:
    pairs = [(str(k), v if isinstance(v, int) else str(v)) for k, v in items]  # type: ignore[attr-defined]
    return tuple(sorted(pairs))


# -- what a graph is built from ---------------------------------------------------------


@record(frozen=True, slots=True)
class ScopeView:
    """One scope of a phase.

    Attributes:
        name: the family.
        label: the scope as Rez prints it (``foo[1.0..2.0(3)]``, ``[foo==1.0]*``,
            ``!foo``, ``.eph-1``); not used for a solved variant.
        request: the scope's request (its range of versions, or the conflict).
        variant: the solved variant, or None.
    """

    name: str
    label: str
    request: Requirement
    variant: ResolvedVariant | None = None


@record(frozen=True, slots=True)
class PhaseView:
    """What a resolve graph shows of a phase.

    Attributes:
        requests: the merged request (empty when the request itself clashed).
        scopes: the scopes, in the phase's order.
        extractions: (family, request extracted from its scope), in extraction order.
        failure: why the phase failed, or None.
    """

    requests: tuple[Requirement, ...] = ()
    scopes: tuple[ScopeView, ...] = ()
    extractions: tuple[tuple[str, Requirement], ...] = ()
    failure: FailureReason | None = None


def _slice_label(scope: Scope) -> str:
    slice_ = scope.slice
    if slice_ is None or scope.is_conflict:
        return str(scope.request)
    count = len(slice_)
    if count == 1:
        variant = slice_.first_variant
        index = "" if variant.index is None else f"[{variant.index}]"
        text = f"[{scope.name}=={variant.version}{index}]"
    elif len(slice_.entries) == 1:
        entry = slice_.entries[0]
        indexes = ",".join(sorted((str(v.index) for v in entry.variants), key=_int))
        text = f"[{scope.name}=={entry.version}[{indexes}]]"
    else:
        versions = len(slice_.entries)
        counts = str(count) if versions == count else f"{versions}:{count}"
        text = f"{scope.name}[{slice_.range.span()}({counts})]"
    return text + ("*" if slice_.extractable else "")


def _int(text: str) -> int:
    return int(text) if text.isdigit() else -1


def phase_view(phase: Phase) -> PhaseView:
    """The view of a solver phase (exact: the graph is the one Rez draws)."""
    scopes = []
    for scope in phase.scopes:
        solved = scope.solved_variant
        variant = None
        if solved is not None:
            variant = ResolvedVariant(solved.name, solved.version, solved.index, tuple(solved.reqs))
        scopes.append(ScopeView(scope.name, _slice_label(scope), scope.request, variant))
    return PhaseView(
        tuple(phase.ctx.requests),
        tuple(scopes),
        tuple((source, req) for (source, _fam), req in phase.extractions.items()),
        phase.failure,
    )


def _exact(name: str, variant: ResolvedVariant) -> Requirement:
    return Requirement.construct(name, VersionRange.from_version(variant.version, "=="))


def result_view(result: SolveResult) -> PhaseView:
    """The view of a solve's result: the failed phase kept by the solver, or one rebuilt
    from the resolved variants."""
    if result.view is not None:
        return result.view
    requests = tuple(
        parse_requirement(e.requirement) for e in result.graph.edges if e.kind == "request"
    )
    if result.status == "solved":
        by_name = {v.name: v for v in result.resolved}
        ephemerals = {e.name: e for e in result.ephemerals}
        deps = {v.name: [r.name for r in v.requires if not r.conflict] for v in result.resolved}
        deps.update((name, []) for name in ephemerals)
        scopes = []
        for name in dependency_order(deps, [r.name for r in requests]):
            variant = by_name.get(name)
            if variant is not None:
                scopes.append(ScopeView(name, str(variant), _exact(name, variant), variant))
            else:
                eph = ephemerals[name]
                scopes.append(ScopeView(name, str(eph), eph))
        extractions = tuple(
            (v.name, r) for v in result.resolved for r in v.requires if not r.conflict
        )
        return PhaseView(requests, tuple(scopes), extractions)
    # A failed phase: the result knows its families, but not what was left of them
    # (a requested conflict is taken to be still a conflict).
    failure = result.failure
    failed = dict(failure.packages) if isinstance(failure, CycleFailure) else {}
    conflicts = {r.name: r for r in requests if r.conflict}
    views = []
    for name in dict.fromkeys(n for n in result.graph.nodes if n):
        version = failed.get(name)
        if version is not None:
            variant = ResolvedVariant(name, version, None)
            views.append(ScopeView(name, str(variant), _exact(name, variant), variant))
        else:
            request = conflicts.get(name) or Requirement(name)
            views.append(ScopeView(name, str(request) if request.conflict else name, request))
    extractions = tuple(
        (e.source, parse_requirement(e.requirement))
        for e in result.graph.edges
        if e.kind == "requires" and e.source
    )
    return PhaseView(requests, tuple(views), extractions, result.failure)


# -- building ---------------------------------------------------------------------------


class _Digraph:
    """The little of a directed graph the builder needs; re-adding an edge moves it last."""

    def __init__(self) -> None:
        self.nodes: dict[str, tuple[str, Attrs]] = {}
        self.out: dict[str, list[str]] = {}
        self.edge_data: dict[tuple[str, str], tuple[str, Attrs]] = {}

    def add_node(self, label: str, color: str, style: str) -> str:
        node = f"_{len(self.nodes) + 1}"
        attrs: Attrs = (("fillcolor", color), ("fontsize", _FONT_SIZE), ("style", style))
        self.nodes[node] = (label, attrs)
        self.out[node] = []
        return node

    def add_edge(self, source: str, target: str, attrs: Attrs = _EDGE, label: str = "") -> None:
        targets = self.out[source]
        if target in targets:
            targets.remove(target)
        targets.append(target)
        self.edge_data[(source, target)] = (label, attrs)

    def prune(self, keep: set[str]) -> None:
        """Delete every node from which no node of ``keep`` can be reached."""
        reach: dict[str, bool] = {}
        for start in self.out:
            seen = {start}
            stack = [start]
            while stack:
                for nxt in self.out[stack.pop()]:
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
            reach[start] = bool(seen & keep)
        for node, kept in reach.items():
            if not kept:
                del self.nodes[node]
        self.out = {
            n: [t for t in ts if t in self.nodes] for n, ts in self.out.items() if n in self.nodes
        }

    def freeze(self) -> ResolveGraph:
        nodes = tuple(GraphNode(n, label, attrs) for n, (label, attrs) in self.nodes.items())
        edges = tuple(
            GraphEdge(s, t, *self.edge_data[(s, t)])
            for s, targets in self.out.items()
            for t in targets
        )
        return ResolveGraph(nodes, edges)


class _Builder:
    """Builds the graph of one :class:`PhaseView`, in Rez's order of node creation."""

    def __init__(self, view: PhaseView) -> None:
        self.view = view
        self.g = _Digraph()
        # Requests are told apart by their text (as Rez hashes them).
        self.request_nodes: dict[str, tuple[Requirement, str]] = {}
        self.scope_nodes: dict[str, str] = {}
        self.scope_requests: dict[str, Requirement] = {}
        self.failure_nodes: set[str] = set()

    def request_node(self, request: Requirement, initial: bool = False) -> str:
        found = self.request_nodes.get(str(request))
        if found is not None:
            return found[1]
        color = _REQUEST_COLOR if initial else _NODE_COLOR
        node = self.g.add_node(str(request), color, "filled,dashed")
        self.request_nodes[str(request)] = (request, node)
        return node

    def scope_node(self, scope: ScopeView) -> str:
        found = self.scope_nodes.get(scope.name)
        if found is not None:
            return found
        if scope.variant is not None:
            node = self.g.add_node(str(scope.variant), _SOLVED_COLOR, "filled")
        elif scope.request.conflict:
            node = self.g.add_node(scope.label, _NODE_COLOR, "filled,dashed")
        else:
            node = self.g.add_node(scope.label, _NODE_COLOR, "filled")
        self.scope_nodes[scope.name] = node
        self.scope_requests[node] = scope.request
        return node

    def failure_edge(self, source: str, target: str, label: str) -> None:
        self.g.add_edge(source, target, _FAILURE_EDGE, label)
        self.failure_nodes.update((source, target))

    def build(self, prune: bool) -> ResolveGraph:
        self._nodes()
        self._requirements()
        self._merges()
        self._failure()
        self._leaves()
        if prune and self.failure_nodes:
            self.g.prune(self.failure_nodes)
        return self.g.freeze()

    def _nodes(self) -> None:
        """The initial requests, the scopes, and an edge from each request to its scope."""
        view = self.view
        for request in view.requests:
            self.request_node(request, initial=True)
        for scope in view.scopes:
            if scope.request.conflict:
                # A conflict scope that is an initial request is drawn as that request.
                taken = self.request_nodes.pop(str(scope.request), None)
                if taken is not None:
                    self.scope_nodes[scope.name] = taken[1]
                    continue
            self.scope_node(scope)
        for request in view.requests:
            found = self.request_nodes.get(str(request))
            target = self.scope_nodes.get(request.name)
            if found is not None and target is not None:
                self.g.add_edge(found[1], target)

    def _requirements(self) -> None:
        """Solved variant -> each requirement; scope -> each request extracted from it."""
        for scope in self.view.scopes:
            if scope.variant is not None:
                node = self.scope_nodes[scope.name]
                for request in scope.variant.requires:
                    self.g.add_edge(node, self.request_node(request))
        for source, request in self.view.extractions:
            source_node = self.scope_nodes.get(source)
            if source_node is not None:
                self.g.add_edge(source_node, self.request_node(request))

    def _leaves(self) -> None:
        """A request that leads nowhere points at its family's scope, unless it clashes."""
        scopes = {s.name: s for s in self.view.scopes}
        for request, node in list(self.request_nodes.values()):
            target = self.scope_nodes.get(request.name)
            if (
                target is not None
                and not self.g.out[node]
                and not request.conflicts_with(scopes[request.name].request)
            ):
                self.g.add_edge(node, target)

    def _merges(self) -> None:
        by_family: dict[str, list[Requirement]] = {}
        for _source, request in self.view.extractions:
            by_family.setdefault(request.name, []).append(request)
        for family, requests in by_family.items():
            if len(requests) < 2:
                continue
            merged_list = RequirementList(requests)
            merged = merged_list.get(family)
            if merged_list.conflict is not None or merged is None:
                continue
            for request in requests:
                if merged != request:
                    node = self.request_node(request)
                    self.g.add_edge(node, self.request_node(merged), _MERGE_EDGE)

    def _failure(self) -> None:
        failure = self.view.failure
        if isinstance(failure, ConflictFailure):
            for clash in failure.conflicts:
                self._conflict(clash.dependency, clash.conflicting)
        elif isinstance(failure, ReductionFailure):
            single = len(failure.reductions) == 1
            for red in failure.reductions:
                source = self.scope_nodes.get(red.name)
                target = self.scope_nodes.get(red.conflicting.name)
                if source is None or target is None:
                    continue
                if single:
                    dep = self.request_node(red.dependency)
                    self.g.add_edge(source, dep)
                else:
                    dep = self.g.add_node(str(red.dependency), _NODE_COLOR, "filled,dashed")
                    label = str(ResolvedVariant(red.name, red.version, red.index))
                    self.g.add_edge(source, dep, _REDUCTION_EDGE, label)
                self.failure_edge(dep, target, "CONFLICT")
                self.failure_nodes.add(source)
        elif isinstance(failure, CycleFailure):
            names = [name for name, _version in failure.packages]
            for name, nxt in zip(names, names[1:] + names[:1], strict=True):
                source, target = self.scope_nodes.get(name), self.scope_nodes.get(nxt)
                if source is not None and target is not None:
                    self.failure_edge(source, target, "CYCLE")

    def _conflict(self, dependency: Requirement, conflicting: Requirement) -> None:
        scope_node = self.scope_nodes.get(conflicting.name)
        scope_request = None if scope_node is None else self.scope_requests.get(scope_node)
        if scope_node is not None and scope_request is not None:
            if scope_request.conflicts_with(conflicting):
                self.failure_edge(self.request_node(conflicting), scope_node, "CONFLICT")
                return
        elif scope_node is not None:
            # An earlier conflict request clashes with a package's requirement.
            self.failure_edge(scope_node, self.request_node(dependency), "CONFLICT")
            return
        source = self.request_node(dependency)
        self.failure_edge(source, scope_node or self.request_node(conflicting), "CONFLICT")


def build_graph(view: PhaseView, *, prune: bool = True) -> ResolveGraph:
    """The resolve graph of ``view``, as Rez draws it.

    With ``prune`` (Rez's ``prune_failed_graph``), a failed phase's graph keeps only the
    nodes from which a node of the failure can be reached.
    """
    return _Builder(view).build(prune)
