"""Copying and moving packages between repositories (``pkg cp``, ``pkg mv``).

Rez's semantics (``rez-cp``/``rez-mv``): a package, or some of its variants, is copied
into another repository, optionally renamed and/or re-versioned; variants already in the
destination are skipped unless ``overwrite``; a ``shallow`` copy symlinks the payload
instead of copying it; the copy gets a new timestamp unless ``keep_timestamp``.  A
non-relocatable package is refused unless ``force``.

Each variant is installed atomically (see :mod:`pkg.repositories._fsinstall`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.errors import RepositoryError
from pkg.packages import INCLUDE_SUBPATH, is_relocatable
from pkg.repositories._fsinstall import plain_subpath

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pkg.core import Version
    from pkg.packages import Package, Variant
    from pkg.repositories.base import PayloadWriter, Repository

__all__ = ["CopyError", "CopyResult", "copy_package", "move_package"]


class CopyError(RepositoryError):
    """A package cannot be copied or moved."""


@dataclass(slots=True)
class CopyResult:
    """``copied`` and ``skipped`` hold (source variant, destination variant) pairs; in a dry
    run the destination of a copied variant is None."""

    copied: list[tuple[Variant, Variant | None]] = field(default_factory=list)
    skipped: list[tuple[Variant, Variant]] = field(default_factory=list)


def _is_relocatable(package: Package) -> bool:
    config = package._config
    return config is not None and is_relocatable(package, config)


def copy_package(
    package: Package,
    dest: Repository,
    *,
    variants: Sequence[int] | None = None,
    shallow: bool = False,
    dest_name: str | None = None,
    dest_version: Version | str | None = None,
    overwrite: bool = False,
    force: bool = False,
    follow_symlinks: bool = False,
    dry_run: bool = False,
    keep_timestamp: bool = False,
    skip_payload: bool = False,
    overrides: Mapping[str, object] | None = None,
) -> CopyResult:
    """Copy ``package`` (all its variants, or the ``variants`` indexes) into ``dest``.

    Raises:
        CopyError: the package is not relocatable (and not ``force``), it would be copied
            onto itself, a variant index does not exist, or a variant has no payload.
    """
    result = CopyResult()
    if not force and not skip_payload and not _is_relocatable(package):
        raise CopyError(f"cannot copy non-relocatable package: {package.uri}")
    if (
        package.repository == dest.ref
        and dest_name in (None, package.name)
        and (dest_version is None or str(dest_version) == str(package.version))
    ):
        raise CopyError(f"cannot copy package over itself: {package.uri}")
    all_variants = list(package.iter_variants())
    if variants is not None:
        count = max(package.num_variants, 1)
        bad = [i for i in variants if not -count <= i < count]
        if bad:
            raise CopyError(
                f"{package.qualified_name} has no variant(s) {', '.join(map(str, bad))}"
            )
        wanted = {i % count for i in variants}
        all_variants = [v for v in all_variants if (v.index or 0) in wanted]
    changes: dict[str, object] = dict(overrides or {})
    if dest_name:
        changes["name"] = dest_name
    if dest_version:
        changes["version"] = str(dest_version)
    todo = []
    for variant in all_variants:
        existing = dest.install_variant(variant, overrides=changes, dry_run=True).variant
        if existing is not None and not overwrite:
            result.skipped.append((variant, existing))
        else:
            todo.append(variant)
    for variant in todo:
        if dry_run:
            result.copied.append((variant, None))
            continue
        writer = None
        if not skip_payload and dest.payload_path(package.name, None) is not None:
            writer = _payload_writer(variant, shallow=shallow, follow_symlinks=follow_symlinks)
        step = dict(changes)
        if not keep_timestamp and "timestamp" not in step:
            step["timestamp"] = int(time.time())
        installed = dest.install_variant(variant, overrides=step, payload=writer)
        result.copied.append((variant, installed.variant))
    return result


def _payload_writer(variant: Variant, *, shallow: bool, follow_symlinks: bool) -> PayloadWriter:
    root = variant.root
    package = variant.package
    if not root:
        raise CopyError(f"cannot copy {variant.uri}: it has no payload directory")
    if not os.path.isdir(root):
        raise CopyError(f"cannot copy {variant.uri}: its root {root} is not on disk")
    skip = set(_overlapping_dirs(variant))
    if variant.index is None or package.hashed_variants:
        skip |= {f"package.{ext}" for ext in ("py", "yaml")}
    source_base = package.base

    def write(package_dir: Path, variant_dir: Path) -> None:
        for name in sorted(os.listdir(root)):
            if name in skip or (variant.index is None and name == ".rez"):
                continue
            source = os.path.join(root, name)
            target = variant_dir / name
            if shallow and not os.path.islink(source):
                os.symlink(source, target)
            elif os.path.isdir(source) and (follow_symlinks or not os.path.islink(source)):
                shutil.copytree(source, target, symlinks=not follow_symlinks)
            else:
                shutil.copy2(source, target, follow_symlinks=follow_symlinks)
        if source_base:
            includes = Path(source_base) / INCLUDE_SUBPATH
            if includes.is_dir():
                shutil.copytree(includes, package_dir / INCLUDE_SUBPATH, dirs_exist_ok=True)
            with contextlib.suppress(OSError):
                shutil.copystat(source_base, package_dir)

    return write


def _overlapping_dirs(variant: Variant) -> list[str]:
    """Top directories of other variants nested under this variant's root (not copied)."""
    package = variant.package
    if variant.index is None or package.hashed_variants:
        return []
    mine = plain_subpath(variant, False) or ""
    found = set()
    for other in package.iter_variants():
        theirs = plain_subpath(other, False) or ""
        if other.index != variant.index and theirs.startswith(mine + os.sep):
            found.add(os.path.relpath(theirs, mine).split(os.sep)[0])
    return sorted(found)


def move_package(
    package: Package,
    dest: Repository,
    *,
    keep_timestamp: bool = False,
    force: bool = False,
    source: Repository | None = None,
) -> Package:
    """Move ``package`` to ``dest``: copy it hidden, show it, then hide the source.

    ``source`` is the package's repository; by default a filesystem repository is
    opened at the package's location (a memory package's source must be given).

    Raises:
        CopyError: the package already exists in ``dest`` or cannot be copied.
    """
    if dest.get_package(package.name, package.version) is not None:
        raise CopyError(f"package already exists at destination: {package.qualified_name}")
    source = source or _source_repository(package, dest)
    dest.ignore_package(package.name, package.version, allow_missing=True)
    try:
        result = copy_package(package, dest, force=force, keep_timestamp=keep_timestamp)
    finally:
        dest.unignore_package(package.name, package.version)
    if source is not None:
        source.ignore_package(package.name, package.version)
    moved = dest.get_package(package.name, package.version)
    if moved is None or not result.copied:
        raise CopyError(f"{package.qualified_name} was not copied to {dest.location}")
    return moved


def _source_repository(package: Package, dest: Repository) -> Repository | None:
    ref = package.repository
    if ref is None:
        return None
    if ref.type_name == "filesystem":
        from pkg.repositories.filesystem import FilesystemRepository

        config = package._config
        return FilesystemRepository(ref.location, config, use_index=False)
    return dest if dest.ref == ref else None
