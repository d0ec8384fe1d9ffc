"""An in-memory repository: families -> versions -> definition data, for tests and the API.

>>> repo = MemoryRepository({"foo": {"1.0": {"name": "foo", "version": "1.0"}}})
>>> [str(p.version) for p in repo.iter_packages("foo")]
['1.0']
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from pkg.core import Version
from pkg.errors import PackageDefinitionError, RepositoryError, VersionError
from pkg.packages import Package, PackageDefinition, RepositoryRef, Variant
from pkg.repositories._install import plan_install, target_of
from pkg.repositories.base import InstallResult

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from pkg.repositories.base import PayloadWriter

__all__ = ["UNVERSIONED", "MemoryRepository"]

#: The version key of an unversioned package (Rez's spelling; ``""`` works too).
UNVERSIONED = "_NO_VERSION"
_counter = itertools.count()


class MemoryRepository:
    """Packages held in a dict: ``{family: {version: data}}``.

    ``data`` is what a ``package.py`` would define (``name``, ``requires`` ...); the
    version key of an unversioned package is :data:`UNVERSIONED` or ``""``.  The dict is
    used in place (not copied), so changes made to it show in later reads.  Hidden
    (ignored) versions are kept in a separate set.

    Args:
        data: the packages (default: empty).
        location: the name shown in URIs; by default a unique ``memory{N}``.
    """

    type_name = "memory"

    def __init__(
        self,
        data: dict[str, dict[str, dict[str, object]]] | None = None,
        location: str | None = None,
    ) -> None:
        self.data: dict[str, dict[str, dict[str, object]]] = {} if data is None else data
        self._location = location or f"memory{{{next(_counter)}}}"
        self._ref = RepositoryRef(self.type_name, self._location)
        self._ignored: set[tuple[str, str]] = set()
        self._errors: list[PackageDefinitionError] = []

    def __repr__(self) -> str:
        return f"MemoryRepository({self._location!r})"

    @property
    def location(self) -> str:
        return self._location

    @property
    def ref(self) -> RepositoryRef:
        return self._ref

    @property
    def uid(self) -> str:
        return f"memory@{self._location}#{id(self.data)}"

    @property
    def load_errors(self) -> Sequence[PackageDefinitionError]:
        return tuple(self._errors)

    def iter_family_names(self) -> Iterator[str]:
        yield from sorted(self.data)

    def has_family(self, family: str) -> bool:
        return family in self.data

    def _entries(self, family: str) -> list[tuple[Version, str]]:
        versions = self.data.get(family, {})
        for key in (UNVERSIONED, ""):
            if key in versions:
                return [(Version(""), key)]
        found = []
        for key in versions:
            if (family, key) in self._ignored:
                continue
            try:
                found.append((Version(key), key))
            except VersionError:
                error = PackageDefinitionError(
                    f"{key!r} is not a valid version", filepath=f"{self._location}:{family}"
                )
                self._errors.append(error)
        found.sort(key=lambda item: item[0])
        return found

    def iter_versions(self, family: str) -> Iterator[Version]:
        for version, _key in self._entries(family):
            yield version

    def _package(self, family: str, key: str) -> Package:
        data = dict(self.data[family][key])
        data["name"] = family
        if key in (UNVERSIONED, ""):
            data.pop("version", None)
        else:
            data["version"] = key
        return Package(PackageDefinition(data, "", "py"), self._ref)

    def iter_packages(
        self, family: str, *, errors: list[PackageDefinitionError] | None = None
    ) -> Iterator[Package]:
        before = len(self._errors)
        entries = self._entries(family)
        if errors is not None:
            errors.extend(self._errors[before:])
        for _version, key in entries:
            yield self._package(family, key)

    def get_package(self, family: str, version: Version | str) -> Package | None:
        wanted = version if isinstance(version, Version) else Version(version)
        for found, key in self._entries(family):
            if found == wanted:
                return self._package(family, key)
        return None

    def iter_variants(self, package: Package) -> Iterator[Variant]:
        return package.iter_variants()

    def _key(self, family: str, version: Version | str) -> str | None:
        text = str(version)
        versions = self.data.get(family, {})
        if not text:
            return next((k for k in (UNVERSIONED, "") if k in versions), None)
        for key in versions:
            if key == text or (key not in (UNVERSIONED, "") and _same_version(key, text)):
                return key
        return None

    def ignore_package(
        self, family: str, version: Version | str, *, allow_missing: bool = False
    ) -> int:
        key = self._key(family, version) or (str(version) if allow_missing else None)
        if key is None:
            return -1
        if (family, key) in self._ignored:
            return 0
        self._ignored.add((family, key))
        return 1

    def unignore_package(self, family: str, version: Version | str) -> int:
        key = self._key(family, version) or str(version)
        removed = (family, key) in self._ignored
        self._ignored.discard((family, key))
        if self._key(family, version) is None:
            return -1
        return 1 if removed else 0

    def remove_package(self, family: str, version: Version | str) -> bool:
        key = self._key(family, version)
        if key is None:
            return False
        del self.data[family][key]
        self._ignored.discard((family, key))
        return True

    def remove_family(self, family: str, *, force: bool = False) -> bool:
        if family not in self.data:
            return False
        if self.data[family] and not force:
            raise RepositoryError(f"Cannot remove non-empty package family {family!r}")
        del self.data[family]
        return True

    def payload_path(self, family: str, version: Version | str | None) -> str | None:
        return None

    def install_variant(
        self,
        variant: Variant,
        *,
        overrides: Mapping[str, object] | None = None,
        dry_run: bool = False,
        payload: PayloadWriter | None = None,
    ) -> InstallResult:
        changes = dict(overrides or {})
        name, version = target_of(variant, changes)
        if variant.package.repository == self._ref and (name, version) == (
            variant.name,
            variant.version,
        ):
            return InstallResult(variant, existed=True)
        key = self._key(name, version)
        existing = None if key is None else self._package(name, key)
        plan = plan_install(variant, existing, changes)
        if dry_run:
            if (
                existing is not None
                and plan.existing_index is not None
                and not plan.package_changed
            ):
                index = None if variant.index is None else plan.existing_index
                return InstallResult(Variant(existing, index), existed=True)
            return InstallResult(None)
        key = key or (str(version) if version else UNVERSIONED)
        self.data.setdefault(name, {})[key] = plan.data
        return InstallResult(
            Variant(self._package(name, key), plan.index),
            existed=plan.existing_index is not None,
        )

    def clear_caches(self) -> None:
        """Nothing is cached."""


def _same_version(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except VersionError:
        return False
