"""Writing to package repositories: ``pkg cp``, ``pkg mv``, ``pkg rm`` and ``pkg pkg-ignore``.

Each function opens the repositories it needs from a :class:`~pkg.config.Config`, does one
operation through the repository layer (which stages and renames, so every write is
atomic) and returns a small result object, or raises a :class:`~pkg.errors.PkgError`.
Nothing here prints: the command line renders the results with Rez's wording.

Repository paths are search-path entries: a directory, or ``type@location``
(``filesystem@/path``, ``memory@name``).  A repository is named in messages the way Rez
names it, ``filesystem@/abs/path`` (see :func:`repository_label`).

Packages are named as Rez's ``VersionedObject``: ``foo-1.2.3`` (also ``foo@1.2.3`` or
``foo#1.2.3``), or ``foo`` for an unversioned package; see :func:`parse_package_id`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg.api._paths import nonlocal_packages_path
from pkg.core import Requirement, Version
from pkg.errors import RepositoryError, UsageError
from pkg.repositories import (
    FilesystemRepository,
    PackageSearchPath,
    RepositoryPool,
    copy_package,
    move_package,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from pkg.config import Config
    from pkg.packages import Package, Variant
    from pkg.repositories import Repository

__all__ = [
    "EMPTY_REPOSITORY_MESSAGE",
    "AmbiguousPackageError",
    "CopyOutcome",
    "EmptyRepositoryError",
    "FamilyNotFoundError",
    "IgnoreOutcome",
    "IgnoredRemoval",
    "MoveOutcome",
    "PackageNotFoundError",
    "UnknownVariantError",
    "copy",
    "find_variant_by_uri",
    "ignore",
    "list_repositories",
    "move",
    "nonlocal_packages_path",
    "parse_package_id",
    "remove_family",
    "remove_ignored_since",
    "remove_package",
    "repositories_containing",
    "repository_label",
    "search_paths",
    "unignore",
]

#: What ``pkg cp`` says when ``--dest-path`` holds no package and ``--allow-empty`` is not
#: given (Rez's text).
EMPTY_REPOSITORY_MESSAGE = (
    "Attempting to copy a package into an EMPTY repository. Are you sure that --dest-path "
    "is the correct path? This should not include package name and/or version.\n\n"
    "If this is a valid new package repository, use the --allow-empty flag to continue."
)

_SEPARATOR = re.compile(r"[-@#]")


# -- errors ---------------------------------------------------------------------------------


class PackageNotFoundError(RepositoryError):
    """The package to act on does not exist (in the given repository or search path).

    Attributes:
        package: the package as given (``foo-1.2``).
        where: the repository label, or ``""`` for the search path.
    """

    def __init__(
        self, package: str, where: str = "", *, message: str = "Package not found."
    ) -> None:
        self.package = package
        self.where = where
        super().__init__(message)


class FamilyNotFoundError(RepositoryError):
    """The package family to remove does not exist in the repository."""

    def __init__(self, family: str, where: str) -> None:
        self.family = family
        self.where = where
        super().__init__("Package family not found.")


class AmbiguousPackageError(RepositoryError):
    """A request matches several packages where exactly one is needed.

    Attributes:
        candidates: qualified names of the matches, lowest version first.
    """

    def __init__(self, candidates: Sequence[str]) -> None:
        self.candidates = tuple(candidates)
        super().__init__("\n".join(["More than one package matches, please choose:", *candidates]))


class UnknownVariantError(RepositoryError):
    """No variant has the given URI."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        super().__init__(f"Unknown variant: {uri}")


class EmptyRepositoryError(RepositoryError):
    """The destination repository holds no package (probably a wrong ``--dest-path``)."""

    def __init__(self, where: str) -> None:
        self.where = where
        super().__init__(EMPTY_REPOSITORY_MESSAGE)


# -- helpers --------------------------------------------------------------------------------


def parse_package_id(text: str) -> tuple[str, Version]:
    """Split ``foo-1.2.3`` into ``("foo", Version("1.2.3"))``, as Rez's ``VersionedObject``.

    The name ends at the first ``-``, ``@`` or ``#``; without one the package is
    unversioned (``Version("")``).

    >>> parse_package_id("foo-1.2.3")
    ('foo', Version('1.2.3'))
    >>> parse_package_id("foo")
    ('foo', Version(''))

    Raises:
        pkg.errors.VersionError: the part after the separator is not a version.
    """
    match = _SEPARATOR.search(text)
    if match is None:
        return text, Version("")
    return text[: match.start()], Version(text[match.end() :])


