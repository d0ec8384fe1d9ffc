"""A phase: one full copy of the solve state, run until it cannot progress without a guess.

:meth:`Phase.solve` repeats two loops until neither changes anything:

1. *extract*: take every dependency that all candidates of a scope share, merge those
   requests, narrow the matching scopes to them (*intersect*) and add scopes for new
   families;
2. *reduce*: drop every variant whose requirement clashes with another scope's request,
   pair by pair, until no pair changes (a changed scope is re-checked against all).

The phase ends *solved* (one variant per family, nothing left to extract), *exhausted*
(a guess is needed: :meth:`Phase.split`) or *failed* (with a reason).  A solved phase is
then :meth:`finalised <Phase.finalise>`: cycles are detected and the packages are put in
resolve order.
"""

from __future__ import annotations

from itertools import product
from typing import TYPE_CHECKING, Literal

from pkg.core import RequirementList
from pkg.resolver._context import PackageFamilyNotFoundError
from pkg.resolver._graph import dependency_order, find_cycle
from pkg.resolver._scope import Scope
from pkg.resolver.result import (
    ConflictFailure,
    CycleFailure,
    DependencyConflict,
    MissingFamilyFailure,
    ReductionFailure,
)

if TYPE_CHECKING:
    from pkg.core import Requirement
    from pkg.resolver._context import SolveContext
    from pkg.resolver.result import FailureReason

__all__ = ["Phase", "PhaseStatus"]

PhaseStatus = Literal["pending", "solved", "exhausted", "failed", "cyclic"]


