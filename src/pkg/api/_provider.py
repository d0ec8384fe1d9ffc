"""A solver :class:`~pkg.resolver.Provider` over the repositories of a search path.

It answers the solver's three questions from a :class:`PackageSearchPath`:

* ``versions(name)``: the family's versions (an earlier repository hides the same version
  in later ones), without those a package filter hides, ordered by the family's orderer
  (latest first by default).  An unknown family, or one with no version at all, is None.
* ``package(name, version)``: the definition, read on first use, as :class:`PackageData`.
* ``version_key(name, version)``: the orderer's key.

Definitions are read lazily: a family is listed when the solver first asks for it, and a
definition is loaded when the solver needs its requirements, or when a timestamp rule or
the ``soft_timestamp`` orderer needs its release time.  :attr:`num_loaded_packages`
counts the definitions handed to the solver (Rez's ``num_loaded_packages``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pkg.errors import RepositoryError
from pkg.resolver import PackageData
from pkg.resolver.filters import Candidate
from pkg.resolver.orderers import OrdererList

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pkg.core import Version
    from pkg.packages import Package
    from pkg.repositories import PackageSearchPath
    from pkg.resolver.filters import PackageFilterList
    from pkg.resolver.orderers import Orderer

__all__ = ["SearchPathProvider"]


class SearchPathProvider:
    """The packages of ``search_path`` as the solver sees them.

    Args:
        search_path: the repositories, in priority order.
        package_filter: hides versions (timestamp lock included); None hides nothing.
        orderers: the package orderers; the first that names a family wins.
    """

    def __init__(
        self,
        search_path: PackageSearchPath,
        *,
        package_filter: PackageFilterList | None = None,
        orderers: Sequence[Orderer] = (),
    ) -> None:
        self.search_path = search_path
        self.package_filter = package_filter if package_filter else None
        self.orderers = OrdererList(tuple(orderers), self.family_timestamps)
        # family -> version -> package (the first along the search path), read once
        self._families: dict[str, dict[Version, Package]] = {}
        self._loaded: dict[tuple[str, Version], Package] = {}
        self._data: dict[tuple[str, Version], PackageData] = {}
        self._versions: dict[str, list[Version] | None] = {}

    @property
    def num_loaded_packages(self) -> int:
        """How many package definitions the solver has used."""
        return len(self._data)

    def load(self, name: str, version: Version) -> Package:
        """The package ``name``-``version`` (first along the search path), cached.

        The first package asked for reads its whole family from each repository (one
        pass, validated once), not one pass per version.
        """
        family = self._families.get(name)
        if family is None:
            family = self._families[name] = {}
            for repository in self.search_path.repositories:
                for listed in repository.iter_packages(name):
                    family.setdefault(listed.version, listed)
        found = family.get(version)
        if found is None:
            raise RepositoryError(f"package {name}-{version} is listed but cannot be read")
        self._loaded[(name, version)] = found
        return found

    @property
    def loaded_packages(self) -> list[Package]:
        """Every package :meth:`load` returned, in first-load order."""
        return list(self._loaded.values())

    def family_timestamps(self, family: str) -> list[tuple[Version, int | None]]:
        """Release time of every version of ``family``, filters ignored."""
        listed = self.search_path.iter_versions(family)
        return [(v, self.load(family, v).timestamp) for v in listed]

    # -- Provider ---------------------------------------------------------------------
    def versions(self, name: str) -> list[Version] | None:
        if name in self._versions:
            return self._versions[name]
        listed = list(self.search_path.iter_versions(name))
        found: list[Version] | None = None
        if listed:
            package_filter = self.package_filter
            if package_filter is not None:
                listed = [
                    v
                    for v in listed
                    if package_filter.excludes(Candidate(name, v, self._timestamp(name, v))) is None
                ]
            found = self.orderers.order(name, listed)
        self._versions[name] = found
        return found

    def _timestamp(self, name: str, version: Version) -> Callable[[], int | None]:
        return lambda: self.load(name, version).timestamp

    def package(self, name: str, version: Version) -> PackageData:
        key = (name, version)
        data = self._data.get(key)
        if data is None:
            package = self.load(name, version)
            variants = package.variants if package.num_variants else None
            data = PackageData(
                requires=tuple(package.requires),
                variants=None if variants is None else tuple(tuple(v) for v in variants),
                build_requires=tuple(package.build_requires),
            )
            self._data[key] = data
        return data

    def version_key(self, name: str, version: Version) -> Any:
        return self.orderers.version_key(name, version)
