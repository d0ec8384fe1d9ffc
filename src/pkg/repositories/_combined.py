"""Read-only support for Rez's deprecated "combined" families: ``<repo>/<family>.py`` (or
``.yaml``) holding every version in one file::

    name = "multi"
    versions = ["1.0", "1.1"]
    with scope("version_overrides"):
        with scope("1.1+"):
            tools = ["twerk"]

Each listed version becomes a package with the file's attributes, updated by every
``version_overrides`` entry whose range contains the version.  Without ``versions`` the
file is one unversioned package.  Such packages have no base directory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.core import Version, VersionRange
from pkg.errors import PackageDefinitionError, VersionError
from pkg.packages import PackageDefinition

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["expand_combined"]


def expand_combined(definition: PackageDefinition) -> list[tuple[Version, PackageDefinition]]:
    """One definition per version of a combined family, lowest version first."""
    data = dict(definition.data)
    versions = data.pop("versions", None)
    if versions is None:
        return [(Version(""), definition)]
    overrides = data.pop("version_overrides", None) or {}
    found: list[tuple[Version, PackageDefinition]] = []
    try:
        ranges = [(VersionRange(str(key)), value) for key, value in _items(overrides)]
        for text in versions if isinstance(versions, list) else []:
            version = Version(str(text))
            one = dict(data, version=str(text))
            for range_, extra in ranges:
                if version in range_ and isinstance(extra, dict):
                    one.update(extra)
            found.append((version, PackageDefinition(one, definition.filepath, definition.format)))
    except VersionError as error:
        raise PackageDefinitionError(
            f"invalid version in a combined family: {error.source!r}",
            filepath=definition.filepath,
            attribute="versions",
        ) from error
    found.sort(key=lambda item: item[0])
    return found


def _items(value: object) -> list[tuple[object, object]]:
    if not isinstance(value, dict):
        return []
    mapping: Mapping[object, object] = value
    return list(mapping.items())