def repository_label(repository: Repository) -> str:
    """How Rez names a repository in messages: ``filesystem@/abs/path``."""
    return f"{repository.type_name}@{repository.location}"


def search_paths(
    config: Config, *, paths: str | Sequence[str] | None = None, no_local: bool = False
) -> list[str]:
    """The search path of a command: ``paths`` if given (an ``os.pathsep``-separated string
    or a list; empty entries are dropped, and ``no_local`` is then ignored), else
    ``packages_path``, without the local repository if ``no_local``."""
    if paths is not None:
        entries = paths.split(os.pathsep) if isinstance(paths, str) else list(paths)
        return [entry for entry in entries if entry]
    if no_local:
        return nonlocal_packages_path(config)
    return list(config.packages_path)


def _pool(config: Config, index_dir: Path | None) -> RepositoryPool:
    return RepositoryPool(config, index_dir=index_dir)


def _repository_of(package: Package, pool: RepositoryPool) -> Repository:
    ref = package.repository
    if ref is None:  # pragma: no cover - packages from repositories always have one
        raise RepositoryError(f"{package.qualified_name} is not in a repository")
    return pool.get(f"{ref.type_name}@{ref.location}")


def _is_empty(repository: Repository) -> bool:
    """True if no family of ``repository`` has a visible version (Rez's ``is_empty``)."""
    return not any(
        any(True for _ in repository.iter_versions(family))
        for family in repository.iter_family_names()
    )


# -- cp -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CopyOutcome:
    """What :func:`copy` did.

    Attributes:
        source: the package copied from.
        destination: label of the repository copied into.
        copied: (source variant, new variant) pairs; the new variant is None in a dry run.
        skipped: (source variant, existing variant) pairs not copied because the target
            exists (and ``overwrite`` was not given).
        dry_run: nothing was written.
        target_path: where the target package's payload is (or would be), for messages.
    """

    source: Package
    destination: str
    copied: tuple[tuple[Variant, Variant | None], ...]
    skipped: tuple[tuple[Variant, Variant], ...]
    dry_run: bool
    target_path: str


def find_variant_by_uri(
    uri: str, repositories: Sequence[Repository], pool: RepositoryPool
) -> Variant | None:
    """The variant whose :attr:`~pkg.packages.Variant.uri` is ``uri``, or None.

    ``repositories`` are tried first; then, for a filesystem URI
    (``/repo/name/version/package.py[index]`` or ``/repo/name/package.py[index]``), the
    repository the URI itself points into, opened through ``pool``.
    """
    package_uri, bracket, tail = uri.rpartition("[")
    if not bracket or not tail.endswith("]"):
        return None
    index_text = tail[:-1]
    try:
        index = int(index_text) if index_text else None
    except ValueError:
        return None
    candidates = list(repositories)
    if os.path.isabs(package_uri):
        parts = package_uri.split(os.sep)
        for depth in (3, 2):
            if len(parts) > depth:
                candidates.append(pool.get(f"filesystem@{os.sep.join(parts[:-depth]) or os.sep}"))
    for repository in candidates:
        variant = _variant_in(repository, package_uri, index)
        if variant is not None:
            return variant
    return None


def _variant_in(repository: Repository, package_uri: str, index: int | None) -> Variant | None:
    prefix = repository.location.rstrip(os.sep) + os.sep
    if repository.type_name != "filesystem" or not package_uri.startswith(prefix):
        return None
    parts = package_uri[len(prefix) :].split(os.sep)
    if len(parts) not in (2, 3):
        return None
    try:
        package = repository.get_package(parts[0], parts[1] if len(parts) == 3 else "")
    except RepositoryError:
        return None
    if package is None or package.uri != package_uri:
        return None
    for variant in package.iter_variants():
        if variant.index == index:
            return variant
    return None


def _find_one(request: str, search: PackageSearchPath) -> Package:
    requirement = Requirement(request)
    found = list(search.iter_packages(requirement.name, requirement.range))
    if not found:
        raise PackageNotFoundError(request, message="No matching packages found.")
    if len(found) > 1:
        found.sort(key=lambda package: package.version)
        raise AmbiguousPackageError([package.qualified_name for package in found])
    return found[0]


