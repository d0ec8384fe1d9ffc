"""``pkg depends``: which packages depend on a package (a reverse dependency tree).

As ``rez-depends``: no resolve happens; the latest version of every family is read, with
the requirements of all its variants, and the tree is grown breadth first from the given
family.  Level 0 is the family itself, level 1 the families requiring it, and so on; a
family appears once, at its nearest level.  Conflict requests (``!foo``, ``~foo``) are not
dependencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg.errors import RepositoryError
from pkg.repositories import PackageSearchPath

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import Config

__all__ = ["ReverseDependencies", "reverse_dependencies"]

_NODE_ATTRS = '[fillcolor="#F6F6F6", fontsize=10, style=filled]'


@dataclass(frozen=True)
class ReverseDependencies:
    """The reverse dependency tree of :attr:`levels`\\[0]\\[0]."""

    #: Family names per depth, each level sorted.
    levels: list[list[str]]
    #: (dependant, dependency) edges, sorted.
    edges: list[tuple[str, str]]

    def to_dot(self) -> str:
        """The tree as a DOT graph, dependants pointing at what they require."""
        root = self.levels[0][0]
        lines = ["digraph graphname {", f"{root};"]
        lines.extend(f"{name} {_NODE_ATTRS};" for level in self.levels[1:] for name in level)
        lines.extend(f"{a} -> {b};" for a, b in self.edges)
        lines.append("}")
        return "\n".join(lines) + "\n"


def reverse_dependencies(
    name: str,
    config: Config,
    *,
    depth: int | None = None,
    paths: Sequence[str] | None = None,
    build_requires: bool = False,
    private_build_requires: bool = False,
) -> ReverseDependencies:
    """Find the families that depend on ``name``, ``depth`` levels deep (None: all).

    Args:
        build_requires: count ``build_requires`` as dependencies too.
        private_build_requires: count ``private_build_requires`` of ``name`` itself (Rez
            applies this flag to the searched family only).

    Raises:
        RepositoryError: if no repository has the family ``name``.
    """
    search_path = PackageSearchPath.from_paths(paths, config)
    families = set(search_path.iter_family_names())
    if name not in families:
        raise RepositoryError(f"no such package family {name!r}")
    levels = [[name]]
    edges: list[tuple[str, str]] = []
    if depth == 0:
        return ReverseDependencies(levels, edges)

    required_by: dict[str, set[str]] = {}
    for family in sorted(families):
        packages = list(search_path.iter_packages(family))
        if not packages:
            continue
        latest = max(packages, key=lambda p: p.version)
        for variant in latest.iter_variants():
            requests = list(variant.requires)
            if build_requires:
                requests += latest.build_requires
            if private_build_requires and latest.name == name:
                requests += latest.private_build_requires
            for req in requests:
                if not req.conflict:
                    required_by.setdefault(req.name, set()).add(family)

    seen = {name}
    frontier = {name}
    level = 0
    while frontier and (depth is None or level < depth):
        next_frontier: set[str] = set()
        for child in sorted(frontier):
            parents = required_by.get(child, set()) - seen
            next_frontier |= parents
            seen |= parents
            edges.extend((parent, child) for parent in sorted(parents))
        if next_frontier:
            levels.append(sorted(next_frontier))
        frontier = next_frontier
        level += 1
    return ReverseDependencies(levels, edges)
