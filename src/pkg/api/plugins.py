"""``pkg plugins``: the packages that are plugins of a package (``plugin_for``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.errors import RepositoryError
from pkg.repositories import PackageSearchPath

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import Config

__all__ = ["find_plugins"]


def find_plugins(name: str, config: Config, *, paths: Sequence[str] | None = None) -> list[str]:
    """Families whose latest package names ``name`` in ``plugin_for``, sorted.

    Empty if the latest ``name`` does not declare ``has_plugins``, as in Rez.

    Raises:
        RepositoryError: if there is no package ``name``.
    """
    search_path = PackageSearchPath.from_paths(paths, config)
    package = search_path.get_latest_package(name)
    if package is None:
        raise RepositoryError(f"no package found for {name!r}")
    if not package.has_plugins:
        return []
    plugins: list[str] = []
    for family in sorted(set(search_path.iter_family_names())):
        if family == name:
            continue
        candidate = search_path.get_latest_package(family)
        if candidate is not None and name in (candidate.plugin_for or []):
            plugins.append(family)
    return plugins
