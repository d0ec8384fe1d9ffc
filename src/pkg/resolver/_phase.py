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

from operator import attrgetter
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

_multi = attrgetter("multi")


class Phase:
    """See the module docstring.  Phases are not changed once solved."""

    __slots__ = ("changed", "ctx", "extractions", "failure", "index", "scopes", "status")

    def __init__(
        self,
        ctx: SolveContext,
        scopes: list[Scope],
        *,
        status: PhaseStatus = "pending",
        changed: frozenset[int] | None = None,
        failure: FailureReason | None = None,
        extractions: dict[tuple[str, str], Requirement] | None = None,
        index: dict[str, int] | None = None,
    ) -> None:
        self.ctx = ctx
        self.scopes = scopes
        #: family -> position of its scope (shared between phases; never changed)
        self.index = index if index is not None else {s.name: i for i, s in enumerate(scopes)}
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
        index: dict[str, int],
        failure: FailureReason | None = None,
    ) -> Phase:
        if failure is not None:
            status: PhaseStatus = "failed"
        else:
            # Every scope has been extracted to the end, so a scope is solved unless
            # it still has more than one variant.
            status = "exhausted" if any(map(_multi, scopes)) else "solved"
        return Phase(
            self.ctx,
            scopes,
            status=status,
            changed=frozenset(),
            failure=failure,
            extractions=extractions,
            index=index,
        )

    def solve(self, fail_on_missing: bool) -> Phase:
        """Run the extract and reduce loops (see the module docstring)."""
        ctx = self.ctx
        scopes = list(self.scopes)
        index = self.index
        # copied on the first new extraction (most steps extract nothing new)
        extractions = self.extractions
        changed = set(self.changed)
        # Scopes that may have a dependency left to extract: those new or changed since
        # their last extraction (every other scope was extracted to the end already).
        dirty = set(changed)
        while True:
            before = len(scopes)
            widened: set[int] = set()
            while dirty:
                extracted = self._extract_all(scopes, sorted(dirty))
                dirty.clear()
                if not extracted:
                    break
                if extractions is self.extractions:
                    extractions = dict(extractions)
                for name, req in extracted:
                    extractions[(name, req.name)] = req
                merged = RequirementList([req for _, req in extracted])
                if merged.conflict is not None:
                    clash = DependencyConflict(*merged.conflict)
                    return self._end(scopes, extractions, index, ConflictFailure((clash,)))
                hits = sorted(map(index.__getitem__, index.keys() & merged.by_name.keys()))
                for i in hits:
                    scope = scopes[i]
                    request = merged.get(scope.name)
                    assert request is not None
                    new = scope.intersect(request.range, ctx)
                    if new is None:
                        clash = DependencyConflict(request, scope.request)
                        return self._end(scopes, extractions, index, ConflictFailure((clash,)))
                    if new is not scope:
                        scopes[i] = new
                        changed.add(i)
                        dirty.add(i)
                        if scope.is_conflict and not new.is_conflict:
                            # A conflict turned into a package scope: it widened, so it
                            # must be checked against everything again.
                            widened.add(i)
                for request in merged:
                    if request.name in index:
                        continue
                    created = self._create(request, extractions, fail_on_missing)
                    if isinstance(created, MissingFamilyFailure):
                        return self._end(scopes, extractions, index, created)
                    if index is self.index:
                        index = dict(index)
                    index[request.name] = len(scopes)
                    dirty.add(len(scopes))
                    scopes.append(created)
            count = len(scopes)
            if count == before and not changed and not widened:
                break
            reduced = self._reduce(scopes, index, before, changed, widened)
            if isinstance(reduced, ReductionFailure):
                return self._end(scopes, extractions, index, reduced)
            dirty = reduced
            changed = set()
        return self._end(scopes, extractions, index)

    def _create(
        self,
        request: Requirement,
        extractions: dict[tuple[str, str], Requirement],
        fail_on_missing: bool,
    ) -> Scope | MissingFamilyFailure:
        """A new scope for an extracted ``request`` (or why there can be none)."""
        try:
            return Scope.create(request, self.ctx)
        except PackageFamilyNotFoundError as err:
            by = tuple(k[0] for k, r in extractions.items() if r.name == request.name)
            if not by:
                raise
            if fail_on_missing:
                raise PackageFamilyNotFoundError(request.name, by) from None
            return MissingFamilyFailure(err.name, by)

    @staticmethod
    def _extract_all(scopes: list[Scope], indices: list[int]) -> list[tuple[str, Requirement]]:
        """Extract every shared dependency of the scopes at ``indices`` (ascending):
        (family of the scope, request) pairs, in order."""
        extracted: list[tuple[str, Requirement]] = []
        for i in indices:
            scope, requests = scopes[i].extract()
            if requests:
                name = scope.name
                extracted.extend((name, request) for request in requests)
                scopes[i] = scope
        return extracted

    def _reduce(
        self,
        scopes: list[Scope],
        index: dict[str, int],
        before: int,
        changed: set[int],
        widened: set[int],
    ) -> ReductionFailure | set[int]:
        """Reduce scopes against each other until nothing changes (in Rez's order).

        Returns the failure, or the positions of the scopes that were reduced.

        Rez checks every pair (x, y): each old scope against each changed or new one,
        each new or widened scope against all, sorted and taken from the end, and (x
        shrank) every (other, x) again.  A pair can only reduce x if some variant of x
        requires y's family, so only those pairs are queued, in Rez's order; the
        others would do nothing.  :attr:`SolveContext.required_by` finds them (it may
        name more families than a scope still requires, which costs a no-op only).
        """
        required_by = self.ctx.required_by
        dependents: dict[int, list[int]] = {}

        def sources(y: int) -> list[int]:
            """The positions of the scopes that may require scope y's family, ascending."""
            found = dependents.get(y)
            if found is None:
                names = required_by.get(scopes[y].name)
                if not names:
                    found = []
                elif len(names) > len(scopes):  # (a family most packages require)
                    found = [i for i, s in enumerate(scopes) if s.name in names and i != y]
                else:
                    found = sorted(index[n] for n in index.keys() & names)
                    if y in found:
                        found.remove(y)
                dependents[y] = found
            return found

        pairs: set[tuple[int, int]] = set()
        for y in changed.union(range(before, len(scopes))):
            pairs.update((x, y) for x in sources(y) if x < before)
        for x in widened.union(range(before, len(scopes))):
            fams = scopes[x].reducible_families
            pairs.update((x, index[n]) for n in index.keys() & fams if index[n] != x)
        pending = sorted(pairs)
        reduced: set[int] = set()
        while pending:
            x, y = pending.pop()
            scope, request = scopes[x], scopes[y].request
            slice_ = scope.slice
            # The common case, decided without a call: nothing of x can clash with y.
            if slice_ is None or request in slice_.reduced_by or scope.request.conflict:
                continue
            new, reductions = scope.reduce_by(request)
            if new is None:
                return ReductionFailure(tuple(reductions))
            if new is not scopes[x]:
                scopes[x] = new
                reduced.add(x)
                pending.extend((j, x) for j in sources(x))
        return reduced

    def split(self) -> tuple[Phase, Phase]:
        """Split the first scope that can be split: (phase with the preferred part,
        phase with the rest).  Only for an exhausted phase."""
        assert self.status == "exhausted"
        split_at = list(map(_multi, self.scopes)).index(True)
        parts = self.scopes[split_at].split()
        assert parts is not None
        first = list(self.scopes)
        rest = list(self.scopes)
        first[split_at], rest[split_at] = parts
        changed = frozenset({split_at})
        return (
            Phase(self.ctx, first, changed=changed, extractions=self.extractions, index=self.index),
            Phase(self.ctx, rest, changed=changed, extractions=self.extractions, index=self.index),
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
