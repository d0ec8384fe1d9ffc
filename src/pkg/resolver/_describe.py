"""Readable failure descriptions and the why-graph, built from a finished phase.

A description names each clashing requirement together with the chain that brought it
in: the request, then each package that required the next, down to the requirement
itself.  The last line repeats Rez's own one-line wording.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.resolver.result import (
    ConflictFailure,
    CycleFailure,
    MissingFamilyFailure,
    ReductionFailure,
    WhyEdge,
    WhyGraph,
)

if TYPE_CHECKING:
    from pkg.core import Requirement
    from pkg.resolver._phase import Phase
    from pkg.resolver.result import FailureReason

__all__ = ["describe_failure", "why_graph"]

_MAX_CHAIN = 12


class _Origins:
    """Who asked for each family in a phase: the request, or packages' requirements."""

    def __init__(self, phase: Phase) -> None:
        self.requested = {r.name: r for r in phase.ctx.requests}
        self.parents: dict[str, list[tuple[str, Requirement]]] = {}
        for (source, fam), request in phase.extractions.items():
            self.parents.setdefault(fam, []).append((source, request))
        self.labels = {s.name: str(s.request) for s in phase.scopes}

    def chain(self, name: str) -> str:
        """``request 'a' -> a==1 requires 'b-2' -> ...`` ending at family ``name``."""
        steps: list[str] = []
        seen: set[str] = set()
        current = name
        while len(steps) < _MAX_CHAIN and current not in seen:
            seen.add(current)
            request = self.requested.get(current)
            if request is not None:
                steps.append(f"request '{request}'")
                break
            parents = self.parents.get(current)
            if not parents:
                break
            source, req = parents[0]
            steps.append(f"{self.labels.get(source, source)} requires '{req}'")
            current = source
        return " -> ".join(reversed(steps)) if steps else f"'{name}'"

    def origin(self, req: Requirement) -> str:
        """Where the requirement ``req`` itself came from."""
        if self.requested.get(req.name) == req:
            return f"request '{req}'"
        for source, extracted in self.parents.get(req.name, ()):
            if extracted == req:
                label = self.labels.get(source, source)
                return f"{self.chain(source)} -> {label} requires '{req}'"
        return self.chain(req.name)


def _conflict_lines(failure: ConflictFailure, origins: _Origins) -> list[str]:
    lines = []
    for clash in failure.conflicts:
        dep, other = clash.dependency, clash.conflicting
        lines.append(f"the requirements for {dep.name} clash: '{dep}' and '{other}'")
        lines.append(f"  '{dep}' comes from: {origins.origin(dep)}")
        lines.append(f"  '{other}' comes from: {origins.origin(other)}")
    return lines


def _reduction_lines(failure: ReductionFailure, origins: _Origins) -> list[str]:
    first = failure.reductions[0]
    label = f"{first.name}-{first.version}" if str(first.version) else first.name
    lines = [f"no variant of {label} or its other versions is left ({origins.chain(first.name)}):"]
    for red in failure.reductions:
        variant = str(red).split(" (dep(")[0]
        lines.append(
            f"  {variant} requires '{red.dependency}', which clashes with "
            f"'{red.conflicting}' ({origins.chain(red.conflicting.name)})"
        )
    return lines


def describe_failure(failure: FailureReason | None, phase: Phase) -> str:
    """A paragraph explaining ``failure`` (which happened in ``phase``)."""
    if failure is None:
        return "Solver failed with unknown reason."
    origins = _Origins(phase)
    if isinstance(failure, ConflictFailure):
        lines = _conflict_lines(failure, origins)
    elif isinstance(failure, ReductionFailure):
        lines = _reduction_lines(failure, origins)
    elif isinstance(failure, CycleFailure):
        names = [f"{n}-{v}" if str(v) else n for n, v in failure.packages]
        steps = [f"{a} requires {b}" for a, b in zip(names, names[1:] + names[:1], strict=True)]
        lines = ["the resolved packages depend on each other in a cycle: " + ", ".join(steps)]
    elif isinstance(failure, MissingFamilyFailure):
        by = ", ".join(failure.required_by)
        lines = [f"package family not found: {failure.name}, was required by: {by}"]
    return "Resolve failed: " + "\n".join(lines) + f"\n{failure.summary()}"


def why_graph(phase: Phase, failure: FailureReason | None) -> WhyGraph:
    """The why-graph of a phase: request edges, requirement edges, and the failure.

    Built when first used, from what is taken from the phase now (phases are not
    kept alive by their results).
    """
    requests = tuple(phase.ctx.requests)
    solved = phase.status == "solved"
    scopes = [(s.name, s.solved_variant if solved else None) for s in phase.scopes]
    extractions = None if solved else phase.extractions

    def build() -> tuple[tuple[str, ...], tuple[WhyEdge, ...]]:
        edges: list[WhyEdge] = []
        nodes: dict[str, None] = {"": None}
        for request in requests:
            edges.append(WhyEdge("", request.name, str(request), "request"))
            nodes[request.name] = None
        for name, variant in scopes:
            nodes[name] = None
            if variant is not None:
                edges.extend(WhyEdge(name, r.name, str(r)) for r in variant.reqs if not r.conflict)
        if extractions is not None:
            for (source, fam), request in extractions.items():
                edges.append(WhyEdge(source, fam, str(request)))
        edges.extend(_failure_edges(failure))
        for edge in edges:
            nodes[edge.target] = None
        return tuple(nodes), tuple(dict.fromkeys(edges))

    return WhyGraph.deferred(build)


def _failure_edges(failure: FailureReason | None) -> list[WhyEdge]:
    edges: list[WhyEdge] = []
    if isinstance(failure, ConflictFailure):
        for clash in failure.conflicts:
            edges.append(
                WhyEdge(clash.dependency.name, clash.conflicting.name, str(clash), "conflict")
            )
    elif isinstance(failure, ReductionFailure):
        for red in failure.reductions:
            edges.append(WhyEdge(red.name, red.conflicting.name, str(red), "conflict"))
    elif isinstance(failure, CycleFailure):
        names = [n for n, _ in failure.packages]
        for a, b in zip(names, names[1:] + names[:1], strict=True):
            edges.append(WhyEdge(a, b, "", "cycle"))
    return edges
