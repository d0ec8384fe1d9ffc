"""Installing a variant into a :class:`~pkg.repositories.filesystem.FilesystemRepository`.

Everything happens under the family's write lock, and every step is atomic:

* a new package version is assembled in a hidden staging directory (payload, variant
  shortlinks, ``package.py``) and renamed into place in one step;
* a variant added to an existing package gets its payload staged next to its final
  directory and renamed into place, then the new ``package.py`` replaces the old one
  atomically;
* if anything fails, the staging directory is deleted and the repository is unchanged.

:func:`publish_staged` publishes several variants at once (``pkg release``): their
payloads were staged beforehand in one hidden directory of the repository, and are
renamed into place together under the family's lock, with one write of ``package.py``.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

from pkg.errors import RepositoryError
from pkg.packages import (
    INCLUDE_SUBPATH,
    Package,
    Variant,
    load_definition,
    variant_hash,
    write_package_py,
)
from pkg.repositories._atomic import delete_path, remove_tree, staging_dir, temp_sibling
from pkg.repositories._install import (
    InstallPlan,
    existing_variants,
    plan_install,
    raw_variant,
    target_of,
)
from pkg.repositories._layout import BUILDING_PREFIX, find_definition
from pkg.repositories.base import InstallResult

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from pkg.core import Version
    from pkg.repositories.base import PayloadWriter
    from pkg.repositories.filesystem import FilesystemRepository

__all__ = [
    "ReleaseConflictError",
    "install_variant",
    "plain_subpath",
    "publish_staged",
    "shortlink",
]


class ReleaseConflictError(RepositoryError):
    """A variant about to be published is in the repository already: another release of
    the same package won the race.  Nothing was published."""


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


def publish_staged(
    repo: FilesystemRepository,
    variants: Sequence[Variant],
    stage: Path,
    overrides: Mapping[str, object],
) -> list[Variant]:
    """Publish ``variants`` of one package, whose payloads are staged in ``stage``,
    together: all of them or none.

    ``stage`` is a hidden directory of the repository (so that renames out of it stay on
    one file system) laid out like the package's directory: each variant's payload at its
    subpath (the stage itself for a package without variants), ``@include`` modules in
    ``.rez/include``.  Under the family's lock:

    * a version not in the repository yet gets ``package.py`` written into the stage,
      which is then renamed to the version's directory: one atomic step;
    * a version already there gets each variant's payload renamed into place, then its
      ``package.py`` replaced atomically by one listing the new variants (readers see the
      new variants only once that file is replaced).

    ``overrides`` are attributes stored with the package (the release data).  The stage
    is consumed on success; on failure it is left for the caller to delete.

    Returns:
        The published variants, read back from the repository.

    Raises:
        ReleaseConflictError: one of ``variants`` is in the repository already.
        RepositoryError: the variants do not fit the package already there (uuid,
            variants), or a write failed (nothing was published).
    """
    if not variants:
        return []
    name, version = target_of(variants[0], overrides)
    with repo.lock_family(name):
        existing = existing_package(repo, name, version)
        data, indices = _release_data(repo, variants, existing, overrides)
        package_dir = _package_dir(repo, name, version)
        hashed = bool(data.get("hashed_variants"))
        subpaths = [plain_subpath(variant, hashed) for variant in variants]
        filename = repo.settings.filenames[0]
        if existing is None:
            _publish_new(repo, stage, package_dir, subpaths if hashed else [], data, filename)
        else:
            _publish_into(repo, stage, package_dir, subpaths, hashed, data, filename)
        if version:
            with contextlib.suppress(OSError):
                (repo.root / name / f"{BUILDING_PREFIX}{version}").unlink()
        repo.changed(name)
    package = existing_package(repo, name, version)
    assert package is not None
    return [Variant(package, index) for index in indices]


def _release_data(
    repo: FilesystemRepository,
    variants: Sequence[Variant],
    existing: Package | None,
    overrides: Mapping[str, object],
) -> tuple[dict[str, object], list[int | None]]:
    """The definition listing ``variants`` (merged into ``existing``) and their indices."""
    allow = repo.settings.allow_unversioned
    plans = [plan_install(v, existing, overrides, allow_unversioned=allow) for v in variants]
    if existing is not None:
        taken = [
            ("the package" if v.index is None else f"variant {v.index}", plan.package_changed)
            for v, plan in zip(variants, plans, strict=True)
            if plan.existing_index is not None
        ]
        if taken:
            name = variants[0].package.qualified_name
            which = ", ".join(label for label, _changed in taken)
            if any(changed for _label, changed in taken):
                raise ReleaseConflictError(
                    f"{name} is released in {repo.location} already, with other attributes "
                    f"({which}); release a new version; nothing was published"
                )
            raise ReleaseConflictError(
                f"{name} was released to {repo.location} while this release ran "
                f"({which} already there); nothing was published"
            )
    data = plans[0].data
    indices = [plans[0].index]
    for variant in variants[1:]:
        listed = existing_variants(data)
        listed.append(raw_variant(variant))
        data["variants"] = listed
        indices.append(len(listed) - 1)
    return data, indices


def _publish_new(
    repo: FilesystemRepository,
    stage: Path,
    package_dir: Path,
    hashed_subpaths: Sequence[str | None],
    data: Mapping[str, object],
    filename: str,
) -> None:
    for subpath in hashed_subpaths:
        if subpath:
            shortlink(repo, stage, subpath)
    write_package_py(stage / filename, data)
    family_dir = repo.root / str(data["name"])
    created_family = not family_dir.exists()
    family_dir.mkdir(parents=True, exist_ok=True)
    try:
        if package_dir.exists():
            # A directory created ahead of time (by a build) with no definition yet.
            _swap(stage, package_dir)
        else:
            os.rename(stage, package_dir)
    except BaseException:
        if created_family:
            with contextlib.suppress(OSError):
                family_dir.rmdir()
        raise


def _publish_into(
    repo: FilesystemRepository,
    stage: Path,
    package_dir: Path,
    subpaths: Sequence[str | None],
    hashed: bool,
    data: Mapping[str, object],
    filename: str,
) -> None:
    for subpath in subpaths:
        if not subpath:
            continue
        target = package_dir / subpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            remove_tree(target)  # a leftover payload no definition lists
        os.rename(stage / subpath, target)
        if hashed:
            shortlink(repo, package_dir, subpath)
    includes = stage / INCLUDE_SUBPATH
    if includes.is_dir():
        (package_dir / INCLUDE_SUBPATH).mkdir(parents=True, exist_ok=True)
        for entry in os.listdir(includes):
            os.replace(includes / entry, package_dir / INCLUDE_SUBPATH / entry)
    write_package_py(package_dir / filename, data)
    for other in repo.settings.filenames:
        if other != filename:
            with contextlib.suppress(OSError):
                (package_dir / other).unlink()
    with contextlib.suppress(OSError):
        delete_path(stage)


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
