"""Writing a :class:`~pkg.bind._base.BoundPackage` into a filesystem repository.

The package goes through :meth:`FilesystemRepository.install_variant`, so it is staged,
renamed into place atomically and written under the family's lock: a bind that fails
(while writing its payload, say) leaves the repository as it was.  A variant that is
already installed is skipped, as ``rez-bind`` does, and its payload is not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg.packages import Package, PackageDefinition, RepositoryRef, Variant

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.bind._base import BoundPackage
    from pkg.repositories import FilesystemRepository

__all__ = ["WriteResult", "write_bound"]

#: Where the in-memory package of a bind says it comes from.
_SOURCE = RepositoryRef("memory", "bind")


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What :func:`write_bound` did.

    Attributes:
        variant: the variant as installed now (the existing one when skipped).
        skipped: True if an equivalent variant was already installed (nothing written).
    """

    variant: Variant
    skipped: bool


def source_variant(bound: BoundPackage) -> Variant:
    """The variant of ``bound``, as a package held in memory."""
    data: dict[str, object] = {"name": bound.name, "version": str(bound.version), **bound.data}
    package = Package(PackageDefinition(data, "", "py"), _SOURCE)
    return Variant(package, 0 if data.get("variants") else None)


def write_bound(bound: BoundPackage, repository: FilesystemRepository) -> WriteResult:
    """Install ``bound`` into ``repository`` unless an equivalent variant is there already.

    Raises:
        pkg.errors.RepositoryError: the existing package cannot take this variant
            (it has variants and this one has none, say), or the write failed.
        OSError: writing the payload failed (nothing was installed).
    """
    variant = source_variant(bound)
    existing = repository.install_variant(variant, dry_run=True).variant
    if existing is not None:
        return WriteResult(existing, skipped=True)
    write = bound.payload

    def payload(_package_dir: Path, root: Path) -> None:
        if write is not None:
            write(root)

    result = repository.install_variant(variant, payload=payload)
    assert result.variant is not None
    return WriteResult(result.variant, skipped=result.existed)
