"""The :class:`Repository` protocol: what the resolver, the CLI and ``cp``/``mv``/``rm`` need
from a package repository, whatever stores it.

Reading never stops at a bad package: a definition that fails to load is skipped and its
:class:`~pkg.errors.PackageDefinitionError` is appended to the ``errors`` list the caller
passes (and to :attr:`Repository.load_errors`), so one broken ``package.py`` never hides
the rest of a listing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeAlias, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from pkg.core import Version
    from pkg.errors import PackageDefinitionError
    from pkg.packages import Package, RepositoryRef, Variant

__all__ = ["REMOVE", "InstallResult", "PayloadWriter", "Repository"]

#: Writes a variant's payload: called with the (possibly staged) package directory and the
#: directory the variant's files go to (the same directory for a package without variants).
PayloadWriter: TypeAlias = Callable[[Path, Path], None]


class _Remove:
    """Sentinel type of :data:`REMOVE`."""

    _instance: _Remove | None = None

    def __new__(cls) -> _Remove:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "REMOVE"


#: An override value that deletes the attribute from an installed package.
REMOVE = _Remove()


@dataclass(frozen=True, slots=True)
class InstallResult:
    """What :meth:`Repository.install_variant` did.

    Attributes:
        variant: the installed (or, for a dry run, already existing) variant, or None.
        existed: True if an equivalent variant was already installed.
    """

    variant: Variant | None
    existed: bool = False


@runtime_checkable
class Repository(Protocol):
    """A package repository.

    Families and versions are listed in a stable order: families by name, versions from
    lowest to highest.  Versions hidden by ``.ignore<version>`` are not listed.
    """

    @property
    def type_name(self) -> str:
        """The plugin name: ``"filesystem"``, ``"memory"``."""
        ...

    @property
    def location(self) -> str:
        """Where the repository is (a normalised path for the filesystem type)."""
        ...

    @property
    def ref(self) -> RepositoryRef:
        """What packages of this repository point back to."""
        ...

    @property
    def uid(self) -> str:
        """A stable identity for caches: same repository, same ``uid``."""
        ...

    @property
    def load_errors(self) -> Sequence[PackageDefinitionError]:
        """Every definition error met while reading, most recent last."""
        ...

    def iter_family_names(self) -> Iterator[str]:
        """Names of the package families, sorted."""
        ...

    def has_family(self, family: str) -> bool:
        """True if the family exists (even with no visible version)."""
        ...

    def iter_versions(self, family: str) -> Iterator[Version]:
        """Visible versions of ``family``, lowest first, without loading definitions where
        the repository can avoid it.  An unversioned package gives ``Version("")``."""
        ...

    def iter_packages(
        self, family: str, *, errors: list[PackageDefinitionError] | None = None
    ) -> Iterator[Package]:
        """Packages of ``family``, lowest version first; failures go to ``errors``."""
        ...

    def get_package(self, family: str, version: Version | str) -> Package | None:
        """The package ``family``-``version``, or None (also None if it is ignored)."""
        ...

    def iter_variants(self, package: Package) -> Iterator[Variant]:
        """The variants of ``package`` (one, index None, if it has no variants)."""
        ...

    def ignore_package(
        self, family: str, version: Version | str, *, allow_missing: bool = False
    ) -> int:
        """Hide a version.  Returns -1 if it does not exist (and not ``allow_missing``),
        0 if it was already hidden, 1 if it is hidden now."""
        ...

    def unignore_package(self, family: str, version: Version | str) -> int:
        """Show a hidden version again.  -1: no such package; 0: it was not hidden; 1: done."""
        ...

    def remove_package(self, family: str, version: Version | str) -> bool:
        """Delete a package (hidden first, so it never appears half-deleted)."""
        ...

    def remove_family(self, family: str, *, force: bool = False) -> bool:
        """Delete a family; it must hold no package unless ``force``.  Raises
        RepositoryError for a non-empty family."""
        ...

    def payload_path(self, family: str, version: Version | str | None) -> str | None:
        """Where the payload of a package goes, or None if this type has no payload."""
        ...

    def install_variant(
        self,
        variant: Variant,
        *,
        overrides: Mapping[str, object] | None = None,
        dry_run: bool = False,
        payload: PayloadWriter | None = None,
    ) -> InstallResult:
        """Add ``variant`` (of a package of any repository) to this repository's definition
        of that package, creating it if needed (the payload is copied separately).

        ``overrides`` replaces attributes (``name``/``version`` rename or re-version the
        target; :data:`REMOVE` deletes one).  A dry run changes nothing and returns the
        equivalent already installed variant, if any.  ``payload`` writes the variant's
        files; a repository without payloads (memory) ignores it.  Either the whole variant
        (files and definition) appears, or nothing does.
        """
        ...

    def clear_caches(self) -> None:
        """Forget in-process caches (on-disk indexes stay, being self-validating)."""
        ...