def copy(
    config: Config,
    package: str | None = None,
    *,
    variant_uri: str | None = None,
    dest_path: str | None = None,
    paths: str | Sequence[str] | None = None,
    no_local: bool = False,
    rename: str | None = None,
    reversion: str | None = None,
    variants: Sequence[int] | None = None,
    overwrite: bool = False,
    shallow: bool = False,
    follow_symlinks: bool = False,
    keep_timestamp: bool = False,
    force: bool = False,
    allow_empty: bool = False,
    dry_run: bool = False,
    index_dir: Path | None = None,
) -> CopyOutcome:
    """Copy a package (or some of its variants) into a repository, like ``rez-cp``.

    The source is the one package matching the request ``package`` on the search path
    (see :func:`search_paths`), or the variant ``variant_uri`` (``variants`` is then
    ignored).  The destination is ``dest_path``, or the source's own repository when the
    copy is renamed or re-versioned.  ``variants`` are indexes; negative ones count from
    the end.

    Raises:
        pkg.errors.UsageError: neither or both of ``package``/``variant_uri``, or no
            ``dest_path`` without ``rename``/``reversion``.
        PackageNotFoundError: no package matches (message ``No matching packages found.``).
        AmbiguousPackageError: several packages match.
        UnknownVariantError: no variant has the URI ``variant_uri``.
        EmptyRepositoryError: ``dest_path`` holds no package and not ``allow_empty``.
        pkg.repositories.CopyError: the package is not relocatable (without ``force``), it
            would be copied onto itself, or a variant index does not exist.
    """
    if variant_uri:
        if package:
            raise UsageError("Supply PKG or --variant-uri, not both.")
    elif not package:
        raise UsageError("Expected PKG.")
    if not dest_path and not (rename or reversion):
        raise UsageError("--dest-path must be specified unless --rename or --reversion are used.")
    pool = _pool(config, index_dir)
    search = PackageSearchPath(
        [pool.get(p) for p in search_paths(config, paths=paths, no_local=no_local)]
    )
    indexes: list[int] | None
    if variant_uri:
        variant = find_variant_by_uri(variant_uri, search.repositories, pool)
        if variant is None:
            raise UnknownVariantError(variant_uri)
        source = variant.package
        indexes = [variant.index or 0]
    else:
        assert package is not None
        source = _find_one(package, search)
        indexes = list(variants) if variants else None
    if dest_path:
        dest = pool.get(dest_path)
        if not allow_empty and _is_empty(dest):
            raise EmptyRepositoryError(repository_label(dest))
    else:
        dest = _repository_of(source, pool)
    result = copy_package(
        source,
        dest,
        variants=indexes,
        shallow=shallow,
        dest_name=rename,
        dest_version=reversion,
        overwrite=overwrite,
        force=force,
        follow_symlinks=follow_symlinks,
        dry_run=dry_run,
        keep_timestamp=keep_timestamp,
    )
    target = dest.payload_path(rename or source.name, reversion or source.version)
    return CopyOutcome(
        source=source,
        destination=repository_label(dest),
        copied=tuple(result.copied),
        skipped=tuple(result.skipped),
        dry_run=dry_run,
        target_path=target if target is not None else dest.location,
    )


# -- mv -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MoveOutcome:
    """What :func:`move` did: ``source`` is now hidden, ``moved`` is the new package."""

    source: Package
    moved: Package
    destination: str


def repositories_containing(
    config: Config, package: str, *, index_dir: Path | None = None
) -> list[str]:
    """Labels of the ``packages_path`` repositories where ``package`` (``foo-1.2``) is
    visible, in search-path order."""
    name, version = parse_package_id(package)
    pool = _pool(config, index_dir)
    found = []
    for path in config.packages_path:
        repository = pool.get(path)
        if repository.get_package(name, version) is not None:
            found.append(repository_label(repository))
    return found


def list_repositories(config: Config, *, index_dir: Path | None = None) -> list[str]:
    """Labels of every ``packages_path`` repository, in order (existing or not)."""
    pool = _pool(config, index_dir)
    return [repository_label(pool.get(path)) for path in config.packages_path]


def move(
    config: Config,
    package: str,
    path: str,
    dest_path: str,
    *,
    keep_timestamp: bool = False,
    force: bool = False,
    index_dir: Path | None = None,
) -> MoveOutcome:
    """Move ``package`` (``foo-1.2``) from the repository ``path`` to ``dest_path``, like
    ``rez-mv``: it is copied (hidden until complete), then hidden in ``path``.

    Raises:
        PackageNotFoundError: ``package`` is not visible in ``path``.
        pkg.repositories.CopyError: it already exists in ``dest_path``, or cannot be
            copied (not relocatable, without ``force``).
    """
    name, version = parse_package_id(package)
    pool = _pool(config, index_dir)
    source_repo = pool.get(path)
    source = source_repo.get_package(name, version)
    if source is None:
        raise PackageNotFoundError(package, repository_label(source_repo))
    dest = pool.get(dest_path)
    moved = move_package(
        source, dest, keep_timestamp=keep_timestamp, force=force, source=source_repo
    )
    return MoveOutcome(source=source, moved=moved, destination=repository_label(dest))


