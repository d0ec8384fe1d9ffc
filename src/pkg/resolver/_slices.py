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

from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, TypeVar

from pkg.core import Bound, RequirementList, VersionRange
from pkg.errors import ResolveError

if TYPE_CHECKING:
    from collections.abc import Callable

    from pkg.core import Requirement, Version
    from pkg.resolver._context import SolveContext
    from pkg.resolver.result import Reduction

__all__ = ["Entry", "Slice", "Variant"]

_by_name = attrgetter("by_name")
_clashing = attrgetter("clashing")
_names = attrgetter("names")
_fams = attrgetter("fams")
_ranges = attrgetter("ranges")
_entry_variants = attrgetter("variants")
_entry_bound = attrgetter("bound")
_reqs_for = attrgetter("_reqs_for")
_unions = attrgetter("_unions")
_T = TypeVar("_T")


class Variant:
    """One variant of one package version, with its requirements merged per family.

    Variants are shared by every solve over the same :class:`PackageData` (see
    :meth:`PackageData.solver_variants`); what depends on a solve lives in its context.

    A variant whose requirements clash only raises if the solve ever looks at it (as in
    Rez): :attr:`reqs` raises, and so does :meth:`Slice._fam_info` for a slice holding
    it.  ``by_name`` (family -> merged request), ``names``, ``fams`` and ``ranges`` are
    for loops over slices whose families are known.
    """

    __slots__ = (
        "_reqs",
        "by_name",
        "clashing",
        "fams",
        "index",
        "name",
        "names",
        "range_keys",
        "ranges",
        "version",
    )

    def __init__(
        self, name: str, version: Version, index: int | None, reqs: RequirementList
    ) -> None:
        self.name = name
        self.version = version
        self.index = index
        self._reqs = reqs
        self.by_name = reqs.by_name
        #: True if two of the requirements clash (:attr:`reqs` raises)
        self.clashing = reqs.conflict is not None
        #: the families required (not as conflicts)
        self.names = frozenset(reqs.names)
        #: the families required or conflicted with
        self.fams = self.names | reqs.conflict_names
        #: family -> (id of the requested range, the range), for the requirements
        #: that are not conflicts: what :meth:`Slice.extract` gathers
        self.ranges = {
            fam: (id(req.range), req.range) for fam, req in self.by_name.items() if not req.conflict
        }
        #: (provider, [(family, conflict, sort key of the range)] per requirement): what
        #: :meth:`SolveContext.variant_key` needs, the same in every solve with that
        #: provider
        self.range_keys: tuple[object, list[tuple[str, bool, tuple[object, ...]]]] | None = None

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

    __slots__ = ("bound", "sorted", "variants", "version")

    def __init__(self, version: Version, variants: list[Variant], is_sorted: bool = False) -> None:
        self.version = version
        self.variants = variants
        self.sorted = is_sorted
        #: ``==version``, for building the exact range of a slice
        self.bound = Bound.exact(version)

    def sort(self, ctx: SolveContext) -> None:
        if not self.sorted:
            self.variants.sort(key=lambda v: v.sort_key(ctx), reverse=True)
            self.sorted = True

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
        "_flat",
        "_len",
        "_parent",
        "_range",
        "_registered",
        "_reqs_for",
        "_unions",
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
        self._flat: list[Variant] | None = None
        self._registered = False
        # family -> the distinct requirements of the variants for it (by identity)
        self._reqs_for: dict[str, list[Requirement]] = {}
        # family -> (number of distinct ranges, the request extracted for it)
        self._unions: dict[str, tuple[int, Requirement]] = {}
        # the slice this one was narrowed from (a superset of its variants), whose
        # facts above hold for a superset
        self._parent: Slice | None = None

    # -- derived facts (computed once) --------------------------------------------
    @property
    def range(self) -> VersionRange:
        """The exact versions left (``==1|==2``)."""
        if self._range is None:
            self._range = VersionRange.from_exact_bounds(map(_entry_bound, self.entries))
        return self._range

    def __len__(self) -> int:
        if self._len < 0:
            self._len = len(self._variants())
        return self._len

    def variants(self) -> list[Variant]:
        return list(self._variants())

    def _variants(self) -> list[Variant]:
        """Every variant, in no particular order (shared: do not change)."""
        flat = self._flat
        if flat is None:
            entries = self.entries
            if len(entries) == 1:
                flat = entries[0].variants
            else:
                flat = list(chain.from_iterable(map(_entry_variants, entries)))
            self._flat = flat
        return flat

    @property
    def first_variant(self) -> Variant:
        """The preferred variant of the preferred version."""
        entry = self.entries[0]
        entry.sort(self.ctx)
        return entry.variants[0]

    def _fam_info(self) -> set[str]:
        if self._common is None:
            flat = self._variants()
            if any(map(_clashing, flat)):
                for variant in flat:
                    variant.reqs  # noqa: B018  (raises ResolveError)
            common = set(flat[0].names).intersection(*map(_names, flat))
            fams = set().union(*map(_fams, flat))
            self._common, self._fams = common, fams
            if not self._registered:  # (a narrowed slice's families are its parent's)
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
        new._registered = self._common is not None
        new._parent = self
        new.reduced_by = self.reduced_by.copy()
        new.intersected_with = self.intersected_with.copy()
        return new

    def _with_extracted(self, fams: set[str]) -> Slice:
        new = Slice(self.ctx, self.name, self.entries)
        new.extracted = self.extracted.union(fams)
        new.reduced_by = self.reduced_by
        new.intersected_with = self.intersected_with
        new._len, new._range = self._len, self._range
        new._common, new._fams = self._common, self._fams
        new._flat = self._flat
        new._registered = self._registered
        new._reqs_for, new._unions = self._reqs_for, self._unions
        new._parent = self._parent
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
        # Most requests remove nothing: check each distinct requirement first.  Those
        # of the slice this one was narrowed from will do (a superset) until one clashes.
        distinct = self._reqs_for.get(name)
        if distinct is None:
            inherited = self._superset_reqs(name)
            if inherited is not None and not self._clash(inherited, request):
                self.reduced_by.add(request)
                return self, []
            distinct = self._distinct_reqs(name)
        if self._clash(distinct, request):
            return self._reduce(request)
        self.reduced_by.add(request)
        return self, []

    def _superset_reqs(self, name: str) -> list[Requirement] | None:
        """The distinct requirements for ``name`` of the nearest slice this one was
        narrowed from that knows them (a superset), or None."""
        return self._from_ancestors(_reqs_for, name)

    def _superset_union(self, name: str) -> tuple[int, Requirement] | None:
        """Like :meth:`_superset_reqs`, for the extracted requests."""
        return self._from_ancestors(_unions, name)

    def _from_ancestors(self, table: Callable[[Slice], dict[str, _T]], name: str) -> _T | None:
        parent = self._parent
        while parent is not None:
            found = table(parent).get(name)
            if found is not None:
                return found
            parent = parent._parent
        return None

    def _distinct_reqs(self, name: str) -> list[Requirement]:
        reqs = list(map(dict.get, map(_by_name, self._variants()), repeat(name)))
        found = [r for r in dict(zip(map(id, reqs), reqs, strict=True)).values() if r is not None]
        self._reqs_for[name] = found
        return found

    def _clash(self, reqs: list[Requirement], request: Requirement) -> bool:
        clashes = self.ctx.clashes
        for req in reqs:
            key = (id(req), request)
            hit = clashes.get(key)
            if hit is None:
                hit = clashes[key] = req.conflicts_with(request)
            if hit:
                return True
        return False

    def _reduce(self, request: Requirement) -> tuple[Slice | None, list[Reduction]]:
        from pkg.resolver.result import Reduction

        # id(requirement) -> whether it clashes with the request
        clash: dict[int, bool] = {}
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

    def extract(self) -> tuple[Slice, list[Requirement]]:
        """Take out every family all variants require, each as one request, by name.

        A request's range is the union of what the variants ask for.  Conflict
        requirements are never extracted; reductions deal with them.  Returns the slice
        with those families marked extracted (self if there were none).
        """
        remaining = self._fam_info() - self.extracted
        if not remaining:
            return self, []
        requests: list[Requirement] = []
        unions = self._unions
        rows: list[dict[str, tuple[int, VersionRange]]] | None = None
        for fam in sorted(remaining):
            found = unions.get(fam)
            if found is None:
                found = self._superset_union(fam)
                # One range over a superset of these variants is the range of all of them.
                if found is None or found[0] != 1:
                    if rows is None:
                        rows = list(map(_ranges, self._variants()))
                    # id(range) -> range, over every variant (each requires ``fam``)
                    distinct = dict(map(itemgetter(fam), rows))
                    found = (len(distinct), self.ctx.union_requirement(fam, distinct))
                unions[fam] = found
            requests.append(found[1])
        return self._with_extracted(remaining), requests

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
