"""Per-solve state shared by every phase: the provider's answers, cached, and the
variant preference order.

Nothing here changes the meaning of a phase; it only remembers what the provider said
(so each version is asked for once) and what has been computed from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pkg.core import Requirement, RequirementList, VersionIndex
from pkg.errors import ResolveError
from pkg.resolver._slices import Entry, Slice

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.core import Version, VersionRange
    from pkg.resolver._slices import Variant
    from pkg.resolver.provider import Provider, VersionKey

__all__ = [
    "PackageFamilyNotFoundError",
    "PackageNotFoundError",
    "SolveContext",
    "VariantSelectMode",
]

#: How variants of one version are ranked (Rez's ``variant_select_mode``).
VariantSelectMode = Literal["version_priority", "intersection_priority"]


class PackageFamilyNotFoundError(ResolveError):
    """A request or dependency names a family the provider does not know.

    Attributes:
        name: the family.
        required_by: the packages whose variants all require it (empty for a request).
    """

    def __init__(self, name: str, required_by: tuple[str, ...] = ()) -> None:
        self.name = name
        self.required_by = required_by
        by = f", was required by: {', '.join(required_by)}" if required_by else ""
        super().__init__(f"package family not found: {name}{by}")


class PackageNotFoundError(ResolveError):
    """No version of a family is left in the range a request or dependency asks for."""

    def __init__(self, request: Requirement) -> None:
        self.request = request
        super().__init__(f"Package could not be found: {request}")


def _first(item: tuple[int, object]) -> int:
    return item[0]


class SolveContext:
    """What one solve knows: the request, the options and the provider's answers."""

    __slots__ = (
        "_entries",
        "_indexes",
        "_positions",
        "_range_keys",
        "_reqs",
        "_unions",
        "_versions",
        "building",
        "clashes",
        "mode",
        "provider",
        "requests",
        "required_by",
        "sort_keys",
    )

    def __init__(
        self,
        requests: RequirementList,
        provider: Provider,
        mode: VariantSelectMode,
        building: bool,
    ) -> None:
        self.requests = requests
        # family -> position in the request, for the requests that are not conflicts
        self._positions = {r.name: i for i, r in enumerate(requests) if not r.conflict}
        self.provider = provider
        self.mode = mode
        self.building = building
        self._versions: dict[str, Sequence[Version]] = {}
        # family -> its versions sorted for range lookups (families of many versions)
        self._indexes: dict[str, VersionIndex] = {}
        # an entry is shared by every slice that holds all of its variants
        self._entries: dict[tuple[str, Version], Entry] = {}
        #: variant -> its preference key in this solve (see :meth:`variant_key`)
        self.sort_keys: dict[Variant, tuple[object, ...]] = {}
        self._range_keys: dict[tuple[str, VersionRange], tuple[object, ...]] = {}
        self._reqs: dict[tuple[str, VersionRange], Requirement] = {}
        # (family, id of the one range or frozenset of ids) -> their union's request;
        # the ranges belong to the provider's variants, which outlive the solve
        self._unions: dict[tuple[str, object], Requirement] = {}
        #: (id(requirement), request) -> whether they clash, for requirements of the
        #: provider's variants (which outlive the solve)
        self.clashes: dict[tuple[int, Requirement], bool] = {}
        #: family -> the families some variant of which (seen in this solve) requires it,
        #: conflicts included; filled in as slices work out their families
        self.required_by: dict[str, set[str]] = {}

    # -- provider answers -----------------------------------------------------------
    def versions(self, name: str) -> Sequence[Version]:
        found = self._versions.get(name)
        if found is None:
            listed = self.provider.versions(name)
            if listed is None:
                raise PackageFamilyNotFoundError(name)
            found = self._versions[name] = listed
        return found

    def _entry(self, name: str, version: Version) -> Entry:
        entry = self._entries.get((name, version))
        if entry is None:
            data = self.provider.package(name, version)
            variants = list(data.solver_variants(name, version, self.building))
            entry = self._entries[(name, version)] = Entry(version, variants)
        return entry

    def slice(self, name: str, range_: VersionRange) -> Slice | None:
        """The variants of ``name`` in ``range_``, or None if there are none.

        Raises:
            PackageFamilyNotFoundError: the provider does not know ``name``.
        """
        versions = self.versions(name)
        if len(versions) < 8:
            contains = range_.contains_version
            entries = [self._entry(name, v) for v in versions if contains(v)]
        else:
            index = self._indexes.get(name)
            if index is None:
                index = self._indexes[name] = VersionIndex(versions)
            entries = [self._entry(name, versions[i]) for i in index.select(range_)]
        return Slice(self, name, entries) if entries else None

    def union_requirement(self, name: str, ranges: dict[int, VersionRange]) -> Requirement:
        """The request for ``name`` in the union of ``ranges`` (id(range) -> range),
        shared between calls with the same ranges."""
        key = (name, next(iter(ranges)) if len(ranges) == 1 else frozenset(ranges))
        found = self._unions.get(key)
        if found is None:
            values = list(ranges.values())
            union = values[0].union(*values[1:]) if len(values) > 1 else values[0]
            found = self._unions[key] = self.requirement(name, union)
        return found

    def requirement(self, name: str, range_: VersionRange) -> Requirement:
        """``Requirement.construct(name, range_)``, shared between equal calls."""
        key = (name, range_)
        found = self._reqs.get(key)
        if found is None:
            found = self._reqs[key] = Requirement.construct(name, range_)
        return found

    # -- variant preference ---------------------------------------------------------
    def _key(self, name: str, version: Version) -> VersionKey:
        return self.provider.version_key(name, version)

    def range_key(self, name: str, range_: VersionRange) -> tuple[object, ...]:
        """Sort key of a requested range: per bound, (lower, upper) version keys.

        An inclusive lower bound ranks below an exclusive one at the same version, and
        an inclusive upper bound above an exclusive one (Rez's bound order).
        """
        key = (name, range_)
        found = self._range_keys.get(key)
        if found is None:
            found = tuple(
                (
                    (self._key(name, b.lower), -2 if b.lower_inclusive else -1),
                    (self._key(name, b.upper), 2 if b.upper_inclusive else 1),
                )
                for b in range_.bounds
            )
            self._range_keys[key] = found
        return found

    def variant_key(self, variant: Variant) -> tuple[object, ...]:
        """Rez's variant preference (larger is preferred).

        ``version_priority``: the ranges the variant asks for the requested families
        (earlier requests weigh more), then fewer other families, then the ranges and
        names of those, then the index.  ``intersection_priority`` puts the number of
        requested families it shares first.
        """
        cached = variant.range_keys
        if cached is None or cached[0] is not self.provider:
            keyed = [(r.name, r.conflict, self.range_key(r.name, r.range)) for r in variant.reqs]
            cached = variant.range_keys = (self.provider, keyed)
        positions = self._positions
        found: list[tuple[int, tuple[object, ...]]] = []
        others: list[tuple[tuple[object, ...], str]] = []
        for name, conflict, key in cached[1]:
            i = positions.get(name)
            if i is not None:
                found.append((i, key))
            elif not conflict:
                others.append((key, name))
        found.sort(key=_first)  # (each family once)
        shared = [(-i, key) for i, key in found]
        if self.mode == "version_priority":
            return (tuple(shared), -len(others), tuple(others), variant.index)
        return (len(shared), tuple(shared), -len(others), tuple(others), variant.index)