# -- rm -------------------------------------------------------------------------------------


def remove_package(
    config: Config, package: str, path: str, *, index_dir: Path | None = None
) -> str:
    """Delete ``package`` (``foo-1.2``, hidden or not) from the repository ``path``;
    returns the repository's label.

    Raises:
        PackageNotFoundError: there is no such package in ``path``.
    """
    name, version = parse_package_id(package)
    repository = _pool(config, index_dir).get(path)
    if not repository.remove_package(name, version):
        raise PackageNotFoundError(package, repository_label(repository))
    return repository_label(repository)


def remove_family(
    config: Config,
    family: str,
    path: str,
    *,
    force: bool = False,
    index_dir: Path | None = None,
) -> str:
    """Delete the package family ``family`` from the repository ``path``; returns the
    repository's label.  The family must hold no package, hidden or not, unless ``force``.

    Raises:
        pkg.errors.UsageError: ``family`` has a version part (``foo-1``).
        FamilyNotFoundError: there is no such family in ``path``.
        pkg.errors.RepositoryError: the family is not empty (and not ``force``).
    """
    name, version = parse_package_id(family)
    if version:
        raise UsageError("Expected package name, not version")
    repository = _pool(config, index_dir).get(path)
    if not repository.remove_family(name, force=force):
        raise FamilyNotFoundError(name, repository_label(repository))
    return repository_label(repository)


@dataclass(frozen=True, slots=True)
class IgnoredRemoval:
    """What :func:`remove_ignored_since` did (or would do, in a dry run).

    Attributes:
        searched: labels of the repositories searched, in order.
        removed: (repository label, ``name-version``) of each package removed.
        dry_run: nothing was removed.
    """

    searched: tuple[str, ...]
    removed: tuple[tuple[str, str], ...]
    dry_run: bool

    @property
    def count(self) -> int:
        return len(self.removed)


def remove_ignored_since(
    config: Config,
    days: int,
    *,
    paths: Sequence[str] | None = None,
    dry_run: bool = False,
    index_dir: Path | None = None,
) -> IgnoredRemoval:
    """Delete packages hidden (ignored) for at least ``days`` days from the repositories
    ``paths`` (default: ``packages_path``), like ``rez-rm --ignored-since``.

    The age of a hidden package is the age of its ``.ignore<version>`` marker.  Only
    filesystem repositories keep such markers; other types are searched but skipped.
    """
    pool = _pool(config, index_dir)
    searched = []
    removed: list[tuple[str, str]] = []
    for path in paths or config.packages_path:
        repository = pool.get(path)
        label = repository_label(repository)
        searched.append(label)
        if not isinstance(repository, FilesystemRepository):
            continue
        names = repository.remove_ignored_since(days, dry_run=dry_run)
        removed.extend((label, name) for name in names)
    return IgnoredRemoval(searched=tuple(searched), removed=tuple(removed), dry_run=dry_run)


# -- pkg-ignore -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IgnoreOutcome:
    """What :func:`ignore` or :func:`unignore` did.

    Attributes:
        changed: True if the package's visibility changed, False if it already was
            hidden (ignore) or visible (unignore).
        repository: the repository's label.
    """

    changed: bool
    repository: str


def ignore(
    config: Config,
    package: str,
    path: str,
    *,
    allow_missing: bool = False,
    index_dir: Path | None = None,
) -> IgnoreOutcome:
    """Hide ``package`` (``foo-1.2``) in the repository ``path`` from resolves.

    Raises:
        PackageNotFoundError: the package does not exist and not ``allow_missing``.
    """
    name, version = parse_package_id(package)
    repository = _pool(config, index_dir).get(path)
    status = repository.ignore_package(name, version, allow_missing=allow_missing)
    label = repository_label(repository)
    if status < 0:
        raise PackageNotFoundError(package, label, message="Package not found")
    return IgnoreOutcome(changed=status > 0, repository=label)


def unignore(
    config: Config, package: str, path: str, *, index_dir: Path | None = None
) -> IgnoreOutcome:
    """Make a hidden ``package`` in the repository ``path`` visible again.

    A marker left for a package that does not exist is removed all the same, and
    :class:`PackageNotFoundError` is raised.
    """
    name, version = parse_package_id(package)
    repository = _pool(config, index_dir).get(path)
    status = repository.unignore_package(name, version)
    label = repository_label(repository)
    if status < 0:
        raise PackageNotFoundError(package, label, message="Package not found")
    return IgnoreOutcome(changed=status > 0, repository=label)
