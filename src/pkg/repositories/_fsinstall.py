"""Installing a variant into a :class:`~pkg.repositories.filesystem.FilesystemRepository`.

Everything happens under the family's write lock, and every step is atomic:

* a new package version is assembled in a hidden staging directory (payload, variant
  shortlinks, ``package.py``) and renamed into place in one step;
* a variant added to an existing package gets its payload staged next to its final
  directory and renamed into place, then the new ``package.py`` replaces the old one
  atomically;
* if anything fails, the staging directory is deleted and the repository is unchanged.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

from pkg.packages import Package, Variant, load_definition, variant_hash, write_package_py
from pkg.repositories._atomic import remove_tree, staging_dir, temp_sibling
from pkg.repositories._install import InstallPlan, plan_install, target_of
from pkg.repositories._layout import BUILDING_PREFIX, find_definition
from pkg.repositories.base import InstallResult

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.core import Version
    from pkg.repositories.base import PayloadWriter
    from pkg.repositories.filesystem import FilesystemRepository

__all__ = ["install_variant", "plain_subpath", "shortlink"]


def plain_subpath(variant: Variant, hashed: bool) -> str | None:
    """The variant's directory under its package, ignoring shortlinks."""
    if variant.index is None:
        return None
    if hashed:
        return variant_hash(variant.variant_requires)
    return os.path.join(*(r.safe_str() for r in variant.variant_requires))


def _package_dir(repo: FilesystemRepository, name: str, version: Version) -> Path:
    return repo.root / name / str(version) if version else repo.root / name


def existing_package(repo: FilesystemRepository, name: str, version: Version) -> Package | None:
    """The package as stored now, even if hidden by ``.ignore``; None if absent."""
    directory = _package_dir(repo, name, version)
    filename = find_definition(directory, repo.settings.filenames)
    if filename is None:
        return None
    definition = load_definition(directory / filename, config=repo.config)
    return Package(definition, repo.ref, config=repo.config)


def install_variant(
    repo: FilesystemRepository,
    variant: Variant,
    overrides: dict[str, object],
    *,
    dry_run: bool,
    payload: PayloadWriter | None,
) -> InstallResult:
    name, version = target_of(variant, overrides)
    if variant.package.repository == repo.ref and (name, version) == (
        variant.name,
        variant.version,
    ):
        return InstallResult(variant, existed=True)
    allow = repo.settings.allow_unversioned
    if dry_run:
        existing = existing_package(repo, name, version)
        plan = plan_install(variant, existing, overrides, allow_unversioned=allow)
        if existing is not None and plan.existing_index is not None and not plan.package_changed:
            index = None if variant.index is None else plan.existing_index
            return InstallResult(Variant(existing, index), existed=True)
        return InstallResult(None)
    with repo.lock_family(name):
        existing = existing_package(repo, name, version)
        plan = plan_install(variant, existing, overrides, allow_unversioned=allow)
        _write(repo, plan, variant, payload)
        repo.changed(name)
    package = existing_package(repo, name, version)
    assert package is not None
    return InstallResult(Variant(package, plan.index), existed=plan.existing_index is not None)


def _write(
    repo: FilesystemRepository,
    plan: InstallPlan,
    variant: Variant,
    payload: PayloadWriter | None,
) -> None:
    family_dir = repo.root / plan.name
    created_family = not family_dir.exists()
    family_dir.mkdir(parents=True, exist_ok=True)
    package_dir = _package_dir(repo, plan.name, plan.version)
    hashed = bool(plan.data.get("hashed_variants"))
    subpath = plain_subpath(variant, hashed)
    filename = repo.settings.filenames[0]
    try:
        if plan.version and not find_definition(package_dir, repo.settings.filenames):
            _write_new(repo, plan, package_dir, subpath, hashed, payload, filename)
        else:
            _write_into(repo, plan, package_dir, subpath, hashed, payload, filename)
    except BaseException:
        if created_family:
            with contextlib.suppress(OSError):
                family_dir.rmdir()
        raise
    if plan.version:
        with contextlib.suppress(OSError):
            (family_dir / f"{BUILDING_PREFIX}{plan.version}").unlink()


def _write_new(
    repo: FilesystemRepository,
    plan: InstallPlan,
    package_dir: Path,
    subpath: str | None,
    hashed: bool,
    payload: PayloadWriter | None,
    filename: str,
) -> None:
    with staging_dir(package_dir) as stage:
        variant_dir = stage / subpath if subpath else stage
        variant_dir.mkdir(parents=True, exist_ok=True)
        if payload is not None:
            payload(stage, variant_dir)
        if hashed and subpath:
            shortlink(repo, stage, subpath)
        write_package_py(stage / filename, plan.data)
        if package_dir.exists():
            # A directory created ahead of time (by a build) with no definition yet.
            _swap(stage, package_dir)
        else:
            os.rename(stage, package_dir)


def _write_into(
    repo: FilesystemRepository,
    plan: InstallPlan,
    package_dir: Path,
    subpath: str | None,
    hashed: bool,
    payload: PayloadWriter | None,
    filename: str,
) -> None:
    if payload is not None and subpath:
        target = package_dir / subpath
        target.parent.mkdir(parents=True, exist_ok=True)
        with staging_dir(target) as stage:
            payload(package_dir, stage)
            if target.exists() or target.is_symlink():
                remove_tree(target)
            os.rename(stage, target)
    elif payload is not None and plan.version:
        # A package without variants replaced as a whole.
        with staging_dir(package_dir) as stage:
            payload(stage, stage)
            write_package_py(stage / filename, plan.data)
            _swap(stage, package_dir)
        return
    if hashed and subpath:
        shortlink(repo, package_dir, subpath)
    write_package_py(package_dir / filename, plan.data)
    for other in repo.settings.filenames:
        if other != filename:
            with contextlib.suppress(OSError):
                (package_dir / other).unlink()


def _swap(new: Path, old: Path) -> None:
    """Replace directory ``old`` by ``new`` (briefly absent, never partial)."""
    trash = temp_sibling(old, f"trash-{old.name}")
    os.rename(old, trash)
    try:
        os.rename(new, old)
    except BaseException:
        os.rename(trash, old)
        raise
    remove_tree(trash)


def _base26_key(name: str) -> tuple[int, str]:
    return (len(name), name)


def _next_base26(previous: str | None) -> str:
    if not previous:
        return "a"
    if not previous.endswith("z"):
        return previous[:-1] + chr(ord(previous[-1]) + 1)
    return _next_base26(previous[:-1]) + "a"


def shortlink(repo: FilesystemRepository, package_dir: Path, subpath: str) -> str | None:
    """Create (or find) the ``_v/<letters>`` symlink to a hashed variant's directory.

    Returns the link's subpath, or None when shortlinks are disabled.  A link is a
    relative symlink (``../<hash>``), so the package stays relocatable.
    """
    dirname = repo.config.variant_shortlinks_dirname
    if not dirname:
        return None
    links = package_dir / dirname
    links.mkdir(exist_ok=True)
    source = os.path.join(os.pardir, subpath)
    for _attempt in range(20):
        names = [n for n in os.listdir(links) if os.path.islink(links / n)]
        for link in names:
            if os.path.normpath(os.path.join(links, os.readlink(links / link))) == os.path.normpath(
                package_dir / subpath
            ):
                return os.path.join(dirname, link)
        candidate = _next_base26(max(names, key=_base26_key) if names else None)
        try:
            os.symlink(source, links / candidate)
        except FileExistsError:
            continue
        return os.path.join(dirname, candidate)
    return None
