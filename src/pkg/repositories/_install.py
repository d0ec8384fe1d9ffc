"""Merging a variant into a repository's package definition, as Rez's installs do.

This is the storage-independent half of :meth:`Repository.install_variant`: given the
variant to install and the package already in the target repository (if any), compute
the definition to store and which variant index the new variant gets.  Repositories then
persist the result their own way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg.core import Requirement, Version
from pkg.errors import RepositoryError
from pkg.packages import RELEASE_KEYS, SourceCode
from pkg.repositories.base import REMOVE

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pkg.packages import Package, Variant

__all__ = [
    "BUILD_ONLY_KEYS",
    "RELEASE_KEYS",
    "InstallPlan",
    "existing_variants",
    "plan_install",
    "raw_variant",
    "target_of",
]

#: Attributes that only matter while building; never installed.
BUILD_ONLY_KEYS = (
    "requires_rez_version",
    "build_system",
    "build_command",
    "preprocess",
    "pre_build_commands",
)
#: Version of the installed definition format, as Rez writes it.
FORMAT_VERSION = 2


@dataclass(frozen=True, slots=True)
class InstallPlan:
    """What to store.

    Attributes:
        name, version: the target package.
        data: the full definition to write.
        index: the index of the installed variant (None without variants).
        existing_index: the index of an equivalent variant already installed, else None
            (for a package without variants: 0 if the package exists).
        package_changed: True if the existing package's attributes differ from the new.
        existed: True if the target package already existed.
    """

    name: str
    version: Version
    data: dict[str, object]
    index: int | None
    existing_index: int | None
    package_changed: bool
    existed: bool


def target_of(variant: Variant, overrides: Mapping[str, object]) -> tuple[str, Version]:
    """The name and version ``variant`` is installed as, after ``overrides``."""
    name = overrides.get("name") or variant.name
    version = overrides.get("version") or variant.version
    if name is REMOVE or version is REMOVE:
        raise RepositoryError("the 'name' and 'version' attributes cannot be removed")
    return str(name), version if isinstance(version, Version) else Version(str(version))


def _requires_strs(requires: object) -> list[str]:
    return [str(item) for item in requires] if isinstance(requires, list | tuple) else []


def plan_install(
    variant: Variant,
    existing: Package | None,
    overrides: Mapping[str, object],
    *,
    allow_unversioned: bool = True,
) -> InstallPlan:
    """Merge ``variant`` into ``existing`` (the target repository's package, or None).

    Raises:
        RepositoryError: the packages differ in uuid, one has variants and the other
            not, or the target is unversioned while that is not allowed.
    """
    name, version = target_of(variant, overrides)
    if not version and not allow_unversioned:
        raise RepositoryError("unversioned packages are not allowed by the configuration")
    new_data = dict(variant.package.definition.data)
    for key in ("variants", "base", *BUILD_ONLY_KEYS):
        new_data.pop(key, None)
    new_data["name"] = name
    if version:
        new_data["version"] = str(version)
    else:
        new_data.pop("version", None)

    package_changed = False
    existing_index: int | None = None
    if existing is not None:
        data, package_changed, existing_index = _merge(variant, existing, new_data)
    else:
        data = new_data

    index: int | None = None
    if variant.index is not None:
        if existing_index is not None:
            index = existing_index
        else:
            variants = existing_variants(data)
            variants.append(raw_variant(variant))
            data["variants"] = variants
            index = len(variants) - 1
    for key, value in overrides.items():
        if key in ("name", "version"):
            continue
        if existing is not None:
            data.setdefault(key, value)
        elif value is REMOVE:
            data.pop(key, None)
        else:
            data[key] = value
    if not data.get("timestamp"):
        data["timestamp"] = int(time.time())
    data["format_version"] = FORMAT_VERSION
    return InstallPlan(
        name, version, data, index, existing_index, package_changed, existing is not None
    )


def _merge(
    variant: Variant, existing: Package, new_data: dict[str, object]
) -> tuple[dict[str, object], bool, int | None]:
    """(data to store, package attributes changed?, index of the equivalent variant)."""
    uuids = {variant.package.uuid, existing.uuid} - {None}
    if len(uuids) > 1:
        raise RepositoryError(
            f"cannot install {variant.qualified_name} into {existing.uri}: the packages "
            "are not the same (uuid mismatch)"
        )
    if variant.index is None and existing.num_variants:
        raise RepositoryError(
            f"cannot install {variant.qualified_name} (no variants) into {existing.uri}, "
            "which has variants"
        )
    if variant.index is not None and not existing.num_variants:
        raise RepositoryError(
            f"cannot install variant {variant.qualified_name} into {existing.uri}, "
            "which has no variants"
        )
    old_data = dict(existing.definition.data)
    for key in BUILD_ONLY_KEYS:
        old_data.pop(key, None)
    left, right = dict(old_data), dict(new_data)
    release: dict[str, object] = {}
    for key in RELEASE_KEYS:
        right.pop(key, None)
        value = left.pop(key, None)
        if value is not None:
            release[key] = value
    for key in ("format_version", "base", "variants"):
        left.pop(key, None)
        right.pop(key, None)
    changed = _comparable(left) != _comparable(right)
    existing_index: int | None = None
    if variant.index is None:
        existing_index = 0
    else:
        wanted = _normalised(raw_variant(variant))
        for index, requires in enumerate(existing_variants(old_data)):
            if _normalised(requires) == wanted:
                existing_index = index
    if changed:
        data = new_data
        if variant.index is not None:
            data["variants"] = existing_variants(old_data)
    else:
        data = old_data
    data.update(release)
    return data, changed, existing_index


def _comparable(value: object) -> object:
    """``value`` with functions compared by their code only (not where they were read)."""
    if isinstance(value, SourceCode):
        return ("<code>", value.source, value.decorator, value.includes)
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_comparable(v) for v in value]
    return value


def raw_variant(variant: Variant) -> list[str]:
    """The requests of ``variant`` as written in its package's ``variants``."""
    value = variant.package.definition.data.get("variants")
    if variant.index is None or not isinstance(value, list | tuple):
        return []
    return _requires_strs(value[variant.index])


def _normalised(requires: list[str]) -> list[str]:
    return [str(Requirement(item)) for item in requires]


def existing_variants(data: Mapping[str, object]) -> list[list[str]]:
    """The ``variants`` of definition ``data``, as lists of request strings."""
    value = data.get("variants")
    if not isinstance(value, list | tuple):
        return []
    return [_requires_strs(item) for item in value]
