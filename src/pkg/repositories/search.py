"""Searching packages across the repositories of a search path (``packages_path``).

Rez's rules:

* repositories are searched in order;
* a package (same name and version) found in an earlier repository hides the same
  version in later ones, even when its definition fails to load (the failure is reported
  through ``errors``);
* families are not merged: a family may appear in several repositories.

Ordering: packages come repository by repository in search-path order and, within one
repository, from the lowest version to the highest.  (Rez yields each repository's
versions in an arbitrary order that changes between runs; the set is the same.)
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pkg.core import Requirement, Version, VersionRange
from pkg.errors import RepositoryError
from pkg.repositories.filesystem import FilesystemRepository

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from pathlib import Path

    from pkg.config import Config
    from pkg.errors import PackageDefinitionError
    from pkg.packages import Package
    from pkg.repositories.base import Repository

__all__ = [
    "PackageSearchPath",
    "RepositoryPool",
    "get_latest_package",
    "get_package",
    "get_repositories",
    "iter_packages",
]


def _range(range_: VersionRange | str | None) -> VersionRange | None:
    if range_ is None or isinstance(range_, VersionRange):
        return range_
    return VersionRange(range_)


class RepositoryPool:
    """Creates each repository of a search path once, by normalised path.

    A path is a directory (the ``filesystem`` type) or ``type@location``:
    ``filesystem@/path`` or ``memory@name`` (an initially empty memory repository that
    lives as long as the pool).

    Args:
        config: passed to every filesystem repository.
        index_dir: where filesystem repositories keep their index (None: the default).
        use_index: False disables the on-disk index.
    """

    def __init__(
        self, config: Config, *, index_dir: Path | None = None, use_index: bool = True
    ) -> None:
        self.config = config
        self.index_dir = index_dir
        self.use_index = use_index
        self._repositories: dict[str, Repository] = {}

    @staticmethod
    def normalise(path: str) -> str:
        """``type@location`` with an absolute location for the filesystem type."""
        type_name, sep, location = path.partition("@")
        if not sep or os.sep in type_name or (os.altsep and os.altsep in type_name):
            type_name, location = "filesystem", path
        if type_name == "filesystem":
            location = os.path.abspath(os.path.expanduser(location))
        return f"{type_name}@{location}"

    def get(self, path: str) -> Repository:
        """The repository for one search-path entry."""
        key = self.normalise(path)
        repository = self._repositories.get(key)
        if repository is None:
            type_name, _, location = key.partition("@")
            if type_name == "filesystem":
                repository = FilesystemRepository(
                    location, self.config, index_dir=self.index_dir, use_index=self.use_index
                )
            elif type_name == "memory":
                from pkg.repositories.memory import MemoryRepository

                repository = MemoryRepository(location=location)
            else:
                raise RepositoryError(
                    f"unknown package repository type {type_name!r} in {path!r} "
                    "(known: filesystem, memory)"
                )
            self._repositories[key] = repository
        return repository

    def add(self, path: str, repository: Repository) -> None:
        """Use ``repository`` for ``path`` (e.g. a populated memory repository)."""
        self._repositories[self.normalise(path)] = repository


def get_repositories(
    paths: Iterable[str] | None,
    config: Config,
    *,
    index_dir: Path | None = None,
    pool: RepositoryPool | None = None,
) -> list[Repository]:
    """The repositories of ``paths`` (default: ``config.packages_path``), in order."""
    pool = pool or RepositoryPool(config, index_dir=index_dir)
    return [pool.get(path) for path in (config.packages_path if paths is None else paths)]


class PackageSearchPath:
    """An ordered list of repositories searched as one, with Rez's hiding rule."""

    def __init__(self, repositories: Sequence[Repository]) -> None:
        self.repositories = tuple(repositories)

    @classmethod
    def from_paths(
        cls, paths: Iterable[str] | None, config: Config, *, index_dir: Path | None = None
    ) -> PackageSearchPath:
        return cls(get_repositories(paths, config, index_dir=index_dir))

    def iter_family_names(self) -> Iterator[str]:
        """Each family name once, in first-seen order (sorted within a repository)."""
        seen: set[str] = set()
        for repository in self.repositories:
            for name in repository.iter_family_names():
                if name not in seen:
                    seen.add(name)
                    yield name

    def iter_packages(
        self,
        name: str,
        range_: VersionRange | str | None = None,
        *,
        errors: list[PackageDefinitionError] | None = None,
    ) -> Iterator[Package]:
        """Packages of ``name`` in ``range_``; see the module docstring for the order."""
        wanted = _range(range_)
        seen: set[Version] = set()
        for repository in self.repositories:
            # A listed version hides later ones even if its definition fails to load.
            listed = set(repository.iter_versions(name))
            for package in repository.iter_packages(name, errors=errors):
                version = package.version
                if version in seen:
                    continue
                listed.add(version)
                if wanted is not None and version not in wanted:
                    continue
                yield package
            seen |= listed

    def iter_versions(
        self, name: str, range_: VersionRange | str | None = None
    ) -> Iterator[Version]:
        """Versions of ``name`` (hidden duplicates dropped), without loading definitions."""
        wanted = _range(range_)
        seen: set[Version] = set()
        for repository in self.repositories:
            for version in repository.iter_versions(name):
                if version in seen:
                    continue
                seen.add(version)
                if wanted is None or version in wanted:
                    yield version

    def get_package(self, name: str, version: Version | str) -> Package | None:
        """The first ``name``-``version`` along the search path, or None."""
        wanted = version if isinstance(version, Version) else Version(version)
        for repository in self.repositories:
            package = repository.get_package(name, wanted)
            if package is not None:
                return package
        return None

    def get_latest_package(
        self, name: str, range_: VersionRange | str | None = None
    ) -> Package | None:
        """The highest version of ``name`` in ``range_`` (earliest repository on ties)."""
        latest: Package | None = None
        for package in self.iter_packages(name, range_):
            if latest is None or package.version > latest.version:
                latest = package
        return latest

    def get_latest_package_from_string(self, request: str) -> Package | None:
        """:meth:`get_latest_package` for a request string such as ``foo-1.2+``."""
        requirement = Requirement(request)
        return self.get_latest_package(requirement.name, requirement.range)


def iter_packages(
    name: str,
    range_: VersionRange | str | None = None,
    *,
    repositories: Sequence[Repository],
    errors: list[PackageDefinitionError] | None = None,
) -> Iterator[Package]:
    """:meth:`PackageSearchPath.iter_packages` over ``repositories``."""
    return PackageSearchPath(repositories).iter_packages(name, range_, errors=errors)


def get_package(
    name: str, version: Version | str, *, repositories: Sequence[Repository]
) -> Package | None:
    """:meth:`PackageSearchPath.get_package` over ``repositories``."""
    return PackageSearchPath(repositories).get_package(name, version)


def get_latest_package(
    name: str,
    range_: VersionRange | str | None = None,
    *,
    repositories: Sequence[Repository],
) -> Package | None:
    """:meth:`PackageSearchPath.get_latest_package` over ``repositories``."""
    return PackageSearchPath(repositories).get_latest_package(name, range_)
