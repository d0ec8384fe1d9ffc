"""What the solver needs to know about packages, and an in-memory implementation.

The solver never reads a repository, a filter or a config: it asks a :class:`Provider`.
A provider answers three questions, each about one package family:

* :meth:`Provider.versions` -- which versions may be used, most preferred first.  Package
  filters and timestamp locks are applied here (an excluded version is simply not
  listed), and so is the package orderer (``sorted``, ``version_split``, ...).  ``None``
  means the family does not exist at all, an empty sequence that it exists but nothing
  is left once filtered: Rez reports the two differently.
* :meth:`Provider.package` -- the requirements of one version (:class:`PackageData`).
* :meth:`Provider.version_key` -- the sort key of a version under that family's orderer.
  The solver ranks variants by comparing the *ranges* they require (see
  ``docs/resolver.md``), so it needs keys for versions that are not packages, too
  (range bounds, :attr:`Version.inf`).  The key must agree with :meth:`versions`: a
  version listed earlier has a larger or equal key.

:class:`MemoryProvider` serves packages from a dict, for tests and for callers that
already hold definitions in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from pkg.core import Requirement, RequirementList, Version, parse_requirement
from pkg.resolver._slices import Variant

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = ["MemoryProvider", "PackageData", "Provider", "VersionKey"]

#: A sort key returned by :meth:`Provider.version_key` (anything ordered by ``<``).
VersionKey = Any


@dataclass(frozen=True, slots=True)
class PackageData:
    """The requirements of one package version.

    Attributes:
        requires: the package's ``requires``.
        variants: one tuple of requirements per variant, in index order; ``None`` for a
            package without variants (its single variant has no index).
        build_requires: added after the variant's requirements when solving for a build.
    """

    requires: tuple[Requirement, ...] = ()
    variants: tuple[tuple[Requirement, ...], ...] | None = None
    build_requires: tuple[Requirement, ...] = ()
    # building -> the solver's variants, made once per package (see solver_variants)
    _variants: dict[bool, tuple[Variant, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def variant_requires(self, building: bool) -> list[tuple[int | None, list[Requirement]]]:
        """``(index, requirements)`` of each variant, as Rez concatenates them.

        A variant requires the package's ``requires``, then its own list, then (when
        ``building``) the package's ``build_requires``.
        """
        extra = list(self.build_requires) if building else []
        if self.variants is None:
            return [(None, [*self.requires, *extra])]
        return [(i, [*self.requires, *own, *extra]) for i, own in enumerate(self.variants)]

    def solver_variants(self, name: str, version: Version, building: bool) -> tuple[Variant, ...]:
        """The solver's view of each variant (requirements merged per family), made on
        first use and shared by later solves.  ``name`` and ``version`` must be this
        package's.  A variant whose requests clash is reported only if a solve looks
        at it."""
        found = self._variants.get(building)
        if found is None:
            found = tuple(
                Variant(name, version, index, RequirementList(reqs))
                for index, reqs in self.variant_requires(building)
            )
            self._variants[building] = found
        return found


class Provider(Protocol):
    """The solver's only view of packages.  Every method must be deterministic.

    Each method is called at most a few times per family and version during one solve
    (the solver caches the answers), so a provider may load lazily.
    """

    def versions(self, name: str) -> Sequence[Version] | None:
        """The usable versions of ``name``, most preferred first, or None if unknown."""
        ...

    def package(self, name: str, version: Version) -> PackageData:
        """The requirements of ``name`` at ``version`` (one listed by :meth:`versions`)."""
        ...

    def version_key(self, name: str, version: Version) -> VersionKey:
        """Sort key of ``version`` in family ``name`` (larger means preferred)."""
        ...


def _requests(items: Iterable[str | Requirement]) -> tuple[Requirement, ...]:
    return tuple(parse_requirement(x) if isinstance(x, str) else x for x in items)


def _default_key(name: str, version: Version) -> VersionKey:
    del name
    return version


@dataclass
class MemoryProvider:
    """A :class:`Provider` over a dict ``{name: {version: definition}}``.

    A definition is a mapping with optional ``"requires"``, ``"variants"`` and
    ``"build_requires"`` entries (request strings or :class:`Requirement` objects); a
    family may use ``""`` as the version of an unversioned package.

    ``version_key`` orders versions (default: the version itself, i.e. latest first), and
    ``exclude`` hides versions (a package filter or timestamp lock).

        >>> p = MemoryProvider({"foo": {"1": {}, "2": {"requires": ["bar"]}}})
        >>> [str(v) for v in p.versions("foo")], p.versions("nope")
        (['2', '1'], None)
        >>> p.package("foo", Version("2")).requires
        (Requirement('bar'),)
    """

    packages: Mapping[str, Mapping[str, Mapping[str, Any]]]
    version_key_fn: Callable[[str, Version], VersionKey] = _default_key
    exclude: Callable[[str, Version], bool] | None = None
    _data: dict[tuple[str, Version], PackageData] = field(default_factory=dict, repr=False)
    _order: dict[str, list[Version]] = field(default_factory=dict, repr=False)
    # family -> {parsed version: definition}, built on the family's first look-up
    _defs: dict[str, dict[Version, Mapping[str, Any]]] = field(default_factory=dict, repr=False)

    def _family(self, name: str) -> dict[Version, Mapping[str, Any]] | None:
        found = self._defs.get(name)
        if found is None:
            family = self.packages.get(name)
            if family is None:
                return None
            found = {}
            for text, definition in family.items():
                found.setdefault(Version(text), definition)  # the first of equal versions
            self._defs[name] = found
        return found

    def versions(self, name: str) -> Sequence[Version] | None:
        found = self._order.get(name)
        if found is not None:
            return found
        family = self.packages.get(name)
        if family is None:
            return None
        listed = [Version(v) for v in family]
        if self.exclude is not None:
            listed = [v for v in listed if not self.exclude(name, v)]
        # Stable: versions with equal keys keep the order in which they were given.
        listed.sort(key=lambda v: self.version_key_fn(name, v), reverse=True)
        self._order[name] = listed
        return listed

    def package(self, name: str, version: Version) -> PackageData:
        found = self._data.get((name, version))
        if found is not None:
            return found
        family = self._family(name)
        if family is None:
            raise KeyError(name)
        definition = family[version]
        variants = definition.get("variants")
        data = PackageData(
            requires=_requests(definition.get("requires") or ()),
            variants=None if not variants else tuple(_requests(v) for v in variants),
            build_requires=_requests(definition.get("build_requires") or ()),
        )
        self._data[(name, version)] = data
        return data

    def version_key(self, name: str, version: Version) -> VersionKey:
        return self.version_key_fn(name, version)
