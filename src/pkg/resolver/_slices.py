"""Candidate variants of one package family, and the operations a scope applies to them.

A :class:`Slice` is the set of variants still possible for a family, grouped by version
(:class:`Entry`), most preferred version first.  It can be narrowed by a version range
(:meth:`Slice.intersect`), pruned of variants whose requirements clash with a request
(:meth:`Slice.reduce_by`), asked for a dependency that all its variants share
(:meth:`Slice.extract`) and cut in two when nothing else makes progress
(:meth:`Slice.split`).  Slices are never changed once built, except for caches that do
not change what they mean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.core import RequirementList, VersionRange
from pkg.errors import ResolveError

if TYPE_CHECKING:
    from pkg.core import Requirement, Version
    from pkg.resolver._context import SolveContext
    from pkg.resolver.result import Reduction

__all__ = ["Entry", "Slice", "Variant"]


class Variant:
    """One variant of one package version, with its requirements merged per family.

    Variants are shared by every solve over the same :class:`PackageData` (see
    :meth:`PackageData.solver_variants`); what depends on a solve lives in its context.

    A variant whose requirements clash only raises if the solve ever looks at it (as in
    Rez): :attr:`reqs` raises.  ``by_name`` (family -> merged request) is for loops over
    slices whose families are known (:meth:`Slice._fam_info` has read every ``reqs``).
    """

    __slots__ = ("_reqs", "by_name", "index", "name", "version")

    def __init__(
        self, name: str, version: Version, index: int | None, reqs: RequirementList
    ) -> None:
        self.name = name
        self.version = version
        self.index = index
        self._reqs = reqs
        self.by_name = reqs.by_name

    @property
    def reqs(self) -> RequirementList:
        """The requirements, merged per family.

        Raises:
            ResolveError: two of them clash.
        """
        reqs = self._reqs
        if reqs.conflict is not None:
            raise ResolveError(f"The package {self} has an internal requirements conflict: {reqs}")
        return reqs

    def sort_key(self, ctx: SolveContext) -> tuple[object, ...]:
        """Rez's variant preference key (larger is preferred); see docs/resolver.md."""
        key = ctx.sort_keys.get(self)
        if key is None:
            key = ctx.sort_keys[self] = ctx.variant_key(self)
        return key

    def __str__(self) -> str:
        text = str(self.version)
        stem = f"{self.name}-{text}" if text else self.name
        return f"{stem}[{'' if self.index is None else self.index}]"


class Entry:
    """The remaining variants of one version.

    ``variants`` may be shared with the solve's cache and with other entries: sorting it
    in place is harmless because the order it gets is a pure function of the solve.
    """

    __slots__ = ("_by_fam", "_common", "_fams", "sorted", "variants", "version")

    def __init__(self, version: Version, variants: list[Variant], is_sorted: bool = False) -> None:
        self.version = version
        self.variants = variants
        self.sorted = is_sorted
        self._common: set[str] | None = None
        self._fams: set[str] = set()
        self._by_fam: dict[str, tuple[Requirement, ...]] | None = None

    def reqs_for(self, fam: str) -> tuple[Requirement, ...]:
        """The distinct requests (by identity) the variants make for ``fam``, in variant
        order.  Only for entries whose :meth:`fam_info` is known."""
        cache = self._by_fam
        if cache is None:
            cache = self._by_fam = {}
        found = cache.get(fam)
        if found is None:
            variants = self.variants
            if len(variants) == 1:
                req = variants[0].by_name.get(fam)
                found = () if req is None else (req,)
            else:
                distinct: dict[int, Requirement] = {}
                for variant in variants:
                    req = variant.by_name.get(fam)
                    if req is not None:
                        distinct.setdefault(id(req), req)
                found = tuple(distinct.values())
            cache[fam] = found
        return found

    def fam_info(self) -> tuple[set[str], set[str]]:
        """(families every variant requires, families any variant requires or conflicts
        with).  Raises ResolveError as :attr:`Variant.reqs` does."""
        if self._common is None:
            variants = self.variants
            reqs = variants[0].reqs
            common = set(reqs.names)
            fams = reqs.names | reqs.conflict_names
            for variant in variants[1:]:
                reqs = variant.reqs
                common &= reqs.names
                fams |= reqs.names
                fams |= reqs.conflict_names
            self._common, self._fams = common, fams
        return self._common, self._fams

    def sort(self, ctx: SolveContext) -> None:
        if not self.sorted:
            self.variants.sort(key=lambda v: v.sort_key(ctx), reverse=True)
            self.sorted = True
            self._by_fam = None  # its order follows the variants' order

    def split(self, count: int, ctx: SolveContext) -> tuple[Entry, Entry] | None:
        if count >= len(self.variants):
            return None
        self.sort(ctx)
        return (
            Entry(self.version, self.variants[:count], True),
            Entry(self.version, self.variants[count:], True),
        )


