"""``pkg view``: the contents of the latest package matching a request, like ``rez-view``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pkg.core import Requirement
from pkg.packages import KEY_ORDER, RELEASE_KEYS, SourceCode, dump_package_py
from pkg.repositories import PackageSearchPath

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import Config
    from pkg.packages import Package

__all__ = ["find_package", "package_items", "plain", "render_py", "yaml_to_py"]


def find_package(
    request: str, config: Config, *, paths: Sequence[str] | None = None
) -> Package | None:
    """The latest package matching ``request`` (``foo``, ``foo-1.2``), or None."""
    req = Requirement(request)
    search_path = PackageSearchPath.from_paths(paths, config)
    packages = sorted(search_path.iter_packages(req.name, req.range), key=lambda p: p.version)
    return packages[-1] if packages else None


def package_items(package: Package, *, include_release: bool = False) -> list[tuple[str, object]]:
    """The package's attributes in Rez's display order, then ``base``; ``None`` left out."""
    data = dict(package.data)
    skip = set() if include_release else set(RELEASE_KEYS)
    items: list[tuple[str, object]] = []
    for key in KEY_ORDER:
        value = data.pop(key, None)
        if value is not None and key not in skip:
            items.append((key, value))
    items.extend((k, v) for k, v in data.items() if v is not None and k not in skip)
    if package.base:
        items.append(("base", package.base))
    return items


def plain(value: object) -> object:
    """A value with code reduced to its text, for YAML output."""
    if isinstance(value, SourceCode):
        return value.body().rstrip()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def render_py(items: list[tuple[str, object]]) -> str:
    """The items as ``package.py`` source."""
    return dump_package_py(dict(items)).rstrip("\n")


Format = Literal["py", "yaml"]


def yaml_to_py(directory: str) -> str | None:
    """The ``package.yaml`` in ``directory`` as ``package.py`` source, or None if there is none.

    An unversioned package gets ``version = ''``, as Rez writes it.

    Raises:
        PackageDefinitionError: if the file does not load.
    """
    from pathlib import Path

    from pkg.packages import load_definition

    path = Path(directory) / "package.yaml"
    if not path.is_file():
        return None
    data = dict(load_definition(path).data)
    if "version" not in data:
        ordered = {"name": data.pop("name", None), "version": ""}
        data = {**ordered, **data}
    return dump_package_py(data).rstrip("\n")
