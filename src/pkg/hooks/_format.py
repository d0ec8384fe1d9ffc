"""What release hooks expand ``{package.name}``-style fields with, as Rez's hooks do.

A field names an object (``system``, ``package``, ``release``, ``variants`` ...) and
attributes or keys below it.  A field that cannot be found is left as written (``{x.y}``),
and with ``pretty`` a list becomes its items joined by spaces and None the empty string.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import Config
    from pkg.hooks.base import ReleaseInfo
    from pkg.packages import Package

__all__ = ["Namespace", "PackageView", "expand", "expandvars", "load_release_package"]

_ENV_VAR = re.compile(r"\$(\w+|\{[^}]*\})")


class Namespace:
    """Read-only attribute access to a mapping, recursively (``release.path``)."""

    def __init__(self, data: Mapping[str, object]) -> None:
        self._data = dict(data)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return _wrap(self._data[name])

    def __str__(self) -> str:
        return str(self._data)


class PackageView:
    """A package's attributes for expansion: the typed ones of
    :class:`~pkg.packages.Package` (``qualified_name``, ``root``, ``requires`` ...), then
    any other attribute of its definition."""

    def __init__(self, package: Package) -> None:
        self._package = package

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return _wrap(getattr(self._package, name))
        except AttributeError:
            pass
        data = self._package.definition.data
        if name in data:
            return _wrap(data[name])
        raise AttributeError(name)

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)

    def __str__(self) -> str:
        return self._package.qualified_name


def _wrap(value: object) -> Any:
    if isinstance(value, Mapping):
        return Namespace(value)
    return value


class _Formatter(string.Formatter):
    def __init__(self, objects: Mapping[str, object], pretty: bool) -> None:
        self.objects = {key: _wrap(value) for key, value in objects.items()}
        self.pretty = pretty

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str):
            return self.objects[key]
        raise KeyError(key)

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        try:
            return super().get_field(field_name, args, kwargs)
        except (AttributeError, KeyError, TypeError, IndexError, ValueError):
            return _Unchanged(field_name), field_name

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if isinstance(value, _Unchanged):
            return value
        if self.pretty:
            if value is None:
                return ""
            if isinstance(value, list | tuple):
                return " ".join(map(str, value))
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, _Unchanged):
            return f"{{{value.field}}}"
        return super().format_field(value, format_spec)


class _Unchanged:
    """A field that could not be expanded; it is written back as it was."""

    def __init__(self, field: str) -> None:
        self.field = field


def expand(text: str, objects: Mapping[str, object], *, pretty: bool = True) -> str:
    """``text`` with its ``{object.attr}`` fields expanded from ``objects``.

    >>> expand("{release.path} {package.x} {n}", {"release": {"path": "/r"}, "n": [1, 2]})
    '/r {package.x} 1 2'
    """
    return _Formatter(objects, pretty).format(text)


def expandvars(text: str, environ: Mapping[str, str]) -> str:
    """``text`` with ``$VAR`` and ``${VAR}`` replaced from ``environ``; unknown
    variables stay as written.

    >>> expandvars("$A-${B}-$C", {"A": "1", "B": "2"})
    '1-2-$C'
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("{"):
            name = name[1:-1]
        return environ.get(name, match.group(0))

    return _ENV_VAR.sub(replace, text)


def load_release_package(info: ReleaseInfo, config: Config, *, installed: bool) -> Package | None:
    """The package a hook describes: with ``installed``, the released package in
    ``info.install_path`` if it is there, else the developer package in
    ``info.source_path``; None if neither can be read."""
    from pkg.errors import PkgError
    from pkg.packages import Package, RepositoryRef, find_definition_file, load_definition

    candidates: list[tuple[Path, RepositoryRef | None]] = []
    if installed and info.install_path:
        released = Path(info.install_path, info.package_name, info.version)
        candidates.append((released, RepositoryRef("filesystem", info.install_path)))
    candidates.append((Path(info.source_path), None))
    for directory, repository in candidates:
        path = find_definition_file(directory, config) if directory.is_dir() else None
        if path is None:
            continue
        try:
            definition = load_definition(path, config=config)
        except PkgError:
            continue
        return Package(definition, repository, config=config)
    return None


def current_user() -> str:
    """The login name of the user running pkg."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "")