class Slice:
    """The candidate variants of one family (see the module docstring)."""

    __slots__ = (
        "_common",
        "_fams",
        "_len",
        "_range",
        "ctx",
        "entries",
        "extracted",
        "intersected_with",
        "name",
        "reduced_by",
    )

    def __init__(self, ctx: SolveContext, name: str, entries: list[Entry]) -> None:
        self.ctx = ctx
        self.name = name
        self.entries = entries
        self.extracted: frozenset[str] = frozenset()
        self.reduced_by: set[Requirement] = set()
        self.intersected_with: set[VersionRange] = set()
        self._len = -1
        self._range: VersionRange | None = None
        self._common: set[str] | None = None
        self._fams: set[str] = set()

    # -- derived facts (computed once) --------------------------------------------
    @property
    def range(self) -> VersionRange:
        """The exact versions left (``==1|==2``)."""
        if self._range is None:
            self._range = VersionRange.from_versions(e.version for e in self.entries)
        return self._range

    def __len__(self) -> int:
        if self._len < 0:
            self._len = sum(len(e.variants) for e in self.entries)
        return self._len

    def variants(self) -> list[Variant]:
        return [v for e in self.entries for v in e.variants]

    @property
    def first_variant(self) -> Variant:
        """The preferred variant of the preferred version."""
        entry = self.entries[0]
        entry.sort(self.ctx)
        return entry.variants[0]

    def _fam_info(self) -> set[str]:
        if self._common is None:
            entries = self.entries
            first_common, first_fams = entries[0].fam_info()
            common = set(first_common)
            fams = set(first_fams)
            for entry in entries[1:]:
                entry_common, entry_fams = entry.fam_info()
                common &= entry_common
                fams |= entry_fams
            self._common, self._fams = common, fams
            required_by = self.ctx.required_by
            name = self.name
            for fam in fams:
                found = required_by.get(fam)
                if found is None:
                    required_by[fam] = {name}
                else:
                    found.add(name)
        return self._common

    @property
    def common_fams(self) -> set[str]:
        """Families every variant requires (not as conflicts)."""
        return self._fam_info()

    @property
    def fam_requires(self) -> set[str]:
        """Families any variant requires, conflicts included."""
        self._fam_info()
        return self._fams

    @property
    def extractable(self) -> bool:
        return not self.extracted.issuperset(self._fam_info())

    # -- copies -------------------------------------------------------------------
    def _narrowed(self, entries: list[Entry]) -> Slice:
        """A slice of fewer variants.  Extracted families must be extracted again."""
        new = Slice(self.ctx, self.name, entries)
        new.reduced_by = self.reduced_by.copy()
        new.intersected_with = self.intersected_with.copy()
        return new

    def _with_extracted(self, fam: str) -> Slice:
        new = Slice(self.ctx, self.name, self.entries)
        new.extracted = self.extracted | {fam}
        new.reduced_by = self.reduced_by
        new.intersected_with = self.intersected_with
        new._len, new._range = self._len, self._range
        new._common, new._fams = self._common, self._fams
        return new

    # -- operations ---------------------------------------------------------------
    def intersect(self, range_: VersionRange) -> Slice | None:
        """Keep the versions in ``range_``; None if none is left, self if all are."""
        if range_.is_any() or range_ in self.intersected_with:
            return self
        contains = range_.contains_version
        entries = [e for e in self.entries if contains(e.version)]
        if not entries:
            return None
        if len(entries) < len(self.entries):
            new = self._narrowed(entries)
            new.intersected_with.add(range_)
            return new
        self.intersected_with.add(range_)
        return self

    def reduce_by(self, request: Requirement) -> tuple[Slice | None, list[Reduction]]:
        """Drop the variants whose requirement for ``request.name`` clashes with it.

        Returns the new slice (None if nothing is left, self if nothing was dropped) and
        what was dropped.
        """
        name = request.name
        if request in self.reduced_by or name not in self.fam_requires:
            return self, []
        # id(requirement) -> whether it clashes with the request
        clash: dict[int, bool] = {}
        # Most requests remove nothing: check each distinct requirement first.
        for entry in self.entries:
            for req in entry.reqs_for(name):
                hit = clash.get(id(req))
                if hit is None:
                    hit = clash[id(req)] = req.conflicts_with(request)
                if hit:
                    return self._reduce(request, clash)
        self.reduced_by.add(request)
        return self, []

    def _reduce(
        self, request: Requirement, clash: dict[int, bool]
    ) -> tuple[Slice | None, list[Reduction]]:
        from pkg.resolver.result import Reduction

        name = request.name
        reductions: list[Reduction] = []
        entries: list[Entry] = []
        for entry in self.entries:
            kept: list[Variant] = []
            for variant in entry.variants:
                req = variant.by_name.get(name)
                if req is not None:
                    hit = clash.get(id(req))
                    if hit is None:
                        hit = clash[id(req)] = req.conflicts_with(request)
                    if hit:
                        reductions.append(
                            Reduction(variant.name, variant.version, variant.index, req, request)
                        )
                        continue
                kept.append(variant)
            if len(kept) == len(entry.variants):
                entries.append(entry)
            elif kept:
                entries.append(Entry(entry.version, kept))
        if not entries:
            return None, reductions
        if reductions:
            new = self._narrowed(entries)
            new.reduced_by.add(request)
            return new, reductions
        self.reduced_by.add(request)
        return self, []

    def extract(self) -> tuple[Slice, Requirement | None]:
        """Take out one family all variants require (the first by name), as one request.

        Its range is the union of what the variants ask for.  Conflict requirements are
        never extracted; reductions deal with them.
        """
        remaining = self._fam_info() - self.extracted
        if not remaining:
            return self, None
        fam = min(remaining)
        distinct: dict[int, VersionRange] = {}
        for entry in self.entries:
            for req in entry.reqs_for(fam):
                distinct.setdefault(id(req.range), req.range)
        ranges = list(distinct.values())
        union = ranges[0].union(*ranges[1:]) if len(ranges) > 1 else ranges[0]
        return self._with_extracted(fam), self.ctx.requirement(fam, union)

    def split(self) -> tuple[Slice, Slice]:
        """Cut into (preferred, rest) so that the preferred part shares a dependency.

        The cut falls after the longest run of preferred variants that still has a
        (not yet extracted) family in common; with two variants or fewer, or when the
        first variant requires nothing new, after the first variant.
        """
        ctx = self.ctx
        fams = self.first_variant.reqs.names - self.extracted if len(self) > 2 else None
        if not fams:
            self.entries[0].sort(ctx)
            return self._cut(0, 1)
        previous: tuple[int, int] | None = None
        for i, entry in enumerate(self.entries):
            entry.sort(ctx)
            for j, variant in enumerate(entry.variants):
                fams = fams & variant.reqs.names
                if not fams:
                    assert previous is not None
                    return self._cut(*previous)
                previous = (i, j + 1)
        raise ResolveError(f"internal solver error: {self.name} still has common families")

    def _cut(self, i_entry: int, count: int) -> tuple[Slice, Slice]:
        parts = self.entries[i_entry].split(count, self.ctx)
        if parts is None:
            first, rest = self.entries[: i_entry + 1], self.entries[i_entry + 1 :]
        else:
            first = [*self.entries[:i_entry], parts[0]]
            rest = [parts[1], *self.entries[i_entry + 1 :]]
        return self._narrowed(first), self._narrowed(rest)

    def __str__(self) -> str:
        if len(self) == 1:
            return f"[{self.first_variant}]"
        return f"{self.name}[{self.range}]"