class Phase:
    """See the module docstring.  Phases are not changed once solved."""

    __slots__ = ("changed", "ctx", "extractions", "failure", "scopes", "status")

    def __init__(
        self,
        ctx: SolveContext,
        scopes: list[Scope],
        *,
        status: PhaseStatus = "pending",
        changed: frozenset[int] | None = None,
        failure: FailureReason | None = None,
        extractions: dict[tuple[str, str], Requirement] | None = None,
    ) -> None:
        self.ctx = ctx
        self.scopes = scopes
        self.status: PhaseStatus = status
        #: scopes to reduce the others against first (all of them in a new phase)
        self.changed = frozenset(range(len(scopes))) if changed is None else changed
        self.failure = failure
        #: (family, dependency family) -> the request extracted, over all past phases
        self.extractions = extractions if extractions is not None else {}

    @classmethod
    def initial(cls, ctx: SolveContext) -> Phase:
        return cls(ctx, [Scope.create(r, ctx) for r in ctx.requests])

    def _end(
        self,
        scopes: list[Scope],
        extractions: dict[tuple[str, str], Requirement],
        failure: FailureReason | None = None,
    ) -> Phase:
        if failure is not None:
            status: PhaseStatus = "failed"
        else:
            status = "solved" if all(s.solved for s in scopes) else "exhausted"
        return Phase(
            self.ctx,
            scopes,
            status=status,
            changed=frozenset(),
            failure=failure,
            extractions=extractions,
        )

    def solve(self, fail_on_missing: bool) -> Phase:
        """Run the extract and reduce loops (see the module docstring)."""
        ctx = self.ctx
        scopes = list(self.scopes)
        extractions = dict(self.extractions)
        changed = set(self.changed)
        while True:
            before = len(scopes)
            widened: set[int] = set()
            while True:
                extracted = self._extract_all(scopes, extractions)
                if not extracted:
                    break
                merged = RequirementList(extracted)
                if merged.conflict is not None:
                    clash = DependencyConflict(*merged.conflict)
                    return self._end(scopes, extractions, ConflictFailure((clash,)))
                seen: set[str] = set()
                for i, scope in enumerate(scopes):
                    request = merged.get(scope.name)
                    if request is None:
                        continue
                    seen.add(request.name)
                    new = scope.intersect(request.range, ctx)
                    if new is None:
                        clash = DependencyConflict(request, scope.request)
                        return self._end(scopes, extractions, ConflictFailure((clash,)))
                    if new is not scope:
                        scopes[i] = new
                        changed.add(i)
                        if scope.is_conflict and not new.is_conflict:
                            # A conflict turned into a package scope: it widened, so it
                            # must be checked against everything again.
                            widened.add(i)
                for request in merged:
                    if request.name in seen:
                        continue
                    try:
                        scopes.append(Scope.create(request, ctx))
                    except PackageFamilyNotFoundError as err:
                        by = tuple(k[0] for k, r in extractions.items() if r.name == request.name)
                        if not by:
                            raise
                        if fail_on_missing:
                            raise PackageFamilyNotFoundError(request.name, by) from None
                        return self._end(scopes, extractions, MissingFamilyFailure(err.name, by))
            count = len(scopes)
            if count == before and not changed and not widened:
                break
            failure = self._reduce(scopes, before, changed, widened)
            if failure is not None:
                return self._end(scopes, extractions, failure)
            changed = set()
        return self._end(scopes, extractions)

    @staticmethod
    def _extract_all(
        scopes: list[Scope], extractions: dict[tuple[str, str], Requirement]
    ) -> list[Requirement]:
        """Extract every shared dependency of every scope, in scope order."""
        extracted: list[Requirement] = []
        for i in range(len(scopes)):
            while True:
                scope, request = scopes[i].extract()
                if request is None:
                    break
                extracted.append(request)
                extractions[(scope.name, request.name)] = request
                scopes[i] = scope
        return extracted

    @staticmethod
    def _reduce(
        scopes: list[Scope], before: int, changed: set[int], widened: set[int]
    ) -> ReductionFailure | None:
        """Reduce scopes against each other until nothing changes (in Rez's order)."""
        count = len(scopes)
        every = range(count)
        old, added = range(before), range(before, count)
        pending = sorted(
            {
                *product(old, changed),
                *product(old, added),
                *product(added, every),
                *product(widened, every),
            }
        )
        while pending:
            x, y = pending.pop()
            if x == y:
                continue
            new, reductions = scopes[x].reduce_by(scopes[y].request)
            if new is None:
                return ReductionFailure(tuple(reductions))
            if new is not scopes[x]:
                scopes[x] = new
                pending.extend((j, x) for j in every if j != x)
        return None

    def split(self) -> tuple[Phase, Phase]:
        """Split the first scope that can be split: (phase with the preferred part,
        phase with the rest).  Only for an exhausted phase."""
        assert self.status == "exhausted"
        first: list[Scope] = []
        rest: list[Scope] = []
        split_at = -1
        for i, scope in enumerate(self.scopes):
            parts = scope.split() if split_at < 0 else None
            if parts is not None:
                first.append(parts[0])
                rest.append(parts[1])
                split_at = i
            else:
                first.append(scope)
                rest.append(scope)
        assert split_at >= 0
        changed = frozenset({split_at})
        return (
            Phase(self.ctx, first, changed=changed, extractions=self.extractions),
            Phase(self.ctx, rest, changed=changed, extractions=self.extractions),
        )

    def dependency_edges(self) -> dict[str, list[str]]:
        """Family -> the families its solved variant requires (conflicts excluded)."""
        graph: dict[str, list[str]] = {}
        for scope in self.scopes:
            if scope.is_conflict:
                continue
            deps = graph.setdefault(scope.name, [])
            variant = scope.solved_variant
            if variant is not None:
                deps.extend(r.name for r in variant.reqs if not r.conflict)
        return graph

    def finalise(self) -> Phase:
        """Check a solved phase for cycles and put its scopes in resolve order."""
        assert self.status == "solved"
        graph = self.dependency_edges()
        by_name = {s.name: s for s in self.scopes if not s.is_conflict}
        cycle = find_cycle(graph)
        if cycle:
            packages = []
            for name in cycle:
                variant = by_name[name].solved_variant
                assert variant is not None
                packages.append((name, variant.version))
            return Phase(
                self.ctx,
                list(by_name.values()),
                status="cyclic",
                changed=frozenset(),
                failure=CycleFailure(tuple(packages)),
                extractions=self.extractions,
            )
        order = dependency_order(graph, [r.name for r in self.ctx.requests])
        return Phase(
            self.ctx,
            [by_name[n] for n in order],
            status="solved",
            changed=frozenset(),
            extractions=self.extractions,
        )

    def __str__(self) -> str:
        return " ".join(map(str, self.scopes))
