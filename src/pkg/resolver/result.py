"""The immutable outcome of a solve: status, resolved variants, why-graph and failures.

Failure reasons are small frozen values.  ``summary()`` gives Rez's one-line wording (so
a ``.rxt`` written by pkg carries the text Rez would write); the solver builds the longer
:attr:`SolveResult.failure_description` from them with the chain of requirements that
led to the clash (see :mod:`pkg.resolver._describe`).
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Literal

from pkg._record import record

if TYPE_CHECKING:
    from collections.abc import Callable

    from pkg.core import Requirement, Version
    from pkg.resolver.dot import PhaseView

__all__ = [
    "ConflictFailure",
    "CycleFailure",
    "DependencyConflict",
    "FailureReason",
    "MissingFamilyFailure",
    "Reduction",
    "ReductionFailure",
    "ResolvedVariant",
    "SolveResult",
    "SolveStatus",
    "WhyEdge",
    "WhyGraph",
]

#: ``cyclic`` is a failure caused by a dependency cycle in the first solution found;
#: ``aborted`` means the time limit was hit before the solve ended.
SolveStatus = Literal["solved", "failed", "cyclic", "aborted"]


def _package_str(name: str, version: Version) -> str:
    text = str(version)
    return f"{name}-{text}" if text else name


def _variant_str(name: str, version: Version, index: int | None) -> str:
    return f"{_package_str(name, version)}[{'' if index is None else index}]"


@record(frozen=True)
class ResolvedVariant:
    """One resolved package: ``python-2.7.0[]`` or ``pyvariants-2[0]``.

    ``requires`` (the variant's requirements, not compared) may be given as text
    (:meth:`unparsed`): they are then parsed when first read.  A cached resolve rebuilds its
    variants that way, since most of its readers (``pkg env``, ``.rxt`` files) never look.
    """

    __slots__ = ("_requires", "index", "name", "version")

    name: str
    version: Version
    index: int | None
    if TYPE_CHECKING:  # a slot, not a field
        _requires: tuple[Requirement, ...] | str

    # Written out (as the generated one would be): thousands are made per resolve, and
    # record's generic __init__ is slower; a generated one costs import time.
    def __init__(
        self,
        name: str,
        version: Version,
        index: int | None,
        requires: tuple[Requirement, ...] = (),
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "_requires", requires)

    @classmethod
    def unparsed(
        cls, name: str, version: Version, index: int | None, requires: str
    ) -> ResolvedVariant:
        """The variant whose requirements are the lines of ``requires``, parsed when
        first read (a line that does not parse raises then)."""
        variant = cls(name, version, index)
        if requires:
            object.__setattr__(variant, "_requires", requires)
        return variant

    @property
    def requires(self) -> tuple[Requirement, ...]:
        value: tuple[Requirement, ...] | str = self._requires
        if type(value) is str:
            from pkg.core import parse_requirement

            value = tuple(parse_requirement(line) for line in value.split("\n"))
            object.__setattr__(self, "_requires", value)
        return value  # type: ignore[return-value]

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.name, self.version, self.index, self.requires))

    def __str__(self) -> str:
        return _variant_str(self.name, self.version, self.index)


@record(frozen=True, slots=True)
class Reduction:
    """A variant removed because one of its requirements clashes with another scope."""

    name: str
    version: Version
    index: int | None
    dependency: Requirement
    conflicting: Requirement

    def __init__(  # written out: see ResolvedVariant
        self,
        name: str,
        version: Version,
        index: int | None,
        dependency: Requirement,
        conflicting: Requirement,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "dependency", dependency)
        object.__setattr__(self, "conflicting", conflicting)

    def __str__(self) -> str:
        variant = _variant_str(self.name, self.version, self.index)
        return f"{variant} (dep({self.dependency}) <--!--> {self.conflicting})"


@record(frozen=True, slots=True)
class DependencyConflict:
    """Two requirements for one package that cannot both hold."""

    dependency: Requirement
    conflicting: Requirement

    def __str__(self) -> str:
        return f"{self.dependency} <--!--> {self.conflicting}"


@record(frozen=True, slots=True)
class ConflictFailure:
    """Merged requirements clashed (in the request, or between extracted dependencies)."""

    conflicts: tuple[DependencyConflict, ...]

    def summary(self) -> str:
        body = " ".join(f"({c})" for c in self.conflicts)
        return f"The following package conflicts occurred: {body}"


@record(frozen=True, slots=True)
class ReductionFailure:
    """Every variant of a package was removed by reductions."""

    reductions: tuple[Reduction, ...]

    def summary(self) -> str:
        body = " ".join(f"({r})" for r in self.reductions)
        return f"A package was completely reduced: {body}"


@record(frozen=True, slots=True)
class CycleFailure:
    """The solution found has a dependency cycle (``packages`` in cycle order)."""

    packages: tuple[tuple[str, Version], ...]

    def summary(self) -> str:
        names = [_package_str(n, v) for n, v in (*self.packages, self.packages[0])]
        return "A cyclic dependency was detected: " + " --> ".join(names)


@record(frozen=True, slots=True)
class MissingFamilyFailure:
    """A dependency names a package family the provider does not know."""

    name: str
    required_by: tuple[str, ...]

    def summary(self) -> str:
        return "Solver failed with unknown reason."


FailureReason = ConflictFailure | ReductionFailure | CycleFailure | MissingFamilyFailure


@record(frozen=True, slots=True)
class WhyEdge:
    """``source`` pulled in ``target`` through ``requirement`` (source ``""``: the request)."""

    source: str
    target: str
    requirement: str
    kind: Literal["request", "requires", "conflict", "cycle"] = "requires"

    def __init__(  # written out: see ResolvedVariant
        self,
        source: str,
        target: str,
        requirement: str,
        kind: Literal["request", "requires", "conflict", "cycle"] = "requires",
    ) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "requirement", requirement)
        object.__setattr__(self, "kind", kind)


class WhyGraph:
    """Why each package is in the resolve (or which requirements clashed).

    Nodes are package names (the request itself is the node ``""``); an edge says which
    requirement of its source brought its target in.  Immutable; a graph made with
    :meth:`deferred` is built on first use (most solves never look at theirs).
    """

    __slots__ = ("_build", "_edges", "_nodes")

    def __init__(self, nodes: tuple[str, ...] = (), edges: tuple[WhyEdge, ...] = ()) -> None:
        self._nodes = nodes
        self._edges = edges
        self._build: Callable[[], tuple[tuple[str, ...], tuple[WhyEdge, ...]]] | None = None

    @classmethod
    def deferred(cls, build: Callable[[], tuple[tuple[str, ...], tuple[WhyEdge, ...]]]) -> WhyGraph:
        """A graph whose ``(nodes, edges)`` ``build`` returns when first asked for."""
        graph = cls()
        graph._build = build
        return graph

    def _built(self) -> None:
        build = self._build
        if build is not None:
            self._nodes, self._edges = build()
            self._build = None

    @property
    def nodes(self) -> tuple[str, ...]:
        self._built()
        return self._nodes

    @property
    def edges(self) -> tuple[WhyEdge, ...]:
        self._built()
        return self._edges

    def why(self, name: str) -> tuple[WhyEdge, ...]:
        """The edges that pulled ``name`` in."""
        return tuple(e for e in self.edges if e.target == name and e.kind != "conflict")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WhyGraph):
            return NotImplemented
        return self.nodes == other.nodes and self.edges == other.edges

    def __hash__(self) -> int:
        return hash((self.nodes, self.edges))

    def __repr__(self) -> str:
        return f"WhyGraph(nodes={self.nodes!r}, edges={self.edges!r})"


@record(frozen=True, slots=True)
class SolveResult:
    """The outcome of :func:`pkg.resolver.solve`.

    Attributes:
        status: see :data:`SolveStatus`.
        resolved: the resolved variants in Rez's resolve order (dependencies before
            dependents, otherwise request order); empty unless solved.
        ephemerals: the resolved ephemeral ranges (``.eek-1``), in resolve order.
        failure: the reason of the failure reported (Rez reports the *first* failed
            phase, or the cycle), or None.
        failure_description: a readable paragraph about that failure, or ``""``.
        num_solves: phases solved (failures included).
        num_fails: phases that failed.
        graph: the why-graph of the final (or reported failed) phase.
        view: the reported failed (or aborted) phase as Rez's resolve graph shows it
            (:mod:`pkg.resolver.dot`); None when solved.
    """

    status: SolveStatus
    resolved: tuple[ResolvedVariant, ...] = ()
    ephemerals: tuple[Requirement, ...] = ()
    failure: FailureReason | None = None
    failure_description: str = ""
    num_solves: int = 0
    num_fails: int = 0
    graph: WhyGraph = field(default_factory=WhyGraph)
    view: PhaseView | None = None

    @property
    def ok(self) -> bool:
        """True when solved."""
        return self.status == "solved"

    def resolved_strs(self) -> list[str]:
        """``str()`` of each resolved variant, then each ephemeral (test helper)."""
        return [str(v) for v in self.resolved] + [str(e) for e in self.ephemerals]
